"""Forms of the supplier pages: categories, questions, profiles, the questionnaire and documents.
They validate input; the services write and apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT, OwnerTeamMixin, organization_widget
from accord.parties.models import Organization

from ..models import (
    QualificationQuestion,
    SupplierDocument,
    SupplierProfile,
    SupplyCategory,
)

RISK_CHOICES = [
    (1, _("1 – easily replaced")),
    (2, _("2 – low")),
    (3, _("3 – medium")),
    (4, _("4 – high")),
    (5, _("5 – hardly replaceable")),
]


class SupplyCategoryForm(ServiceModelForm):
    class Meta:
        model = SupplyCategory
        fields = ["name", "parent", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = SupplyCategory.objects.order_by("name")
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = qs

    def _post_clean(self) -> None:
        pass  # the service validates the complete record


class QualificationQuestionForm(ServiceModelForm):
    class Meta:
        model = QualificationQuestion
        fields = ["text", "help", "required", "order", "active"]
        widgets = {"help": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        pass


class SupplierProfileForm(OwnerTeamMixin, ServiceModelForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.all(),
        widget=organization_widget(),
        help_text=_("An organization with the supplier or service-provider role."),
    )
    supply_risk = forms.TypedChoiceField(
        label=_("Supply risk"), choices=RISK_CHOICES, coerce=int, initial=2
    )

    class Meta:
        model = SupplierProfile
        fields = [
            "organization",
            "categories",
            "kraljic_class",
            "supply_risk",
            "qualification_status",
            "qualification_note",
            "qualified_on",
            "notes",
            "owner",
            "team",
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "qualified_on": DATE_INPUT,
            "qualification_note": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        categories = SupplyCategory.objects.filter(active=True)
        if self.instance.pk:
            categories = SupplyCategory.objects.filter(
                pk__in=categories.values("pk")
            ) | SupplyCategory.objects.filter(profiles=self.instance)
        self.fields["categories"].queryset = categories.distinct().order_by("name")
        if self.instance.pk:
            self.fields["organization"].disabled = True
            self.fields["organization"].required = False
        self.fields["qualified_on"].help_text = _("Left empty: today, when the status changes.")

    def _post_clean(self) -> None:
        pass

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if self.instance.pk:
            data.pop("organization", None)
        if "categories" in data:
            data["categories"] = list(data["categories"])
        return data


YES_NO = [("", _("— not answered —")), ("yes", _("Yes")), ("no", _("No"))]


class QuestionnaireForm(forms.Form):
    """One text answer and one yes/no per active question."""

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            q = row.question
            answer = row.answer
            self.fields[f"yes_no_{q.pk}"] = forms.ChoiceField(
                label=q.text + (" *" if q.required else ""),
                choices=YES_NO,
                required=False,
                help_text=q.help,
                initial=(
                    ""
                    if answer is None or answer.yes_no is None
                    else ("yes" if answer.yes_no else "no")
                ),
            )
            self.fields[f"answer_{q.pk}"] = forms.CharField(
                label=_("Answer: %(q)s") % {"q": q.text},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=answer.answer if answer else "",
            )

    def answers(self) -> list[tuple[Any, str, bool | None]]:
        result = []
        for row in self.rows:
            q = row.question
            choice = self.cleaned_data.get(f"yes_no_{q.pk}") or ""
            yes_no = None if choice == "" else choice == "yes"
            result.append((q, self.cleaned_data.get(f"answer_{q.pk}") or "", yes_no))
        return result


class SupplierDocumentForm(ServiceModelForm):
    class Meta:
        model = SupplierDocument
        fields = ["kind", "title", "file", "issued_on", "valid_until", "note"]
        widgets = {
            "issued_on": DATE_INPUT,
            "valid_until": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        pass
