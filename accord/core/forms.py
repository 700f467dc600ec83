"""Form bases: model forms validate input for a service (they never save), bulk-edit forms."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class ServiceModelForm(forms.ModelForm):
    """A ModelForm used for validation and display only; the view hands `service_data()` to a service.

    Takes the acting `user` so that choice fields can be limited to what that user may see.
    """

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        if kwargs.get("instance") is not None:
            # Validation writes the input onto the instance; the service (and its permission check)
            # must see the record as stored, so the form works on a copy.
            kwargs["instance"] = copy.copy(kwargs["instance"])
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
                self.limit_choices(name, field)
            if field.required:
                field.widget.attrs.setdefault("required", True)
                field.widget.attrs.setdefault("aria-required", "true")

    def limit_choices(self, name: str, field: forms.ModelChoiceField) -> None:
        """Restrict related choices to rows the user may see (where the model knows the rule)."""
        qs = field.queryset
        if hasattr(qs, "visible_to"):
            field.queryset = qs.visible_to(self.user)

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def save(self, commit: bool = True):  # pragma: no cover - guarded against misuse
        raise RuntimeError("Forms validate; services save. Call the app's service instead.")


class BulkEditForm(forms.Form):
    """Fields left empty are not changed; `changed_values()` gives what to apply to every row."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True)

    def changed_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [], ())}


class NullBooleanChoice(forms.ChoiceField):
    """A tri-state choice for bulk edit: leave unchanged, yes, no."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=[("", _("— unchanged —")), ("1", _("Yes")), ("0", _("No"))],
            required=False,
            **kwargs,
        )

    def clean(self, value: Any) -> bool | None:
        value = super().clean(value)
        return None if value == "" else value == "1"
