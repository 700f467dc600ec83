"""Contracts, obligations and commitments, negotiations."""
