"""Forms of the webhooks pages; they validate input, the services check the URL and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm

from .choices import event_choices
from .models import AllowedWebhookHost, WebhookEndpoint


class WebhookEndpointForm(ServiceModelForm):
    url = forms.CharField(
        label=_("URL"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
        help_text=_(
            "Where Accord sends the events: an http(s) address on the internet. Addresses inside "
            "your network are refused unless an administrator allowed the host."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        required=False,
        choices=event_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used when “all events” is off."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "all_events", "events", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["is_active"].help_text = _("Send events as soon as it is saved.")
        else:
            self.fields["is_active"].help_text = _(
                "Switch off to pause; switching a disabled endpoint on checks its URL again."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("all_events") and not data.get("events"):
            self.add_error("events", _("Choose at least one event, or all events."))
        return data


class AllowedWebhookHostForm(forms.ModelForm):
    class Meta:
        model = AllowedWebhookHost
        fields = ["host", "note"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def validate_unique(self) -> None:
        """The service says so, on the normalised host name."""

    def save(self, commit: bool = True):  # pragma: no cover - guarded against misuse
        raise RuntimeError("Forms validate; services save.")
