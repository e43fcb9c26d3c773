"""Stage 2, extract: entities (the NER model), quotes and speakers, counts, dates and social-media references."""
