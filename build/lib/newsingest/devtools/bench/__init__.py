"""`newsingest bench`: throughput, latency, CPU and memory of the pipeline beside bare-Kafka baselines."""
