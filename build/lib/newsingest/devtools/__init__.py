"""Offline tooling that no worker imports: benchmarks, evaluations, corpus readers and model training."""
