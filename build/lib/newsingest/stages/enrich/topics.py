"""Article topic: one IPTC Media Topics top-level category, from keyword lexicons (English and Arabic).

The subset: nine of the seventeen top-level Media Topics, those a general and conflict desk files
most (``TOPICS``). Each has a short keyword list written for this project; an article's score for a
topic is the number of its words (title counted twice) whose key — for Arabic also the stem after
proclitics — is in the list. The highest score wins; with no keyword at all the topic is ``None``.
``newsingest eval topics`` scores it on the BBC corpus (its folders are labels).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from newsingest.text.tokens import proclitic_splits, word_counts

SPORT = "medtop:15000000"

# IPTC Media Topics code → (label, keywords). Arabic keywords folded (ا for أإآ, ه for ة, ي for ى).
TOPICS: dict[str, tuple[str, str]] = {
    "medtop:01000000": ("arts, culture, entertainment and media", """
        film films movie movies actor actress actors director oscar oscars award awards album albums singer
        band music musical song songs chart festival theatre comedy star stars celebrity box-office hollywood
        tv television show series novel book author artist art museum concert rock pop bafta grammy
        فيلم افلام ممثل ممثله مخرج مهرجان اغنيه مطرب مطربه فنان فنانه فني موسيقي مسرح روايه كتاب معرض سينما"""),
    "medtop:02000000": ("crime, law and justice", """
        court judge jury trial police crime criminal arrested arrest charged murder prison jail sentenced
        lawyer lawsuit prosecutor prosecutors guilty convicted fraud theft investigation detectives
        محكمه قاضي قضاء الشرطه جريمه جرائم اعتقال سجن السجن حكم محامي تحقيق متهم المتهم النيابه"""),
    "medtop:03000000": ("disaster, accident and emergency incident", """
        earthquake flood floods flooding storm hurricane tsunami fire wildfire crash accident disaster
        rescue rescuers victims collapsed drought evacuated emergency
        زلزال فيضان فيضانات عاصفه حريق حادث كارثه انقاذ سيول جفاف"""),
    "medtop:04000000": ("economy, business and finance", """
        economy economic market markets shares share stock stocks profit profits sales company companies
        firm firms bank banks growth inflation investors investment oil prices price dollar euro rates
        deal chief executive business trade exports imports revenue earnings debt budget tax jobs
        اقتصاد الاقتصاد اقتصادي اسعار سعر السوق اسواق اسهم بنك البنك شركه شركات استثمار نفط النفط ارباح
        تجاره صادرات ميزانيه الريال الدولار تضخم مالي الماليه"""),
    "medtop:07000000": ("health", """
        health hospital hospitals doctors doctor patients disease virus vaccine cancer medical nhs drugs
        treatment outbreak infection epidemic
        صحه الصحه مستشفي طبيب اطباء مرضي مرض فيروس لقاح علاج وباء"""),
    "medtop:11000000": ("politics", """
        election elections minister ministers government party parties labour tory tories conservative
        conservatives vote voters parliament mp mps prime president campaign policy
        democrats republicans senate congress bill referendum opposition cabinet
        انتخابات الحكومه حكومه وزير الوزير وزراء رئيس الرئيس البرلمان برلمان حزب احزاب سياسي سياسيه
        المعارضه مجلس ملك الملك امير الامير"""),
    "medtop:13000000": ("science and technology", """
        technology software computer computers internet online mobile phone phones digital users net web
        games gaming microsoft apple google broadband virus hackers data research scientists science
        device devices gadgets spam website
        تقنيه تكنولوجيا الانترنت انترنت حاسوب هاتف هواتف تطبيق برنامج بيانات علماء علمي الذكاء"""),
    "medtop:15000000": ("sport", """
        match matches game cup league champion champions championship coach player players team teams
        win won victory season goal goals football rugby tennis cricket olympic olympics final club
        striker injury race tournament
        مباراه مباريات الدوري كاس منتخب لاعب لاعبين فريق نادي بطوله هدف اهداف المدرب الملعب"""),
    "medtop:16000000": ("conflict, war and peace", """
        war troops soldiers army military rebels rebel militants forces attack attacks airstrike airstrikes
        strikes shelling ceasefire offensive fighting fighters killed bombing insurgents siege
        حرب الحرب قوات الجيش جيش عسكري عسكريه المتمردين المتمردون مقاتلي مقاتلو المعارضه هجوم هجمات
        قصف غارات ضربات اشتباكات معارك هدنه الفصائل فصائل"""),
}
_KEYWORDS: dict[str, str] = {word: code for code, (_, words) in TOPICS.items() for word in words.split()}


@lru_cache(maxsize=1 << 16)
def _topic_of(key: str, is_arabic: bool) -> str | None:
    for _, stem in proclitic_splits(key, min_stem=3) if is_arabic else ((0, key),):
        if stem in _KEYWORDS:
            return _KEYWORDS[stem]
    return None


def classify(title: str | None, text: str) -> dict[str, Any] | None:
    """``{code, label, score, scores}`` of the best topic, or ``None`` when no keyword occurs."""
    votes: Counter[str] = Counter()
    for weight, part in ((2, title or ""), (1, text)):
        for (key, is_arabic), times in word_counts(part).items():  # each distinct word scored once
            if code := _topic_of(key, is_arabic):
                votes[code] += weight * times
    if not votes:
        return None
    code, score = votes.most_common(1)[0]
    return {"code": code, "label": TOPICS[code][0], "score": score, "scores": dict(votes.most_common(3))}
