"""Analysis: the engine (`engine/`, plain Python and numeric libraries, no Django) and, later, the
Django side that feeds it from selectors and stores its results.

Not a Django app yet: nothing here has models.
"""
