"""Supplier profiles, purchases, deliveries, scorecards and budgets."""
