"""Accord: open-source relationship management."""
