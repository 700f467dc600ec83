"""Forms of the parties pages: they validate input; the services in `services.py` write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.forms import BulkEditForm, NullBooleanChoice, ServiceModelForm
from accord.core.widgets import AutocompleteSelect, AutocompleteSelectMultiple

from .choices import BuyingRole, ContactKind, OrganizationRole
from .models import Organization, Person, PersonEmail, PersonPhone, Position, Relationship, Tag
from .services import DUPLICATE_EMAIL
from .validators import normalize_phone

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


AUTOCOMPLETE_URL = "parties:autocomplete"


def organization_widget(*, multiple: bool = False) -> AutocompleteSelect:
    """A search box over the visible organizations (no list of all of them); see `core.widgets`."""
    widget = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return widget(AUTOCOMPLETE_URL, "organization", search_label=_("Search organizations …"))


def person_widget(*, multiple: bool = False) -> AutocompleteSelect:
    """A search box over the visible people (no list of all of them); see `core.widgets`."""
    widget = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    return widget(AUTOCOMPLETE_URL, "person", search_label=_("Search people …"))


def person_choice_label(person: Person) -> str:
    """A person as a chosen option: "Dr. Anna Roth (Müller GmbH)", the organization she is at."""
    org = person.organization.name if person.organization_id and person.organization else ""
    return f"{person.full_name} ({org})" if org else person.full_name


class IdRangeMixin:
    """An id beyond any database's integer range is a wrong choice, not a crash (SQLite overflows
    in the `pk__in` query of a multiple choice)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value or ():
            if str(pk).isdigit() and int(pk) >= 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],  # type: ignore[attr-defined]
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]


class OrganizationMultipleChoiceField(IdRangeMixin, forms.ModelMultipleChoiceField):
    """Organizations chosen with the search box."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", organization_widget(multiple=True))
        super().__init__(*args, **kwargs)


class PersonChoiceMixin:
    """People chosen with the search box, shown with their current organization (same query)."""

    multiple = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", person_widget(multiple=self.multiple))
        super().__init__(*args, **kwargs)
        self.queryset = self.queryset.select_related("organization")  # type: ignore[attr-defined]

    def label_from_instance(self, obj: Person) -> str:
        return person_choice_label(obj)


class PersonChoiceField(PersonChoiceMixin, forms.ModelChoiceField):
    pass


class PersonMultipleChoiceField(PersonChoiceMixin, IdRangeMixin, forms.ModelMultipleChoiceField):
    multiple = True


def _active_users():
    return get_user_model().objects.filter(is_active=True)


class OwnerTeamMixin:
    """Owner among active users. Left empty: on create the author owns the record, on edit the owner
    stays; a team not sent at all (e.g. an API-like post) stays as it is."""

    def limit_owner(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        if "owner" in fields:
            fields["owner"].queryset = _active_users()
            fields["owner"].help_text = (
                _("Left empty: unchanged.") if self.instance.pk else _("Left empty: you.")  # type: ignore[attr-defined]
            )

    def owner_team_data(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.instance.pk:  # type: ignore[attr-defined]
            if data.get("owner") is None:
                data.pop("owner", None)
            if "team" not in self.data:  # type: ignore[attr-defined]
                data.pop("team", None)
        return data

    def service_data(self) -> dict[str, Any]:
        return self.owner_team_data(super().service_data())  # type: ignore[misc]


class OrganizationForm(OwnerTeamMixin, ServiceModelForm):
    website = forms.URLField(
        label=_("website"), max_length=300, required=False, assume_scheme="https"
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=OrganizationRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An organization may hold several roles at once."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "legal_name",
            "roles",
            "industry",
            "size",
            "website",
            "email",
            "phone",
            "vat_id",
            "street",
            "postal_code",
            "city",
            "region",
            "country",
            "tags",
            "notes",
            "external_id",
            "owner",
            "team",
        ]
        widgets = {"tags": forms.CheckboxSelectMultiple}
        help_texts = {
            "vat_id": _("With the country code, e.g. DE136695976."),
            "phone": _("Stored in international form, e.g. +49 30 1234567."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["roles"] = self.instance.roles
        self.limit_owner()


class OrganizationBulkEditForm(BulkEditForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_active_users(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    add_tag = forms.ModelChoiceField(label=_("Add tag"), queryset=Tag.objects.all(), required=False)
    is_archived = NullBooleanChoice(label=_("Archived"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = apps.get_model("users", "Team").objects.all()
        self.fields["add_tag"].queryset = Tag.objects.all()


class PersonBulkEditForm(OrganizationBulkEditForm):
    pass


class DuplicateEmailMixin:
    """The service refuses an address another person already has until it is confirmed
    (`services.check_duplicate_email`); the form shows that refusal with a link to the other person
    and the box to confirm it."""

    def add_error(self, field, error):  # type: ignore[no-untyped-def]
        if field == "email" and isinstance(error, list | ValidationError):
            errors = error if isinstance(error, list) else [error]
            error = [self._linked(e) if _is_duplicate(e) else e for e in errors]
        super().add_error(field, error)  # type: ignore[misc]

    def _linked(self, error: ValidationError) -> ValidationError:
        params = error.params or {}
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()  # type: ignore[attr-defined]
        return ValidationError(
            format_html(
                "<span>{}</span>",  # one inline run, so the link flows within the sentence
                format_html(
                    _(
                        '“{email}” is already the address of <a href="{url}">{name}</a>; '
                        "link instead? To add it anyway, tick “{confirm}”."
                    ),
                    email=params.get("email", ""),
                    url=params.get("url", ""),
                    name=params.get("name", ""),
                    confirm=_("Save the address anyway"),
                ),
            ),
            code=DUPLICATE_EMAIL,
        )


def _is_duplicate(error: Any) -> bool:
    return isinstance(error, ValidationError) and getattr(error, "code", None) == DUPLICATE_EMAIL


class PersonForm(DuplicateEmailMixin, OwnerTeamMixin, ServiceModelForm):
    """Create: name, first address and number and a first position in one form; edit: the person."""

    CREATE_ONLY = (
        "email",
        "phone",
        "organization",
        "title",
        "department",
        "buying_role",
        "start_date",
        "confirm_duplicate",
    )

    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(is_archived=False),
        required=False,
        widget=organization_widget(),
    )
    title = forms.CharField(label=_("Job title"), required=False, max_length=150)
    department = forms.CharField(label=_("Department"), required=False, max_length=150)
    buying_role = forms.ChoiceField(
        label=_("Buying role"), choices=[("", "—"), *BuyingRole.choices], required=False
    )
    start_date = forms.DateField(
        label=_("In this position since"), required=False, widget=DATE_INPUT
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Save the address anyway"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Person
        fields = [
            "salutation",
            "academic_title",
            "first_name",
            "last_name",
            "notes",
            "tags",
            "external_id",
            "owner",
            "team",
        ]
        widgets = {"tags": forms.CheckboxSelectMultiple}
        labels = {"academic_title": _("Academic title")}
        help_texts = {"academic_title": _("e.g. Dr. or Prof. Dr.")}

    FIELDSETS = (
        (_("Name"), ("salutation", "academic_title", "first_name", "last_name")),
        (_("First email address and phone number"), ("email", "phone", "confirm_duplicate")),
        (
            _("Current position"),
            ("organization", "title", "department", "buying_role", "start_date"),
        ),
        (_("More"), ("notes", "tags", "external_id", "owner", "team")),
    )

    def fieldsets(self) -> list[tuple[str, list]]:
        """The fields in groups, for the person form page; groups without fields are left out."""
        groups = []
        for legend, names in self.FIELDSETS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                groups.append((legend, fields))
        return groups

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.CREATE_ONLY:
                del self.fields[name]
        else:
            order = ["salutation", "academic_title", "first_name", "last_name", *self.CREATE_ONLY]
            self.order_fields(order)
        self.limit_owner()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk:
            return data
        if data.get("phone"):
            org = data.get("organization")
            try:
                data["phone"] = normalize_phone(
                    data["phone"], str(org.country if org else "") or "DE"
                )
            except ValidationError as exc:
                self.add_error("phone", exc)
        position_given = any(
            data.get(f) for f in ("title", "department", "buying_role", "start_date")
        )
        if position_given and not data.get("organization"):
            self.add_error("organization", _("Choose the organization this position is at."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.owner_team_data(dict(self.cleaned_data))
        nested = {name: data.pop(name, None) for name in self.CREATE_ONLY}
        if self.instance.pk:
            return data
        if nested["email"]:
            data["emails"] = [{"email": nested["email"], "is_primary": True}]
            data["confirm_duplicate"] = bool(nested["confirm_duplicate"])
        if nested["phone"]:
            data["phones"] = [{"number": nested["phone"]}]
        if nested["organization"]:
            data["positions"] = [
                {
                    "organization": nested["organization"],
                    "title": nested["title"] or "",
                    "department": nested["department"] or "",
                    "buying_role": nested["buying_role"] or "",
                    "start_date": nested["start_date"],
                    "is_primary": True,
                }
            ]
        return data


class PositionForm(ServiceModelForm):
    """A position of one person (the person is fixed by the page it is added from)."""

    class Meta:
        model = Position
        fields = [
            "organization",
            "title",
            "department",
            "buying_role",
            "start_date",
            "end_date",
            "is_primary",
        ]
        widgets = {
            "organization": organization_widget(),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.organization_id
        self.fields["organization"].queryset = self.fields["organization"].queryset.filter(
            Q(is_archived=False) | Q(pk=current or 0)
        )


class PersonEmailForm(DuplicateEmailMixin, ServiceModelForm):
    confirm_duplicate = forms.BooleanField(
        label=_("Save the address anyway"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = PersonEmail
        fields = ["email", "kind", "is_primary"]

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)  # confirm_duplicate goes to the service, which decides


class PersonPhoneForm(ServiceModelForm):
    class Meta:
        model = PersonPhone
        fields = ["number", "kind"]
        labels = {"number": _("Phone number")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = ContactKind.WORK


class RelationshipForm(OwnerTeamMixin, ServiceModelForm):
    class Meta:
        model = Relationship
        fields = [
            "from_organization",
            "from_person",
            "relationship_type",
            "to_organization",
            "to_person",
            "start_date",
            "end_date",
            "notes",
            "owner",
            "team",
        ]
        field_classes = {"from_person": PersonChoiceField, "to_person": PersonChoiceField}
        widgets = {
            "from_organization": organization_widget(),
            "to_organization": organization_widget(),
            "from_person": person_widget(),
            "to_person": person_widget(),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
        }
        help_texts = {
            "from_organization": _("Either two organizations …"),
            "from_person": _("… or two people."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
