"""Forms of the calendar pages: they validate input; the services store and start jobs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DuplicateMode, VCardVersion


class VCardImportForm(forms.Form):
    file = forms.FileField(
        label=_("vCard file (.vcf)"),
        help_text=_("One file with one or many cards, vCard 3.0 or 4.0, as address books export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".vcf,.vcard,text/vcard,text/x-vcard"}),
    )
    on_duplicate = forms.ChoiceField(
        label=_("A card with the email address of a person you already have"),
        choices=DuplicateMode.choices,
        initial=DuplicateMode.UPDATE,
        widget=forms.RadioSelect,
    )
    create_organizations = forms.BooleanField(
        label=_("Create organizations that are not in Accord yet"),
        required=False,
        initial=True,
        help_text=_(
            "Cards name their organization (ORG). An organization you may see with that name is "
            "used; otherwise it is created, or — if you leave this unticked — the name goes into "
            "the person's notes."
        ),
    )


class ICalImportForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (.ics)"),
        help_text=_(
            "Exported from Outlook, Thunderbird, Google or Apple calendar. Each event with at "
            "least one of your people among its attendees becomes a meeting; importing the same "
            "file again changes nothing twice."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,.ical,.ifb,text/calendar"}),
    )


class VCardExportForm(forms.Form):
    version = forms.ChoiceField(
        label=_("vCard version"),
        choices=VCardVersion.choices,
        initial=VCardVersion.V3,
        required=False,
    )

    def version_value(self) -> str:
        if self.is_valid() and self.cleaned_data.get("version"):
            return self.cleaned_data["version"]
        return VCardVersion.V3
