"""English names of Arabic organisation names: "وزارة الدفاع السورية" → "Syrian Ministry of Defence".

Arabic news names most institutions with a small vocabulary in a regular order: a head noun, then
nouns it governs and adjectives that follow it, then "لـ" phrases ("المرصد السوري لحقوق الإنسان"). A
name is translated only when every word is known — a glossary unit below, a country's adjective
("السورية" → Syrian) or a place in the gazetteer ("جامعة دمشق" → University of Damascus); English order
puts a governed country's adjective first ("قوات سوريا الديمقراطية" → Syrian Democratic Forces), then
the adjectives, last first ("الجيش الوطني السوري" → Syrian National Army), then the head, the other
governed nouns after it with "of", and "لـ" phrases with "for". Anything else gets no English name
(:func:`english_org_name` returns ``None``) and is transliterated instead: names such as "هيئة تحرير
الشام" are written in English news as transliterations too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from countryinfo import CountryInfo

from newsingest.geo import gazetteer
from newsingest.text.folding import fold

_NOUN, _ADJECTIVE, _NAME, _DROPPED = "N", "A", "P", "D"

# Arabic unit | English | part: N noun, A adjective, P a proper name (English puts it first: "Hamas"),
# D a head English leaves out before a proper name ("تنظيم القاعدة" → al-Qaeda). Longest unit wins.
_GLOSSARY = """
الأمم المتحدة|United Nations|N
مجلس الأمن|Security Council|N
الجمعية العامة|General Assembly|N
مجلس الوزراء|Council of Ministers|N
مجلس النواب|House of Representatives|N
مجلس الشيوخ|Senate|N
مجلس الشورى|Shura Council|N
مجلس التعاون الخليجي|Gulf Cooperation Council|N
مجلس التعاون لدول الخليج العربية|Gulf Cooperation Council|N
جامعة الدول العربية|Arab League|N
الاتحاد الأوروبي|European Union|N
الاتحاد الأفريقي|African Union|N
حلف شمال الأطلسي|NATO|P
منظمة الصحة العالمية|World Health Organization|N
منظمة التعاون الإسلامي|Organisation of Islamic Cooperation|N
صندوق النقد الدولي|International Monetary Fund|N
البنك الدولي|World Bank|N
البنك المركزي|Central Bank|N
المحكمة الجنائية الدولية|International Criminal Court|N
محكمة العدل الدولية|International Court of Justice|N
الصليب الأحمر|Red Cross|N
الهلال الأحمر|Red Crescent|N
الدفاع المدني|Civil Defence|N
حقوق الإنسان|Human Rights|N
المخابرات العسكرية|Military Intelligence|N
المخابرات الجوية|Air Force Intelligence|N
القوات الجوية|Air Force|N
القوات البحرية|Navy|N
القوات الخاصة|Special Forces|N
الحرس الثوري|Revolutionary Guard|N
الحرس الوطني|National Guard|N
البيت الأبيض|White House|N
وكالة الأنباء|News Agency|N
وزارة الخارجية|Ministry of Foreign Affairs|N
وزارة الداخلية|Ministry of Interior|N
وزارة الدفاع|Ministry of Defence|N
وزارة العدل|Ministry of Justice|N
وزارة المالية|Ministry of Finance|N
وزارة الصحة|Ministry of Health|N
وزارة التعليم|Ministry of Education|N
وزارة التربية|Ministry of Education|N
وزارة الاقتصاد|Ministry of Economy|N
وزارة التجارة|Ministry of Commerce|N
وزارة الإعلام|Ministry of Information|N
وزارة الثقافة|Ministry of Culture|N
وزارة الزراعة|Ministry of Agriculture|N
وزارة الطاقة|Ministry of Energy|N
وزارة النفط|Ministry of Oil|N
وزارة العمل|Ministry of Labour|N
وزارة الإسكان|Ministry of Housing|N
وزارة النقل|Ministry of Transport|N
وزارة السياحة|Ministry of Tourism|N
وزارة الشؤون الاجتماعية|Ministry of Social Affairs|N
وزارة|Ministry|N
المفوضية|Commission|N
مفوضية|Commission|N
الهيئة|Authority|N
شؤون|Affairs|N
الشؤون|Affairs|N
الإحصاء|Statistics|N
الكهرباء|Electricity|N
المياه|Water|N
الطيران|Aviation|N
الجمارك|Customs|N
الاتصالات|Communications|N
الانتخابات|Elections|N
مجلس|Council|N
المجلس|Council|N
منظمة|Organisation|N
المنظمة|Organisation|N
الاتحاد|Union|N
التحالف|Coalition|N
تحالف|Coalition|N
اتحاد|Union|N
جامعة|University|N
الجامعة|University|N
المرصد|Observatory|N
مرصد|Observatory|N
الجيش|Army|N
جيش|Army|N
القوات|Forces|N
قوات|Forces|N
الشرطة|Police|N
شرطة|Police|N
المخابرات|Intelligence|N
الاستخبارات|Intelligence|N
السفارة|Embassy|N
سفارة|Embassy|N
القنصلية|Consulate|N
الحكومة|Government|N
حكومة|Government|N
البرلمان|Parliament|N
الرئاسة|Presidency|N
الحزب|Party|N
حزب|Party|N
المحكمة|Court|N
محكمة|Court|N
النيابة العامة|Public Prosecution|N
البنك|Bank|N
بنك|Bank|N
مصرف|Bank|N
المصرف|Bank|N
صندوق|Fund|N
الصندوق|Fund|N
وكالة|Agency|N
الوكالة|Agency|N
الشركة|Company|N
شركة|Company|N
مؤسسة|Foundation|N
المؤسسة|Foundation|N
المعهد|Institute|N
معهد|Institute|N
المركز|Centre|N
مركز|Centre|N
الجمعية|Association|N
جمعية|Association|N
اللجنة|Committee|N
لجنة|Committee|N
مديرية|Directorate|N
المديرية|Directorate|N
هيئة الأركان|General Staff|N
الغرفة|Chamber|N
غرفة|Chamber|N
التجارة|Commerce|N
الصناعة|Industry|N
الإغاثة|Relief|N
اللاجئين|Refugees|N
الأطفال|Children|N
الطفولة|Childhood|N
الصحة|Health|N
الدراسات|Studies|N
البحوث|Research|N
الأبحاث|Research|N
السلام|Peace|N
التنمية|Development|N
الدفاع|Defence|N
الأمن|Security|N
الإعلام|Media|N
الأنباء|News|N
النفط|Oil|N
الدول|States|N
الشعب|People|N
العربية|Arab|A
العربي|Arab|A
الإسلامية|Islamic|A
الإسلامي|Islamic|A
الأوروبي|European|A
الأوروبية|European|A
الأفريقي|African|A
الدولي|International|A
الدولية|International|A
العالمي|World|A
العالمية|World|A
الوطني|National|A
الوطنية|National|A
القومي|National|A
الشعبي|Popular|A
الشعبية|Popular|A
الديمقراطية|Democratic|A
الديمقراطي|Democratic|A
الجمهوري|Republican|A
الحر|Free|A
الحرة|Free|A
المتحدة|United|A
المركزي|Central|A
المركزية|Central|A
العسكرية|Military|A
العسكري|Military|A
المدني|Civil|A
المدنية|Civil|A
الثوري|Revolutionary|A
العليا|Supreme|A
الأعلى|Supreme|A
الدستورية|Constitutional|A
العامة|General|A
العام|General|A
الخاصة|Special|A
الأمنية|Security|A
الجوية|Air|A
البحرية|Naval|A
الحكومية|Government|A
الرسمية|Official|A
الإنسانية|Humanitarian|A
المستقلة|Independent|A
الاتحادية|Federal|A
السامية|High|A
حماس|Hamas|P
حزب الله|Hezbollah|P
القاعدة|al-Qaeda|P
داعش|ISIS|P
طالبان|Taliban|P
الحوثيين|Houthis|P
الحوثي|Houthi|P
فتح|Fatah|P
الإخوان المسلمين|Muslim Brotherhood|P
الإخوان المسلمون|Muslim Brotherhood|P
أوبك|OPEC|P
الناتو|NATO|P
يونيسف|UNICEF|P
اليونيسف|UNICEF|P
اليونسكو|UNESCO|P
أرامكو|Aramco|P
تنظيم|Organisation|D
حركة|Movement|D
جماعة|Group|D
"""
_MAX_UNIT_WORDS = 5


@dataclass(frozen=True, slots=True)
class _Unit:
    english: str
    part: str
    adjective: str | None = None  # a country's adjective: "قوات سوريا" → Syrian Forces


@cache
def _glossary() -> dict[str, _Unit]:
    units = {}
    for line in _GLOSSARY.strip().splitlines():
        arabic, english, part = line.split("|")
        units[fold(arabic)] = _Unit(english, part)
    return units


@cache
def _adjectives() -> dict[str, str]:
    """Country code → its English adjective ("SY" → "Syrian")."""
    found = {}
    for info in CountryInfo.all().values():
        code, demonym = (info.get("ISO") or {}).get("alpha2"), info.get("demonym")
        if code and demonym:
            found[code.upper()] = demonym
    return found


def _known(words: list[str]) -> _Unit | None:
    """What a run of words is: a glossary unit, a country's adjective, or a place."""
    key = fold(" ".join(words))
    unit = _glossary().get(key)
    if unit is not None:
        return unit
    if len(words) == 1 and (code := gazetteer.demonym_country(words[0])) and code in _adjectives():
        return _Unit(_adjectives()[code], _ADJECTIVE)
    places = gazetteer.candidates(" ".join(words))
    if not places:
        return None
    place = max(places, key=gazetteer.prior)
    country = gazetteer.country(place.country_code) if place.country_code else None
    adjective = _adjectives().get(place.country_code) if country == place else None
    if adjective and words[0].startswith("ال"):  # "السعودية", "العراق" after a noun: Saudi, Iraqi
        return _Unit(adjective, _ADJECTIVE)
    return _Unit(place.name, _NAME, adjective)


def _readings(word: str) -> list[tuple[bool, str]]:
    """``(after "لـ", word)`` readings of a word: itself, and without a written-on "لـ" ("لحقوق", "للاجئين")."""
    readings = [(False, word)]
    if word.startswith("لل") and len(word) > 4:
        readings += [(True, "ال" + word[2:]), (True, "ال" + word[1:])]
    elif word.startswith("ل") and not word.startswith("ال") and len(word) > 3:
        readings.append((True, word[1:]))
    return readings


def _segments(words: list[str]) -> list[list[_Unit]] | None:
    """The name's units, cut where a "لـ" phrase starts; ``None`` when a word is not known."""
    segments: list[list[_Unit]] = [[]]
    index = 0
    while index < len(words):
        for size in range(min(_MAX_UNIT_WORDS, len(words) - index), 0, -1):
            found = next(((prefixed, unit) for prefixed, first in _readings(words[index])
                          if (unit := _known([first, *words[index + 1:index + size]]))), None)
            if found:
                prefixed, unit = found
                if prefixed:
                    segments.append([])
                segments[-1].append(unit)
                index += size
                break
        else:
            return None
    return segments


def _phrase(units: list[_Unit]) -> str | None:
    head, rest = units[0], units[1:]
    if head.part == _DROPPED and len(rest) == 1 and rest[0].part == _NAME:
        return rest[0].english  # "تنظيم القاعدة" → al-Qaeda
    if head.part == _ADJECTIVE:
        return None
    countries = [u.adjective for u in rest if u.part == _NAME and u.adjective]
    adjectives = [u.english for u in reversed(rest) if u.part == _ADJECTIVE]
    governed = [u.english for u in rest if u.part != _ADJECTIVE and not (u.part == _NAME and u.adjective)]
    return " ".join([*countries, *adjectives, head.english, *(f"of {noun}" for noun in governed)])


@lru_cache(maxsize=4096)
def english_org_name(name: str) -> str | None:
    """The English name of an Arabic organisation name whose words are all known, else ``None``."""
    words = name.split()
    if not words or not words[0][0].isalpha() or words[0].isascii():
        return None
    segments = _segments(words)
    if not segments or not segments[0]:
        return None
    phrases = [_phrase(units) for units in segments]
    if any(phrase is None for phrase in phrases):
        return None
    return " for ".join(phrases)  # type: ignore[arg-type]
