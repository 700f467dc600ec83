"""API of the pipeline app: targets (being built)."""
