import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Team

TIME_ZONES = sorted(zoneinfo.available_timezones())


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    time_zone = forms.ChoiceField(label=_("time zone"), choices=[(z, z) for z in TIME_ZONES])


class UserAccessForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    teams = forms.ModelMultipleChoiceField(
        label=_("teams"),
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("active"), required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
