"""Reads of the commerce app: every signed-in user reads the catalogue."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accord.core import visibility

from ..models import Product


def product_list(user: Any) -> QuerySet[Product]:
    if not visibility.is_authenticated(user):
        return Product.objects.none()
    return Product.objects.all()
