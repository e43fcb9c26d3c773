"""Evaluations against the public sets in ``../shared/eval`` (run by hand; tests sample them)."""
