"""Permission matrix and query budgets for organizations, people and relationships (pages and API)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from accord.core import testing
from accord.parties.models import Organization, Person, Relationship

from .factories import OrganizationFactory, RelationshipFactory, make_person


class WarmContentTypes:
    """The visibility rule looks up content types once per process (Django caches them); a served
    process has them cached, so the budgets are measured warm, as every request after the first."""

    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Organization, Person, Relationship)


class OrganizationPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Organization
    namespace = "parties"

    @classmethod
    def make_object(cls, *, owner, team):
        return OrganizationFactory(owner=owner, team=team)

    def form_data(self):
        return {"name": "Neue Lieferanten GmbH", "roles": ["supplier", "partner"], "country": "DE"}


class OrganizationApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Organization
    api_list_url = "/api/parties/organizations/"

    @classmethod
    def make_object(cls, *, owner, team):
        return OrganizationFactory(owner=owner, team=team)

    def api_data(self):
        return {"name": "API GmbH", "roles": ["client", "supplier"], "tags": ["Key account"]}


class PersonPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Person
    namespace = "parties"

    @classmethod
    def make_object(cls, *, owner, team):
        org = OrganizationFactory(owner=owner, team=team)
        return make_person(
            owner=owner, team=team, organization=org, email=None, buying_role="decision_maker"
        )

    def form_data(self):
        return {"first_name": "Max", "last_name": "Muster"}


class PersonApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Person
    api_list_url = "/api/parties/people/"

    @classmethod
    def make_object(cls, *, owner, team):
        org = OrganizationFactory(owner=owner, team=team)
        return make_person(owner=owner, team=team, organization=org, buying_role="finance")

    def api_data(self):
        return {
            "first_name": "Anna",
            "last_name": "Api",
            "emails": [{"email": "anna.api@example.test"}],
            "phones": [{"number": "030 1234567"}],
        }

    def api_update_data(self, obj):
        return {"first_name": "Annegret"}


class RelationshipPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Relationship
    namespace = "parties"

    @classmethod
    def make_object(cls, *, owner, team):
        return RelationshipFactory(
            owner=owner,
            team=team,
            from_organization=OrganizationFactory(owner=owner, team=team),
            to_organization=OrganizationFactory(owner=owner, team=team),
        )

    def form_data(self):
        # created by the member of the other team: two organizations that member may see
        a = OrganizationFactory(owner=self.u.other, team=self.u.team_b)
        b = OrganizationFactory(owner=self.u.other, team=self.u.team_b)
        return {
            "relationship_type": "partners_with",
            "from_organization": a.pk,
            "to_organization": b.pk,
        }

    def edit_data(self, obj):
        return {
            "relationship_type": "partners_with",
            "from_organization": obj.from_organization_id,
            "to_organization": obj.to_organization_id,
            "notes": "seit der Messe",
        }


class RelationshipApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Relationship
    api_list_url = "/api/parties/relationships/"

    @classmethod
    def make_object(cls, *, owner, team):
        return RelationshipPages.make_object(owner=owner, team=team)

    def api_data(self):
        a = OrganizationFactory(owner=self.u.other, team=self.u.team_b)
        b = OrganizationFactory(owner=self.u.other, team=self.u.team_b)
        return {
            "relationship_type": "competes_with",
            "from_organization": a.pk,
            "to_organization": b.pk,
        }

    def api_update_data(self, obj):
        return {"notes": "geändert"}
