"""The worker shell and what every stage shares at run time: settings, Kafka wiring, contracts, dead letters, metrics, logs."""
