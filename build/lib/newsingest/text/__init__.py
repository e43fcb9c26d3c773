"""Text utilities every stage shares: tokens, folding to a matching form, sentences, word lists, social-media patterns."""
