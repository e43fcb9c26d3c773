"""Language processing used by the stages: pure functions, no I/O, no broker."""
