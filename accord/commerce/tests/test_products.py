"""The product catalogue: everyone reads, only administrators and managers write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.commerce import services
from accord.commerce.models import Product
from accord.core.testing import make_users

URL = "/api/commerce/products/"


@pytest.fixture
def users(db):
    return make_users()


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def product(users):
    return services.product_create(
        actor=users.admin,
        data={"name": "Wartung Größe L", "sku": "WL-1", "list_price": Decimal("250.00")},
    )


def test_admin_and_manager_write_the_catalogue(users, product):
    assert product.currency == "EUR"
    services.product_update(actor=users.manager, instance=product, data={"currency": "chf"})
    product.refresh_from_db()
    assert product.currency == "CHF"
    services.product_delete(actor=users.manager, instance=product)
    assert not Product.objects.exists()


@pytest.mark.parametrize("role", ["owner", "viewer", "other"])
def test_others_only_read(users, product, role):
    user = getattr(users, role)
    with pytest.raises(PermissionDenied):
        services.product_create(actor=user, data={"name": "X", "sku": "X-1"})
    with pytest.raises(PermissionDenied):
        services.product_update(actor=user, instance=product, data={"name": "Y"})
    with pytest.raises(PermissionDenied):
        services.product_delete(actor=user, instance=product)
    client = api(user)
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}{product.pk}/").status_code == 200
    assert client.post(URL, {"name": "X", "sku": "X-2"}, format="json").status_code == 403
    assert client.patch(f"{URL}{product.pk}/", {"name": "Y"}, format="json").status_code == 403
    assert client.delete(f"{URL}{product.pk}/").status_code == 403
    assert Product.objects.get().name == "Wartung Größe L"


def test_pages_read_for_everyone_write_for_managers(users, product, client):
    client.force_login(users.owner)
    assert client.get("/products/").status_code == 200
    assert client.get(product.get_absolute_url()).status_code == 200
    assert client.get("/products/add/").status_code == 403
    assert client.post("/products/add/", {"name": "X", "sku": "X-3"}).status_code == 403
    assert client.post(f"/products/{product.pk}/delete/").status_code == 403
    client.force_login(users.manager)
    response = client.post(
        "/products/add/",
        {"name": "Schulung", "sku": "S-1", "list_price": "90", "currency": "EUR", "active": "on"},
    )
    assert response.status_code == 302
    assert Product.objects.filter(sku="S-1").exists()
    client.force_login(users.admin)
    assert client.post(f"/products/{product.pk}/delete/").status_code == 302


@pytest.mark.parametrize(
    ("field", "data"),
    [("list_price", {"list_price": "-1"}), ("currency", {"currency": "EURO"}), ("sku", {})],
)
def test_bad_input_names_the_field(users, product, field, data):
    payload = {"name": "Neu", "sku": "WL-1" if field == "sku" else "N-1", **data}
    response = api(users.admin).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    with pytest.raises(ValidationError) as exc:
        services.product_create(actor=users.admin, data=payload)
    assert field in exc.value.message_dict
