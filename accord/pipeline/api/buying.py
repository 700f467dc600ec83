"""API of the pipeline app: buying (being built)."""
