"""Quotes and their speakers: attribution verbs, coreference, continuation and dash lines."""

from __future__ import annotations

from newsingest.stages.extract.coref import propagate
from newsingest.stages.extract.entities import find_mentions
from newsingest.stages.extract.quotes import find_quotes
from newsingest.text.tokens import tokenize


def quotes(*paragraphs: str) -> list[tuple[str, str | None, str]]:
    text = "\n\n".join(paragraphs)
    tokens = tokenize(text)
    found, _ = find_quotes(text, tokens, propagate(text, tokens, find_mentions(text, tokens)))
    for quote in found:
        assert text[quote.start:quote.end] == quote.text
    return [(q.text, q.speaker.text if q.speaker else None, q.kind) for q in found]


def test_arabic_verb_then_speaker_up_to_inna() -> None:
    assert quotes("وبعد فترة وجيزة، قالت وزارة الدفاع السورية إن هذه التقارير “كاذبة” وأن الجيش في مكانه.") == [
        ("كاذبة", "وزارة الدفاع السورية", "direct")]
    assert quotes("وقال زاهر سحلول، وهو طبيب وناشط نشأ في حمص، إن ذلك كان “يوماً تاريخياً” للمدينة.") == [
        ("يوماً تاريخياً", "زاهر سحلول", "direct")]


def test_subjectless_verb_continuation_and_chained_quotes() -> None:
    found = quotes(
        "وقال أبو محمد الجولاني، زعيم هيئة تحرير الشام، لشبكة CNN إن هدفه هو “الإطاحة بهذا النظام”.",
        "وقال لموقع ميدل إيست آي: “أشعر بالابتهاج ولكنني أشعر بالقلق”.",
        "“كل من تحدثت معهم كانوا سعداء بعد أن رأوا ما يحدث في حلب وحماة”.",
        "وأضاف أن الهيئة قد “تحولت إلى حركة أكثر براغماتية” كانت تنشر “رسائل جيدة” إلى الأقليات.",
    )
    assert {speaker for _, speaker, _ in found} == {"أبو محمد الجولاني"}
    assert len(found) == 5


def test_according_to_and_guillemets() -> None:
    # the model ends this organisation at "السوري" when the sentence stands alone (the seed article has it whole)
    assert quotes("وبحسب المرصد السوري لحقوق الإنسان، انسحبت القوات «فجأة» من المدينة.") == [
        ("فجأة", "المرصد السوري", "direct")]


def test_dash_line_names_the_speaker_of_a_quote_paragraph() -> None:
    assert quotes("“كل من تحدثت معهم كانوا سعداء بما يحدث في حلب”.", "– زاهر سحلول، طبيب وناشط") == [
        ("كل من تحدثت معهم كانوا سعداء بما يحدث في حلب”.".rstrip("”."), "زاهر سحلول", "direct")]


def test_english_attribution_before_and_after() -> None:
    found = quotes(
        'The Shadow Secretary for the Family, Theresa May, said: "These plans were announced in December."',
        '"While the majority of costs may be covered, the strain will not be," he said.',
        'But David Frost, director general of the British Chambers of Commerce, warned firms could be "crippled".',
    )
    assert [(speaker, kind) for _, speaker, kind in found] == [
        ("Theresa May", "direct"), ("Theresa May", "direct"), ("David Frost", "direct")]


def test_straight_quotes_reopened_before_closing() -> None:
    found = quotes('Ms Hewitt said: "We have doubled maternity pay. "We are going to extend the pay to nine months."')
    assert [text for text, _, _ in found] == ["We have doubled maternity pay.", "We are going to extend the pay to nine months."]


def test_reported_speech_and_quoted_names() -> None:
    assert quotes("قال مسؤولون أفغان إن 14 جنديا أفغانيا قتلوا في حادث إطلاق نار.") == [
        ("14 جنديا أفغانيا قتلوا في حادث إطلاق نار", "مسؤولون أفغان", "reported")]
    assert quotes("The Bank of England said that rates would stay on hold until next year.") == [
        ("rates would stay on hold until next year", "Bank of England", "reported")]
    assert quotes("وقال إن متشددي تنظيم “داعش” هاجموا القرية.") == []  # a quoted name, not speech
    assert quotes("أفادت التقارير أن قوات سوريا الديمقراطية عززت قواتها في المدينة.") == []  # a source, not a speaker


def test_quoted_names_and_titles_are_not_quotes() -> None:
    found = quotes('قالت مؤسسة جسر الملك فهد في بيان إن التيار انقطع. وتابعت "المؤسسة": "تم تشغيل جميع البطاريات الاحتياطية فورا".',
                   'وتضم مجموعة الواتساب "بيت المثقفين العرب" كتابا من عدة دول.')
    # the quote only: "المؤسسة" and the group's name in quotation marks are names, not quotes (the speaker, the
    # NER models' "جسر الملك فهد" inside "مؤسسة جسر الملك فهد", is left unattributed)
    assert [(text, kind) for text, _, kind in found] == [("تم تشغيل جميع البطاريات الاحتياطية فورا", "direct")]


def test_english_speaker_named_at_length_after_the_quote() -> None:
    found = quotes('"He will have tests in the next 48 hours," Wales\' team physiotherapist Mark Davies said on Monday, '
                   'as officials said the match would go ahead.')
    assert found[0] == ("He will have tests in the next 48 hours,", "Mark Davies", "direct")
