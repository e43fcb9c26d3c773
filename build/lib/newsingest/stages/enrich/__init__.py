"""Stage 3, enrich: geocoding, entity names in Latin script, events, topic, tone and near-duplicates."""
