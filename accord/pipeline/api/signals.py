"""API of the pipeline app: signals (being built)."""
