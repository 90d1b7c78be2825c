"""Writes with side effects, one module per concept."""
