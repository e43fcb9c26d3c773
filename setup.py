"""The compiled parts of newsingest; everything else is declared in pyproject.toml.

Two hot loops in C: the tokenizer's scan (``text/_tokens.c``) and the NER model's Viterbi decoding
(``stages/extract/_viterbi.c``). Both are optional: without a C compiler the install still succeeds and
each runs its Python or numpy loop instead, with the same results at a few times the cost.
"""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("newsingest.text._tokens", ["services/newsingest/text/_tokens.c"], optional=True),
    Extension("newsingest.stages.extract._viterbi", ["services/newsingest/stages/extract/_viterbi.c"], optional=True),
])
