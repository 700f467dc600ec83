"""Forms of the mail app: they validate input for the services (they never save)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accord.parties.forms import organization_widget
from accord.parties.models import Organization

from .models import MailAccount, Security


def _required(form: forms.Form) -> None:
    for field in form.fields.values():
        if field.required:
            field.widget.attrs.setdefault("required", True)
            field.widget.attrs.setdefault("aria-required", "true")


class MailUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Mail file"),
        help_text=_(
            "An .eml file, an mbox file (Thunderbird, Apple Mail, Google Takeout) or a ZIP of a "
            "Maildir folder (cur/, new/) or of .eml files."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".eml,.mbox,.mbx,.zip,message/rfc822"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = int(getattr(settings, "ACCORD_MAX_UPLOAD_BYTES", 0)) // 1048576
        if limit:
            self.fields["file"].help_text = f"{self.fields['file'].help_text} " + str(
                _("At most %(limit)s MB.") % {"limit": limit}
            )
        _required(self)


class MailAccountForm(forms.ModelForm):
    """An IMAP account; the password field is never filled in from the stored value."""

    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    own_addresses = forms.CharField(
        label=_("My addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Addresses that are you besides your login address (aliases), separated by commas: "
            "mail from them is outbound."
        ),
    )

    class Meta:
        model = MailAccount
        fields = [
            "name",
            "host",
            "port",
            "security",
            "username",
            "password",
            "own_addresses",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["password"].help_text = _(
                "A password is stored (encrypted). Leave empty to keep it."
            )
        else:
            self.fields["password"].required = True
        self.initial["own_addresses"] = ", ".join(self.instance.own_addresses or [])
        self.fields["security"].choices = Security.choices
        _required(self)

    def clean_own_addresses(self) -> list[str]:
        value = self.cleaned_data.get("own_addresses") or ""
        found = []
        for part in value.replace(";", ",").replace("\n", ",").split(","):
            part = part.strip().lower()
            if not part:
                continue
            try:
                forms.EmailField().clean(part)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("“%(value)s” is not an email address."), params={"value": part}
                ) from exc
            found.append(part)
        return found

    def _post_clean(self) -> None:
        """Validation is the service's (model.full_clean there); nothing is written on the form's
        copy of the account here."""

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def save(self, commit: bool = True):  # pragma: no cover - guarded against misuse
        raise RuntimeError("Forms validate; services save. Call the app's service instead.")


class FolderChoiceForm(forms.Form):
    folders = forms.MultipleChoiceField(
        label=_("Folders to sync"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Sent mail is worth syncing too: it shows what you wrote."),
    )

    def __init__(self, *args: Any, folders: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["folders"].choices = [(f, f) for f in folders]


class UnknownSenderPersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(is_archived=False),
        required=False,
        widget=organization_widget(),
        help_text=_("Where the person works (suggested from the address's domain)."),
    )
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = field.queryset.visible_to(user)  # type: ignore[attr-defined]
        _required(self)
