"""The topic contracts: one JSON Schema per topic, the AsyncAPI document and example records (package data)."""
