"""Arabic → Latin script for names: common name words by table, the rest letter by letter.

Written Arabic leaves short vowels out, so a letter-by-letter reading is only a readable key
("Jihad Yazji" → "Jhad Yazji"); frequent name words ("محمد", "عبد", "الرحمن") come from a table in the
usual English news spelling. The article ``ال`` becomes ``al-`` (with sun-letter assimilation left out,
as news agencies mostly do), and each word is capitalised.
"""

from __future__ import annotations

import re

_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "'", "ؤ": "'", "ئ": "'", "ب": "b", "ت": "t", "ث": "th",
    "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ة": "a", "و": "w", "ي": "y", "ى": "a", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g",
}
# Frequent name words in their common English news spelling.
_WORDS = {
    "محمد": "Mohammed", "أحمد": "Ahmed", "احمد": "Ahmed", "محمود": "Mahmoud", "علي": "Ali", "عمر": "Omar",
    "حسن": "Hassan", "حسين": "Hussein", "خالد": "Khaled", "عبد": "Abd", "عبدالله": "Abdullah",
    "الله": "Allah", "الرحمن": "al-Rahman", "أبو": "Abu", "ابو": "Abu", "بن": "bin", "ابن": "Ibn",
    "بشار": "Bashar", "الأسد": "al-Assad", "صالح": "Saleh", "يوسف": "Youssef", "إبراهيم": "Ibrahim",
    "ابراهيم": "Ibrahim", "مصطفى": "Mustafa", "سعيد": "Saeed", "فيصل": "Faisal", "سلمان": "Salman",
    "وزارة": "Ministry", "الأمم": "al-Umam", "المتحدة": "al-Muttahida", "هيئة": "Hayat", "تحرير": "Tahrir",
    "الشام": "al-Sham", "سوريا": "Syria", "السوري": "al-Suri", "السورية": "al-Suriya", "الجولاني": "al-Julani",
}
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alef, tatweel
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
    return " ".join(_word(word) for word in _MARKS.sub("", name).split())
