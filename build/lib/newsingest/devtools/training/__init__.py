"""Rebuilding the shipped NER model from the shared training data (`make ner-model`)."""
