"""Text utilities the stages share: tokens, folding to a matching form, sentences, dates, word lists, social-media patterns."""
