"""API of the pipeline app: config (being built)."""
