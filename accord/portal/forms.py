from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import CatalogueItem, PortalAccount


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class AcceptForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ChangePasswordForm(AcceptForm):
    current = forms.CharField(
        label=_("Current password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current", "password", "password_again"]


class InviteForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Client organization"))
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Leave empty to use the person's primary address."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    can_order = forms.BooleanField(label=_("may order"), required=False, initial=True)
    can_see_invoices = forms.BooleanField(label=_("may see invoices"), required=False, initial=True)
    can_open_cases = forms.BooleanField(label=_("may open cases"), required=False, initial=True)
    can_book_services = forms.BooleanField(
        label=_("may book services"), required=False, initial=True
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class AccountForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    class Meta:
        model = PortalAccount
        fields = [
            "language",
            "is_active",
            "can_order",
            "can_see_invoices",
            "can_open_cases",
            "can_book_services",
        ]


class CatalogueItemForm(forms.ModelForm):
    class Meta:
        model = CatalogueItem
        fields = ["organization", "product", "unit_price", "active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from accord.commerce.models import Product
        from accord.parties.models import Organization

        orgs = Organization.objects.filter(is_client=True)
        if user is not None:
            orgs = orgs.filter(pk__in=Organization.objects.visible_to(user).values("pk"))
        self.fields["organization"].queryset = orgs.order_by("name")
        self.fields["product"].queryset = Product.objects.filter(active=True).order_by("name")


# --- the client's service pages: the templates draw the fields; the rules live in `servicing` ----


class CaseForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), required=False)
    description = forms.CharField(label=_("Description"), required=False)
    priority = forms.CharField(label=_("Priority"), required=False)


class CaseAnswerForm(forms.Form):
    text = forms.CharField(label=_("Your message"), required=False)


class MaintenanceRequestForm(forms.Form):
    title = forms.CharField(label=_("What should be maintained?"), required=False)
    starts_at = forms.DateTimeField(
        label=_("Wished date and time"),
        required=False,
        error_messages={"invalid": _("Enter a date and time.")},
    )
    note = forms.CharField(label=_("Note (optional)"), required=False)
