"""Realistic, reproducible demo and benchmark data (not a Django app).

`accord.demo.generator.generate()` builds organizations of every role, people with positions over
time, relationships, two years of interactions with realistic rhythms, follow-ups and the demo users.
The same seed gives the same data; sizes scale from the demo (300 organizations) to the benchmark
sizes (`bench/`).
"""
