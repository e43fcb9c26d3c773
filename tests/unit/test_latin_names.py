"""Latin-script names of Arabic entities: transliteration, and English names of organisation names."""

from __future__ import annotations

import pytest

from newsingest.stages.enrich.org_names import english_org_name
from newsingest.stages.enrich.transliterate import to_latin


def test_arabic_names_get_latin_forms() -> None:
    assert to_latin("بشار الأسد") == "Bashar al-Assad"
    assert to_latin("رامي عبد الرحمن") == "Rami Abd al-Rahman"
    assert to_latin("جهاد يازجي") == "Jihad Yazji"  # a common given name by table, the family name letter by letter
    assert to_latin("زاهر سحلول") == "Zaher Shlul"  # short vowels are not written
    assert to_latin("CNN") == "CNN"


@pytest.mark.parametrize(("arabic", "english"), [
    ("المرصد السوري لحقوق الإنسان", "Syrian Observatory for Human Rights"),  # adjective first, "لـ" phrase with "for"
    ("وزارة الدفاع السورية", "Syrian Ministry of Defence"),
    ("الجيش الوطني السوري", "Syrian National Army"),  # adjectives in reverse order
    ("قوات سوريا الديمقراطية", "Syrian Democratic Forces"),  # a governed country becomes its adjective
    ("جامعة دمشق", "University of Damascus"),  # a governed city stays a name after "of"
    ("الهيئة العامة للإحصاء", "General Authority for Statistics"),
    ("سفارة العراق", "Iraqi Embassy"),
    ("تنظيم القاعدة", "al-Qaeda"),  # English leaves the head out before a proper name
    ("الأمم المتحدة", "United Nations"),
])
def test_organisation_names_made_of_known_words_get_their_english_name(arabic: str, english: str) -> None:
    assert english_org_name(arabic) == english


def test_organisation_names_with_unknown_words_are_left_to_transliteration() -> None:
    assert english_org_name("هيئة تحرير الشام") is None  # English news transliterates it too
    assert english_org_name("موقع ميدل إيست آي") is None
    assert english_org_name("Reuters") is None
    assert english_org_name("السورية") is None  # an adjective alone is no name
