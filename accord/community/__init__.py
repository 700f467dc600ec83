"""Stakeholder assessments, engagement plans and concerns."""
