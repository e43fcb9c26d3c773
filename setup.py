"""The compiled parts of newsingest; everything else is declared in pyproject.toml.

Four hot loops in C: the tokenizer's scan and the runs of word characters (``text/_tokens.c``), the NER
model's scoring and decoding (``stages/extract/_viterbi.c``) and its features of new words
(``stages/extract/_features.c``), and the shingle sketch of a duplicate fingerprint (``stages/enrich/_sketch.c``). All are optional: without a
C compiler the install still succeeds and each runs its Python or numpy loop instead, with the same
results at a few times the cost.
"""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("newsingest.text._tokens", ["services/newsingest/text/_tokens.c"], optional=True),
    Extension("newsingest.stages.extract._viterbi", ["services/newsingest/stages/extract/_viterbi.c"], optional=True),
    Extension("newsingest.stages.extract._features", ["services/newsingest/stages/extract/_features.c"], optional=True),
    Extension("newsingest.stages.enrich._sketch", ["services/newsingest/stages/enrich/_sketch.c"], optional=True),
])
