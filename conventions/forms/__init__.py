"""Forms, one module per concept."""
