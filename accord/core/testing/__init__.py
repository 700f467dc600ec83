"""Reusable test cases: every model gets the permission matrix and query budgets by supplying data."""

from .matrix import ApiMatrixTestCase, PageMatrixTestCase, make_users

__all__ = ["ApiMatrixTestCase", "PageMatrixTestCase", "make_users"]
