"""Stage 1, clean: HTML to main text, scraping junk and repeated paragraphs removed, Unicode repaired, language detected."""
