"""newsingest: a streaming news-ingest pipeline (clean → extract → enrich) on Kafka."""

__version__ = "0.1.0"
