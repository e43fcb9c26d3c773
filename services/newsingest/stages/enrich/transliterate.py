"""Arabic → Latin script for names: common name words by table, the rest letter by letter.

Written Arabic leaves short vowels out, so a letter-by-letter reading is only a readable key
("زاهر سحلول", Zaher Sahloul → "Zaher Shlul"); frequent name words ("محمد", "عبد", "الرحمن") come from a table in the
usual English news spelling. The article ``ال`` becomes ``al-`` (with sun-letter assimilation left out,
as news agencies mostly do), and each word is capitalised.
"""

from __future__ import annotations

import re

from newsingest.text.folding import drop_marks

_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "'", "ؤ": "'", "ئ": "'", "ب": "b", "ت": "t", "ث": "th",
    "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ة": "a", "و": "w", "ي": "y", "ى": "a", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g",
}
# Frequent name words in their common English news spelling ("arabic english" pairs).
_SPELLINGS = """
محمد Mohammed  أحمد Ahmed  احمد Ahmed  محمود Mahmoud  مصطفى Mustafa  علي Ali  حسن Hassan  حسين Hussein
عمر Omar  عثمان Othman  خالد Khaled  خليل Khalil  إبراهيم Ibrahim  ابراهيم Ibrahim  إسماعيل Ismail
يوسف Youssef  يونس Younes  موسى Moussa  عيسى Issa  سليمان Suleiman  داود Daoud  يحيى Yahya  أيوب Ayoub
صالح Saleh  عبد Abd  عبدالله Abdullah  عبدالرحمن Abdulrahman  عبدالعزيز Abdulaziz  الله Allah
الرحمن al-Rahman  العزيز al-Aziz  الملك al-Malik  الكريم al-Karim  الرحيم al-Rahim  الحميد al-Hamid
أبو Abu  ابو Abu  أم Umm  بن bin  ابن Ibn  آل Al  سعد Saad  سعود Saud  سعيد Saeed  سلمان Salman
سلطان Sultan  فيصل Faisal  فهد Fahd  تركي Turki  نايف Nayef  نواف Nawaf  بندر Bandar  مشعل Meshaal
طلال Talal  وليد Walid  ماجد Majed  مازن Mazen  منصور Mansour  ناصر Nasser  نبيل Nabil  نادر Nader
هاني Hani  هشام Hisham  هيثم Haitham  وائل Wael  ياسر Yasser  ياسين Yassin  زياد Ziad  زيد Zaid
زاهر Zaher  رامي Rami  رائد Raed  رياض Riyad  سامي Sami  سامر Samer  سمير Samir  سليم Salim
شريف Sherif  طارق Tariq  عادل Adel  عامر Amer  عباس Abbas  عدنان Adnan  عصام Essam  علاء Alaa
عماد Imad  عمار Ammar  عمرو Amr  غسان Ghassan  فادي Fadi  فارس Fares  فؤاد Fouad  قاسم Qassem
كريم Karim  كمال Kamal  ماهر Maher  مالك Malik  مراد Murad  مروان Marwan  مهدي Mahdi  جمال Jamal
جهاد Jihad  حمد Hamad  حمزة Hamza  حيدر Haidar  راشد Rashid  سالم Salem  صلاح Salah  طه Taha
باسل Basel  بسام Bassam  جعفر Jaafar  حافظ Hafez  حسام Hossam  أسامة Osama  أيمن Ayman  إياد Iyad
بلال Bilal  أنس Anas  معاذ Muath  مهند Muhannad  نصر Nasr  نزار Nizar  هادي Hadi  فاطمة Fatima
عائشة Aisha  خديجة Khadija  زينب Zainab  مريم Maryam  سارة Sara  ليلى Layla  هند Hind  سلمى Salma
رنا Rana  رانيا Rania  دينا Dina  منى Mona  هدى Huda  أمل Amal  نور Nour  هالة Hala  لينا Lina
إيمان Iman  حنان Hanan  رشا Rasha  هبة Heba  ياسمين Yasmin  الأسد al-Assad  بشار Bashar  حافظ Hafez
الحريري al-Hariri  السيسي al-Sisi  الأحمد al-Ahmad  الحسن al-Hassan  الحسين al-Hussein  العلي al-Ali
الخطيب al-Khatib  المصري al-Masri  الشامي al-Shami  الحلبي al-Halabi  البغدادي al-Baghdadi
التميمي al-Tamimi  الشمري al-Shammari  العتيبي al-Otaibi  القحطاني al-Qahtani  الغامدي al-Ghamdi
الزهراني al-Zahrani  الدوسري al-Dosari  المطيري al-Mutairi  الحربي al-Harbi  السعيد al-Saeed
الدين al-Din  هيئة Hayat  تحرير Tahrir  الشام al-Sham  جبهة Jabhat  جيش Jaish  أنصار Ansar
الإسلام al-Islam  كتائب Kataib  لواء Liwa  أنطونيو Antonio  دونالد Donald  جو Joe  جون John  جيمس James
ديفيد David  مايكل Michael  فلاديمير Vladimir  إيمانويل Emmanuel  بنيامين Benjamin  بوريس Boris
أنجيلا Angela  رجب Recep  باراك Barack  هيلاري Hillary  جورج George  كيم Kim  شي Xi
"""
_WORDS = dict(zip(_SPELLINGS.split()[::2], _SPELLINGS.split()[1::2], strict=True))
_ARABIC = re.compile("[\u0600-\u06ff]")


def _word(word: str) -> str:
    if word in _WORDS:
        return _WORDS[word]
    article = word.startswith("ال") and len(word) > 3
    body = word[2:] if article else word
    latin = []
    for index, char in enumerate(body):
        letter = _LETTERS.get(char, char)
        if char == "و" and 0 < index < len(body) - 1 and body[index - 1] not in "اوي":
            letter = "u"  # a medial waw after a consonant is mostly the vowel ū
        elif char == "ي" and 0 < index and body[index - 1] not in "اوي":
            letter = "i"  # likewise ī, and the final nisba -ī
        latin.append(letter)
    text = "".join(latin).lstrip("'") or body
    text = text[0].upper() + text[1:]
    return f"al-{text}" if article else text


def to_latin(name: str) -> str:
    """A Latin-script form of ``name``; names without Arabic letters come back unchanged."""
    if not _ARABIC.search(name):
        return name
    return " ".join(_word(word) for word in drop_marks(name).split())
