"""Word lists shared by the extractors (entities, quotes), as folded keys (see :func:`tokens.fold`).

Lists of function words, titles, organisation head nouns and verbs of saying — the closed-class
vocabulary a rule-based recogniser leans on. Arabic entries are given in ordinary spelling and
folded here; lookups strip proclitics first (:func:`tokens.proclitic_splits`).
"""

from __future__ import annotations

from newsingest.nlp.tokens import fold


def _keys(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


def _phrases(lines: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(fold(w) for w in line.split()) for line in lines.split("،") if line.strip())


# Arabic function words, pronouns, particles and time words: never part of a name.
AR_STOP = _keys("""
في من إلى الى على عن مع عند لدى حتى منذ خلال بعد قبل بين أمام خلف حول ضد نحو عبر دون بدون تحت فوق
إن أن إنه أنه إنها أنها إنهم أنهم لأن كأن لكن لكنه لكنها وأن وإن بأن لقد قد وقد فقد لا لم لن ما ماذا هل
هو هي هم هن نحن أنا أنت هذا هذه ذلك تلك هؤلاء أولئك الذي التي الذين اللذين اللتين اللواتي من ما
كان كانت كانوا يكون تكون ليس ليست يزال تزال زال مازال ما زال أيضا ايضا كما حيث إذ إذا إذا لو كل بعض
سوى جميع معظم أكثر أقل عدة عدد نفس ذات مثل أحد ثم أو أم بل و ف ب ل ك يوم اليوم أمس غدا الآن
عام سنة شهر الشهر الأسبوع أسبوع الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت
صباح مساء ليلة وهو وهي وهم التابع التابعة المعنية الواقعة الواقع بشأن بسبب وفق وفقا بحسب حسب لصالح
وذلك هناك هنا ومن وفي وعلى وإلى والى لها له لهم بها به بهم فيه فيها منه منها عليه عليها إليه إليها
""")
# Titles and roles that precede a person's name (single words; the descriptor after them is skipped).
AR_TITLES = _keys("""
الرئيس رئيس رئيسة الأمين أمين مبعوث المبعوث زعيم الزعيم قائد القائد مدير المدير وزير الوزير وزيرة
السفير سفير الملك الأمير أمير ولي الشيخ المتحدث متحدث المتحدثة الناطق ناطق المستشار مستشار النائب
نائب العقيد اللواء العميد الجنرال المشير الفريق الرائد النقيب المقدم الدكتور الطبيب البروفيسور الأستاذ
السيد السيدة المحامي الصحفي الصحافي الكاتب الإمام البابا المرشد حاكم الحاكم محافظ المحافظ القاضي
المفوض مفوض عضو العضو المسؤول مسؤول المدعي النجم المدرب مدرب اللاعب لاعب الفنان الفنانة الداعية
""")
# Construct nouns and prepositions that belong to a title's descriptor ("رئيس تحرير", "المتحدث باسم").
AR_TITLE_NOUNS = _keys("تحرير أركان حكومة بلدية جهاز مكتب قسم شؤون عام")
AR_TITLE_PREPOSITIONS = _keys("إلى الى في لدى باسم عن")
# Heads that open an organisation name; WEAK ones need a proper-noun-like complement.
AR_ORG_HEADS = _keys("""
وزارة هيئة مرصد مجلس جيش قوات حركة حزب منظمة شبكة وكالة جبهة تنظيم جماعة لجنة اتحاد جامعة مصرف بنك
شركة صندوق محكمة سفارة الحرس حرس فيلق كتائب كتيبة مؤسسة مركز معهد جمعية نقابة صحيفة قناة إذاعة موقع
مجلة مخابرات استخبارات مديرية دائرة إدارة سلطة ائتلاف تحالف منتدى حلف برلمان البرلمان الشرطة شرطة
""")
AR_WEAK_ORG_HEADS = _keys("جيش قوات موقع مركز دائرة إدارة سلطة تحالف ائتلاف الشرطة شرطة مخابرات استخبارات حرس الحرس")
AR_FIXED_ORGS = _phrases("""
الأمم المتحدة، الاتحاد الأوروبي، البيت الأبيض، داعش، حماس، طالبان، الناتو، الكرملين، البنتاغون، البنتاجون،
الكونغرس، الكونجرس، اليونيسف، اليونسكو، الإنتربول، أوبك، الجامعة العربية، حزب الله، الهلال الأحمر، الصليب الأحمر،
مجلس التعاون الخليجي
""")
# Verbs that commonly follow a title or an organisation: they end a name.
AR_VERBS = _keys("""
يزور يلتقي يستقبل يبحث يدعو يؤكد يعلن يصل يغادر يتوجه يشارك يفتتح يرأس يجتمع يقول يرى يطالب يحذر يهنئ
يعزي تلقى استقبل التقى بحث دعا وصل غادر أصدر أجرى شارك افتتح ترأس اجتمع رأى طالب حذر هنأ بعث وجه أمر
قرر وقع زار تزور تلتقي تستقبل تبحث تدعو تؤكد تعلن تصل تقول ترى تطالب تحذر أصدرت أجرت دعت بحثت أكدت
أعلنت قالت أضافت أوضحت ذكرت تابعت شددت أفادت أشارت لفتت اعتبرت نفت صرحت حذرت طالبت رفض رفضت يرفض ترفض
""")
# Verbs (and participles) of saying that introduce a quote; proclitics و/ف are stripped before lookup.
AR_SAY = _keys("""
قال قالت يقول تقول قالوا أضاف أضافت يضيف تضيف أوضح أوضحت يوضح ذكر ذكرت يذكر أكد أكدت يؤكد تؤكد تابع تابعت
شدد شددت يشدد أفاد أفادت يفيد أعلن أعلنت صرح صرحت يصرح أشار أشارت يشير لفت لفتت اعتبر اعتبرت يعتبر رأى رأت
يرى نفى نفت ينفي كتب كتبت غرد غردت حذر حذرت يحذر طالب طالبت دعا دعت يدعو أردف أردفت استطرد استطردت نوه نوهت
بين بينت أبلغ أبلغت أعرب أعربت مضيفا مضيفة مؤكدا مؤكدة موضحا موضحة قائلا قائلة متابعا مشيرا مشيرة لافتا
نصح نصحت حث حثت وصف وصفت اتهم اتهمت زعم زعمت أقر أقرت اعترف اعترفت أشاد أشادت تعهد تعهدت
""")
# Complementisers that end a speaker phrase and open reported speech.
AR_THAT = _keys("إن أن إنه أنه إنها أنها إنهم أنهم بأن بأنه بأنها")
# Nouns after which a short quoted span is a name or title, not speech ("تنظيم "داعش"").
QUOTED_NAME_CUES = _keys("""
تنظيم حركة جماعة عملية مبادرة صحيفة قناة برنامج موقع شركة مجلة كتاب فيلم مسلسل حملة مؤتمر منتدى وسم هاشتاغ
مشروع مسابقة جائزة لقب شعار اسم the newspaper magazine operation film book programme program campaign hashtag
""")
AR_ACCORDING = _keys("بحسب حسب وفقا وفق طبقا نقلا")
# Subjects of "أفادت/ذكرت" that are sources, not speakers.
AR_NON_SPEAKERS = _keys("التقارير تقارير الأنباء أنباء المعلومات معلومات الصور لقطات الأرقام الإحصاءات")
AR_GENERIC_SPEAKERS = _keys("""
مسؤول مسؤولون مسؤولين مصدر مصادر متحدث شهود شاهد سكان ناشطون ناشطين محللون خبراء مراقبون البيان بيان
التقرير تقرير الوكالة الموقع الصحيفة مراسل
""")

EN_STOP_CAPS = frozenset("""
the a an but and or in on at to of for from by with it its he she they we i you this that these those his her
their our my your if when while as after before since though although however yet so then there here what who
which why how where also not no yes all some many most more one two three meanwhile earlier later last next
mr mrs ms dr
""".split())
EN_TITLES = frozenset("""
president prime minister secretary chancellor senator governor general gen col colonel captain capt judge king queen
prince princess pope sheikh imam ayatollah director chairman chairwoman chief spokesman spokeswoman spokesperson
ambassador envoy commissioner mayor professor prof rev sir lord lady mr mrs ms dr miss sgt lt major commander
leader chief executive coach manager striker defender midfielder goalkeeper captain boss
""".split())
EN_ORG_HEADS = frozenset("""
ministry department council party army agency organisation organization observatory union committee commission
corporation corp inc ltd plc co company group holdings bank university college school institute foundation trust
authority board service services court parliament congress senate assembly association federation league club
fc united times news post journal press network channel airlines airways motors capital partners systems
technologies communications energy oil pharmaceuticals foods media entertainment records studios pictures tobacco
industries insurance securities investments telecom electronics software networks labs office police forces
brigade movement front alliance coalition chambers chamber fund exchange reserve commission democrats republicans
democrat republican conservatives
""".split())
EN_FIXED_ORGS = frozenset("""
labour tories tory nato un eu who imf opec fifa uefa nasa fbi cia bbc cnn reuters hamas hezbollah taliban isis
kremlin pentagon google apple microsoft amazon facebook twitter
""".split())
EN_NON_NAME = frozenset("""
state department affairs defence defense foreign home interior justice trade industry health education finance
culture sport sports treasury energy environment commerce labor labour transport shadow deputy vice acting
former general family january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
""".split())
EN_SAY = frozenset("""
said says say told tells added adds warned warns explained stated declared insisted argued noted claimed
admitted announced wrote asked replied continued stressed urged
""".split())
EN_PRONOUNS = frozenset("he she they it we i".split())
