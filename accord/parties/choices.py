from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationRole(models.TextChoices):
    """The roles an organization can hold at once; each is stored as a boolean `is_<role>` column."""

    CLIENT = "client", _("Client")
    PROSPECT = "prospect", _("Prospect")
    SUPPLIER = "supplier", _("Supplier")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    PARTNER = "partner", _("Partner")
    COMPETITOR = "competitor", _("Competitor")
    AUTHORITY = "authority", _("Authority / municipality")
    INTERNAL = "internal", _("Internal business unit")


class OrganizationSize(models.TextChoices):
    MICRO = "micro", _("1–9 employees")
    SMALL = "small", _("10–49 employees")
    MEDIUM = "medium", _("50–249 employees")
    LARGE = "large", _("250–999 employees")
    ENTERPRISE = "enterprise", _("1,000+ employees")


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    AUTOMOTIVE = "automotive", _("Automotive")
    CHEMICALS = "chemicals", _("Chemicals")
    ENERGY = "energy", _("Energy and utilities")
    CONSTRUCTION = "construction", _("Construction")
    LOGISTICS = "logistics", _("Logistics")
    RETAIL = "retail", _("Retail")
    FINANCE = "finance", _("Finance and insurance")
    HEALTHCARE = "healthcare", _("Healthcare")
    IT = "it", _("IT and software")
    TELECOM = "telecom", _("Telecommunications")
    PUBLIC = "public", _("Public sector")
    EDUCATION = "education", _("Education and research")
    SERVICES = "services", _("Professional services")
    FOOD = "food", _("Food and agriculture")
    OTHER = "other", _("Other")


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    ECONOMIC_BUYER = "economic_buyer", _("Economic buyer")
    INFLUENCER = "influencer", _("Influencer")
    TECHNICAL_EVALUATOR = "technical_evaluator", _("Technical evaluator")
    FINANCE = "finance", _("Finance")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    CHAMPION = "champion", _("Champion")
    BLOCKER = "blocker", _("Blocker")


class ContactKind(models.TextChoices):
    WORK = "work", _("Work")
    PRIVATE = "private", _("Private")
    MOBILE = "mobile", _("Mobile")
    OTHER = "other", _("Other")


class RelationshipType(models.TextChoices):
    """Typed edges; the first five join organizations, the last two join people."""

    SUPPLIES = "supplies", _("supplies")
    PARTNERS_WITH = "partners_with", _("partners with")
    COMPETES_WITH = "competes_with", _("competes with")
    SUBSIDIARY_OF = "subsidiary_of", _("is a subsidiary of")
    AUTHORITY_OVER = "authority_over", _("has authority over")
    REPORTS_TO = "reports_to", _("reports to")
    KNOWS = "knows", _("knows")


ORGANIZATION_RELATIONSHIP_TYPES = {
    RelationshipType.SUPPLIES,
    RelationshipType.PARTNERS_WITH,
    RelationshipType.COMPETES_WITH,
    RelationshipType.SUBSIDIARY_OF,
    RelationshipType.AUTHORITY_OVER,
}
PERSON_RELATIONSHIP_TYPES = {RelationshipType.REPORTS_TO, RelationshipType.KNOWS}

# How an edge reads from its other end ("A supplies B" shows on B as "is supplied by A").
INVERSE_LABELS = {
    RelationshipType.SUPPLIES: _("is supplied by"),
    RelationshipType.PARTNERS_WITH: _("partners with"),
    RelationshipType.COMPETES_WITH: _("competes with"),
    RelationshipType.SUBSIDIARY_OF: _("is the parent of"),
    RelationshipType.AUTHORITY_OVER: _("is under the authority of"),
    RelationshipType.REPORTS_TO: _("is reported to by"),
    RelationshipType.KNOWS: _("knows"),
}

# The buying roles a healthy buying center covers; a role in this list that nobody holds shows as a gap
# on the organization page ("no decision maker known"). Gatekeepers and blockers are not expected.
EXPECTED_BUYING_ROLES = (
    BuyingRole.DECISION_MAKER,
    BuyingRole.ECONOMIC_BUYER,
    BuyingRole.INFLUENCER,
    BuyingRole.TECHNICAL_EVALUATOR,
    BuyingRole.FINANCE,
    BuyingRole.USER,
    BuyingRole.CHAMPION,
)
