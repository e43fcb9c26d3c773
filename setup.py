"""The one compiled part of newsingest; everything else is declared in pyproject.toml.

The NER model's Viterbi decoding in C (``stages/extract/_viterbi.c``). It is optional: without a C compiler
the install still succeeds and the decoder runs its numpy loop instead, the same paths at a few times the cost.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("newsingest.stages.extract._viterbi", ["services/newsingest/stages/extract/_viterbi.c"], optional=True)])
