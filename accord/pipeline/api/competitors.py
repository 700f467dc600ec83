"""API of the pipeline app: competitors (being built)."""
