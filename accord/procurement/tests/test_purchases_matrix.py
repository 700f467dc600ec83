"""Permission matrix and query budgets of purchase orders and supplier profiles (pages and API),
and the pages that change lines and deliveries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from accord.core import testing
from accord.parties.models import Organization
from accord.procurement.models import PurchaseOrder, SupplierProfile

from .factories_suppliers import make_order, make_profile, make_supplier


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(PurchaseOrder, SupplierProfile, Organization)


class PurchaseOrderPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = PurchaseOrder
    namespace = "procurement"
    list_query_budget = 8
    detail_query_budget = 12

    @classmethod
    def make_object(cls, *, owner, team):
        return make_order(owner=owner, team=team)

    def form_data(self):
        supplier = make_supplier(owner=self.u.other, team=self.u.team_b, name="Neu Lieferant AG")
        return {
            "number": "",
            "supplier": supplier.pk,
            "ordered_on": "2025-04-01",
            "currency": "EUR",
            "status": "ordered",
        }

    def edit_data(self, obj):
        return {
            "number": obj.number,
            "supplier": obj.supplier_id,
            "ordered_on": "2025-04-02",
            "currency": "EUR",
            "status": "ordered",
            "note": "Geändert",
        }


class PurchaseOrderApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = PurchaseOrder
    api_list_url = "/api/procurement/purchase-orders/"
    api_query_budget = 9

    @classmethod
    def make_object(cls, *, owner, team):
        return make_order(owner=owner, team=team)

    def api_data(self):
        supplier = make_supplier(owner=self.u.other, team=self.u.team_b, name="API Lieferant")
        return {
            "supplier": supplier.pk,
            "ordered_on": "2025-04-01",
            "lines": [{"description": "Kabel", "quantity": "3", "unit_price": "4.5"}],
        }

    def api_update_data(self, obj):
        return {"note": "Per API geändert"}


class SupplierProfilePages(WarmContentTypes, testing.PageMatrixTestCase):
    model = SupplierProfile
    namespace = "procurement"
    list_query_budget = 10
    detail_query_budget = 16

    @classmethod
    def make_object(cls, *, owner, team):
        return make_profile(owner=owner, team=team)

    def form_data(self):
        org = make_supplier(owner=self.u.other, team=self.u.team_b, name="Profil GmbH")
        return {
            "organization": org.pk,
            "supply_risk": "3",
            "qualification_status": "candidate",
        }

    def edit_data(self, obj):
        return {"supply_risk": "4", "qualification_status": "conditional", "kraljic_class": ""}


class SupplierProfileApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = SupplierProfile
    api_list_url = "/api/procurement/supplier-profiles/"
    api_query_budget = 9

    @classmethod
    def make_object(cls, *, owner, team):
        return make_profile(owner=owner, team=team)

    def api_data(self):
        org = make_supplier(owner=self.u.other, team=self.u.team_b, name="API Profil GmbH")
        return {"organization": org.pk, "supply_risk": 2}

    def api_update_data(self, obj):
        return {"supply_risk": 5}


class OrderPageFlows(TestCase):
    """Lines and deliveries recorded on the order page; the organization page fragment."""

    def test_lines_and_delivery_through_pages(self):
        u = testing.make_users()
        order = make_order(owner=u.owner, team=u.team_a, lines=[])
        self.client.force_login(u.owner)
        add_line = reverse("procurement:purchaseorderline_add", args=[order.pk])
        response = self.client.post(
            add_line,
            {"description": "Relais 24 V", "quantity": "10", "unit": "Stk", "unit_price": "3"},
        )
        self.assertEqual(response.status_code, 302)
        response = self.client.post(
            add_line, {"description": "Null", "quantity": "0", "unit_price": "3"}
        )
        self.assertContains(response, "Enter a quantity above 0.")
        line = order.lines.get()
        add_delivery = reverse("procurement:delivery_add", args=[order.pk])
        response = self.client.post(
            add_delivery,
            {
                "delivered_on": "2025-03-20",
                f"received_{line.pk}": "12",
                f"rejected_{line.pk}": "1",
                f"price_{line.pk}": "",
            },
            follow=True,
        )
        self.assertContains(response, "Over-delivery")
        order.refresh_from_db()
        self.assertEqual(order.status, "delivered")
        self.assertEqual(order.deliveries.get().lines.get().quantity_received, Decimal("12"))
        # the other team sees nothing of it
        self.client.force_login(u.other)
        self.assertEqual(self.client.get(add_delivery).status_code, 404)
        self.assertEqual(self.client.get(order.get_absolute_url()).status_code, 404)

    def test_organization_fragment_and_search(self):
        u = testing.make_users()
        profile = make_profile(owner=u.owner, team=u.team_a)
        make_order(
            owner=u.owner,
            team=u.team_a,
            supplier=profile.organization,
            number="PO-SUCH-1",
            ordered_on=dt.date.today(),
        )
        self.client.force_login(u.owner)
        url = reverse("procurement:organization_supplier", args=[profile.organization_id])
        response = self.client.get(url)
        self.assertContains(response, "PO-SUCH-1")
        self.assertContains(response, profile.get_absolute_url())
        page = self.client.get(profile.organization.get_absolute_url())
        self.assertContains(page, url)
        self.client.force_login(u.other)
        self.assertNotContains(self.client.get(url), "PO-SUCH-1")
