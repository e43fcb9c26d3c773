"""Word lists shared by the extractors (entities, quotes), as folded keys (see :func:`tokens.fold`).

Lists of function words, titles, organisation head nouns and verbs of saying — the closed-class
vocabulary a rule-based recogniser leans on. Arabic entries are given in ordinary spelling and
folded here; lookups strip proclitics first (:func:`tokens.proclitic_splits`).
"""

from __future__ import annotations

from newsingest.text.folding import fold


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
صباح مساء ليلة وهو وهي وهم قرب سواء حفظه رحمه يرحمه التابع التابعة المعنية الواقعة الواقع بشأن بسبب وفق وفقا بحسب حسب لصالح
وذلك هناك هنا ومن وفي وعلى وإلى والى لها له لهم بها به بهم فيه فيها منه منها عليه عليها إليه إليها
""")
# Titles and roles that precede a person's name (single words; the descriptor after them is skipped).
AR_TITLES = _keys("""
الرئيس رئيس رئيسة الأمين أمين مبعوث المبعوث زعيم الزعيم قائد القائد مدير المدير وزير الوزير وزيرة
السفير سفير الملك الأمير أمير ولي الشيخ المتحدث متحدث المتحدثة الناطق ناطق المستشار مستشار النائب
نائب العقيد اللواء العميد الجنرال المشير الفريق الرائد النقيب المقدم الدكتور الطبيب البروفيسور الأستاذ
السيد السيدة المحامي الصحفي الصحافي الكاتب الإمام البابا المرشد حاكم الحاكم محافظ المحافظ القاضي
المفوض مفوض عضو العضو المسؤول مسؤول مساعد المساعد وكيل الوكيل المدعي النجم المدرب مدرب اللاعب لاعب الفنان الفنانة الداعية
""")
# Heads that open an organisation name (a model feature; an organisation the model found takes its adjectives).
AR_ORG_HEADS = _keys("""
وزارة هيئة مرصد مجلس جيش قوات حركة حزب منظمة شبكة وكالة جبهة تنظيم جماعة لجنة اتحاد جامعة مصرف بنك
شركة صندوق محكمة سفارة الحرس حرس فيلق كتائب كتيبة مؤسسة مركز معهد جمعية نقابة صحيفة قناة إذاعة موقع
مجلة مخابرات استخبارات مديرية دائرة إدارة سلطة ائتلاف تحالف منتدى حلف برلمان البرلمان الشرطة شرطة
""")
# Words that describe the medium of a named outlet: "موقع [ميدل إيست آي]", "صحيفة [الشرق الأوسط]".
AR_MEDIA_DESCRIPTORS = _keys("موقع صحيفة جريدة شبكة قناة مجلة إذاعة تلفزيون وكالة")
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
يرى نفى نفت ينفي كتبت غرد غردت حذر حذرت يحذر طالبت دعا دعت يدعو أردف أردفت استطرد استطردت نوه نوهت
بينت أبلغ أبلغت أعرب أعربت مضيفا مضيفة مؤكدا مؤكدة موضحا موضحة قائلا قائلة متابعا مشيرا مشيرة لافتا
نصح نصحت حث حثت وصفت اتهم اتهمت زعم زعمت أقر أقرت اعترف اعترفت أشاد أشادت تعهد تعهدت
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
EN_LOC_HEADS = frozenset("street road avenue square river mountains island islands valley bay sea ocean lake county province".split())
EN_COUNTRY_CODES = frozenset("us uk usa uae".split())
EN_NOT_ACRONYMS = frozenset("tv ceo cfo gdp am pm ok ii iii iv vs pc dvd cd dj mp id it hiv aids ipo vat ad bc".split())
EN_NON_NAME = frozenset("""
state department affairs defence defense foreign home interior justice trade industry health education finance
culture sport sports treasury energy environment commerce labor labour transport shadow deputy vice acting
former general family january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday year christmas easter election elections
""".split())
EN_SAY = frozenset("""
said says say told tells added adds warned warns explained stated declared insisted argued noted claimed
admitted announced wrote asked replied continued stressed urged
""".split())
EN_PRONOUNS = frozenset("he she they it we i".split())

# Common given names: the first word of an untitled or title-introduced personal name. Arabic names
# without one are still taken when they carry no article (foreign names: "ديفيد كاميرون").
AR_GIVEN_NAMES = _keys("""
محمد أحمد محمود مصطفى علي حسن حسين عمر عثمان خالد خليل إبراهيم إسماعيل إسحاق يعقوب يوسف يونس موسى عيسى
سليمان داود زكريا يحيى إلياس أيوب آدم نوح صالح هود شعيب عبد عبدالله عبدالرحمن عبدالعزيز عبدالملك عبدربه أبو
أم ابن بن آل سعد سعود سعيد سعيدة سلمان سلطان فيصل فهد فهيد تركي نايف نواف بندر مشعل متعب طلال وليد خالد
ماجد مجدي مازن منصور منير ناصر نصر نزار نبيل نادر نادية نجيب نور نوري هادي هاني هشام هيثم وائل وسام وجدي
ياسر ياسين يزيد زياد زيد زاهر زهير زكي رامي رائد رياض رضا رشيد رفيق رمزي سامي سامر سمير سليم سهيل شادي شريف
شكري طارق طه عادل عاطف عامر عباس عدنان عزت عصام علاء عماد عمار عمرو عوض غازي غسان فادي فارس فاروق فؤاد فتحي
فريد فوزي قاسم كامل كريم كمال لؤي لطفي ماهر مالك مأمون مجيد محسن مراد مروان مصعب معاذ معتز مهدي ممدوح
منذر مؤيد نبيه نعيم هاشم همام وحيد وضاح جمال جميل جهاد جواد جورج حاتم حازم حامد حبيب حمد حمدي حمزة حيدر
خضر خلف داوود راشد ربيع رجب رستم سالم سفيان سيف شاكر شوقي صابر صادق صبحي صلاح ضياء ظافر عارف عاصم عبيد
عدي عرفات عزيز عقيل عمران عوني غالب فايز فراس فرج فضل قيس كاظم لبيب مؤمن مجاهد مختار مدحت مرتضى مسعود
مشاري معمر مقتدى منذر نجم نشأت نعمان هلال وليد بشار باسل بسام باسم جلال جعفر حافظ حسام حكمت رجاء رشاد
فاطمة عائشة خديجة زينب مريم سارة ليلى هند سلمى رنا رانيا دينا منى هدى سعاد سميرة أمل نوال هالة لينا لمى
آمنة أسماء إيمان بشرى حنان دعاء رشا سناء عبير غادة فدوى لبنى ماجدة مها نجلاء هبة هيفاء وفاء ياسمين تميم
حمود حميد مهند أنس أسامة أيمن إياد بكر بلال ثامر جابر جبران حسني رأفت سعدي شهاب عبدالفتاح عبدالكريم
عبداللطيف عبدالمجيد عبدالناصر عبدالهادي كميل لقمان نبيل هيثم وديع يامن أنطونيو باراك دونالد جو جون جيمس
ديفيد مايكل فلاديمير إيمانويل أنجيلا تيريزا بوريس جاستن شينزو رجب بنيامين إيهود أرييل غير ستيفان
""")
EN_GIVEN_NAMES = frozenset("""
john james robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark
donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary
nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond
jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian
keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel
logan albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis mary
patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley
kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen
amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet
catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith
megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail
alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany
charlotte marie kayla alexis lori tony gordon bernie helmut mikhail vladimir boris angela nicolas emmanuel
francois jacques gerhard silvio romano jose luis carlos pedro jorge miguel antonio giuseppe marco luca hans
klaus wolfgang dmitry sergei viktor yulia igor alexei kofi ban ali mohammed mohamed muhammad ahmed ahmad omar hassan
hussein ibrahim abdul abu saddam yasser mahmoud bashar hosni recep shinzo junichiro xi hu wen kim lee park sonia
hillary bill barack condoleezza colin dick tony cherie gordon ken nick ed jim tim tom bob rob mike dave steve
chris pat sue liz kate jane anne annie jo jackie gerry charlie harry sam ben dan matt alex andy fred ted neil
nigel ian iain graham alistair alastair malcolm duncan gareth rhodri hamish ruud wayne thierry arsene jose rafael
roger andre serena venus lleyton tim greg martina kim carlos marat maria svetlana amelie justine lindsay
""".split())
