"""Operator commands: the local broker, `up`, `publish`/`tail`, `replay`, and the input readers they share."""
