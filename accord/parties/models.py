"""The graph of parties: organizations, people, their positions and the relationships between them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel, TimestampedModel
from accord.core.visibility import VisibleQuerySet

from .choices import (
    ORGANIZATION_RELATIONSHIP_TYPES,
    PERSON_RELATIONSHIP_TYPES,
    BuyingRole,
    ContactKind,
    Industry,
    OrganizationRole,
    OrganizationSize,
    RelationshipType,
)
from .validators import format_phone, normalize_phone, normalize_vat_id


class Tag(models.Model):
    """A shared label for organizations and people (e.g. "Rahmenvertrag", "Key account")."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def role_field(role: str) -> str:
    return f"is_{role}"


class Organization(OwnedModel):
    """A company, authority, association or internal business unit, holding one or several roles."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    is_client = models.BooleanField(_("client"), default=False, db_index=True)
    is_prospect = models.BooleanField(_("prospect"), default=False, db_index=True)
    is_supplier = models.BooleanField(_("supplier"), default=False, db_index=True)
    is_service_provider = models.BooleanField(_("service provider"), default=False, db_index=True)
    is_partner = models.BooleanField(_("partner"), default=False, db_index=True)
    is_competitor = models.BooleanField(_("competitor"), default=False, db_index=True)
    is_authority = models.BooleanField(_("authority / municipality"), default=False, db_index=True)
    is_internal = models.BooleanField(_("internal business unit"), default=False, db_index=True)
    industry = models.CharField(_("industry"), max_length=40, choices=Industry.choices, blank=True)
    size = models.CharField(_("size"), max_length=20, choices=OrganizationSize.choices, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    vat_id = models.CharField(_("VAT id"), max_length=32, blank=True, db_index=True)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The record's id in another system (e.g. an old CRM); imports match on it."),
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region / state"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="organizations"
    )
    is_archived = models.BooleanField(_("archived"), default=False, db_index=True)
    last_interaction_at = models.DateTimeField(
        _("last interaction"), null=True, blank=True, editable=False, db_index=True
    )

    history = HistoricalRecords(excluded_fields=["last_interaction_at", "updated_at"])

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["owner", "last_interaction_at"]),
            # the list's order with the archive flag inside the index: pages and capped counts
            # walk the index alone, however deep the page
            models.Index(fields=["name", "id", "is_archived"], name="org_list_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parties:organization_detail", args=[self.pk])

    @property
    def roles(self) -> list[str]:
        return [r.value for r in OrganizationRole if getattr(self, role_field(r.value))]

    @roles.setter
    def roles(self, values) -> None:
        chosen = set(values)
        for r in OrganizationRole:
            setattr(self, role_field(r.value), r.value in chosen)

    def get_roles_display(self) -> list[str]:
        return [str(r.label) for r in OrganizationRole if getattr(self, role_field(r.value))]

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.vat_id:
            try:
                self.vat_id = normalize_vat_id(self.vat_id, str(self.country or ""))
            except ValidationError as exc:
                errors["vat_id"] = exc
        if self.phone:
            try:
                self.phone = normalize_phone(self.phone, str(self.country or "DE"))
            except ValidationError as exc:
                errors["phone"] = exc
        if errors:
            raise ValidationError(errors)


class Person(OwnedModel):
    """Someone at one or more organizations; reached through several addresses and numbers."""

    salutation = models.CharField(_("salutation"), max_length=30, blank=True)
    academic_title = models.CharField(_("title"), max_length=40, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, db_index=True)
    # Denormalised from the current primary position and primary email, kept by parties.services,
    # so that lists show them without a query per row.
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True, editable=False, db_index=True)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The record's id in another system (e.g. an old CRM); imports match on it."),
    )
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="people")
    is_archived = models.BooleanField(_("archived"), default=False, db_index=True)
    last_interaction_at = models.DateTimeField(
        _("last interaction"), null=True, blank=True, editable=False, db_index=True
    )

    history = HistoricalRecords(
        excluded_fields=["last_interaction_at", "updated_at", "organization", "job_title", "email"]
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "id", "is_archived"], name="person_list_order"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = [self.academic_title, self.first_name, self.last_name]
        return " ".join(p for p in parts if p)

    def get_absolute_url(self) -> str:
        return reverse("parties:person_detail", args=[self.pk])


class PersonEmail(TimestampedModel):
    """One email address of a person; a person may have several, one of them primary."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="emails"
    )
    email = models.EmailField(_("email"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices, default="work")
    is_primary = models.BooleanField(_("primary"), default=False)

    visibility_parent = "person"
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        ordering = ["-is_primary", "email"]
        constraints = [
            models.UniqueConstraint(fields=["person", "email"], name="person_email_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        self.email = (self.email or "").strip().lower()


class PersonPhone(TimestampedModel):
    """One phone number of a person, stored in E.164 form."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=32)
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices, default="work")

    visibility_parent = "person"
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["kind", "number"]

    def __str__(self) -> str:
        return format_phone(self.number)

    def clean(self) -> None:
        country = (
            self.person.organization.country if self.person_id and self.person.organization else ""
        )
        try:
            self.number = normalize_phone(self.number, str(country or "DE"))
        except ValidationError as exc:
            raise ValidationError({"number": exc}) from exc


class Position(TimestampedModel):
    """A person's place at an organization over a period: title, department and buying role."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True)
    buying_role = models.CharField(
        _("buying role"), max_length=30, choices=BuyingRole.choices, blank=True, db_index=True
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    visibility_parent = "person"
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-is_primary", "end_date", "-start_date", "id"]
        indexes = [models.Index(fields=["organization", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.title or '—'} · {self.organization}"

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.end_date is None or self.end_date >= timezone.localdate()

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("A position cannot end before it starts.")}, code="end_before_start"
            )


class Relationship(OwnedModel):
    """A typed, dated edge between two organizations or between two people."""

    relationship_type = models.CharField(_("type"), max_length=30, choices=RelationshipType.choices)
    from_organization = models.ForeignKey(
        Organization,
        verbose_name=_("from organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_from",
    )
    to_organization = models.ForeignKey(
        Organization,
        verbose_name=_("to organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_to",
    )
    from_person = models.ForeignKey(
        Person,
        verbose_name=_("from person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_from",
    )
    to_person = models.ForeignKey(
        Person,
        verbose_name=_("to person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="relationships_to",
    )
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["relationship_type", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        from_organization__isnull=False,
                        to_organization__isnull=False,
                        from_person__isnull=True,
                        to_person__isnull=True,
                    )
                    | Q(
                        from_organization__isnull=True,
                        to_organization__isnull=True,
                        from_person__isnull=False,
                        to_person__isnull=False,
                    )
                ),
                name="relationship_joins_two_of_a_kind",
            ),
            models.CheckConstraint(
                condition=~Q(from_organization=models.F("to_organization"))
                | Q(from_organization__isnull=True),
                name="relationship_org_not_self",
            ),
            models.CheckConstraint(
                condition=~Q(from_person=models.F("to_person")) | Q(from_person__isnull=True),
                name="relationship_person_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_relationship_type_display()} {self.target}"

    @property
    def source(self):
        return self.from_organization or self.from_person

    @property
    def target(self):
        return self.to_organization or self.to_person

    def get_absolute_url(self) -> str:
        return reverse("parties:relationship_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        is_org = self.from_organization_id or self.to_organization_id
        is_person = self.from_person_id or self.to_person_id
        if is_org and is_person:
            errors["to_person"] = _(
                "A relationship joins two organizations or two people, not both."
            )
        elif is_org:
            if not (self.from_organization_id and self.to_organization_id):
                errors["to_organization"] = _("Choose both organizations.")
            elif self.from_organization_id == self.to_organization_id:
                errors["to_organization"] = _(
                    "An organization cannot have a relationship with itself."
                )
            if (
                self.relationship_type
                and self.relationship_type not in ORGANIZATION_RELATIONSHIP_TYPES
            ):
                errors["relationship_type"] = _("This type joins people, not organizations.")
        elif is_person:
            if not (self.from_person_id and self.to_person_id):
                errors["to_person"] = _("Choose both people.")
            elif self.from_person_id == self.to_person_id:
                errors["to_person"] = _("A person cannot have a relationship with themselves.")
            if self.relationship_type and self.relationship_type not in PERSON_RELATIONSHIP_TYPES:
                errors["relationship_type"] = _("This type joins organizations, not people.")
        else:
            errors["to_organization"] = _("Choose the two organizations or the two people.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A relationship cannot end before it starts.")
        if errors:
            raise ValidationError(errors)
