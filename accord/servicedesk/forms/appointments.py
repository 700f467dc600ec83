"""Forms of the appointment, schedule and calendar pages: they validate input; services write.

The schedule form offers simple repetitions (every N weeks on a weekday, every N months on a day
or on the first/…/last weekday, every N years) and, for anything else, a raw RRULE; the service
checks the resulting rule with dateutil and names `rule` when it is unusable.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.interactions.forms import DATETIME_LOCAL_FORMATS
from accord.parties.forms import (
    DATE_INPUT,
    OwnerTeamMixin,
    PersonMultipleChoiceField,
    organization_widget,
)
from accord.parties.models import Organization, Person

from .. import recurrence
from ..models import AppointmentKind, ServiceAppointment, ServiceSchedule
from ..models.trainings import DEFAULT_CAPACITY

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def active_users():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")


def _datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, input_formats=DATETIME_LOCAL_FORMATS, widget=DATETIME_INPUT, **kwargs
    )


class AppointmentForm(OwnerTeamMixin, ServiceModelForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), widget=organization_widget()
    )
    starts_at = _datetime_field(_("Starts"), help_text=_("In your own time zone."))
    ends_at = _datetime_field(_("Ends"))
    online_url = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    people = PersonMultipleChoiceField(
        label=_("Their people"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("People who work at the organization."),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Our staff"),
        queryset=active_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.CharField(
        label=_("Training topic"),
        max_length=200,
        required=False,
        help_text=_("Trainings only; left empty: the title."),
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        required=False,
        help_text=_("Trainings only; left empty: %(n)d or unchanged.") % {"n": DEFAULT_CAPACITY},
    )
    registration_deadline = forms.DateField(
        label=_("Registration deadline"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Trainings only: the last day people may register."),
    )

    class Meta:
        model = ServiceAppointment
        fields = [
            "organization",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "status",
            "location",
            "online_url",
            "people",
            "staff",
            "outcome",
            "owner",
            "team",
        ]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        self.fields["online_url"].widget.attrs.setdefault("placeholder", "https://")
        training = getattr(self.instance, "training", None) if self.instance.pk else None
        if training is not None and not self.is_bound:
            self.initial.setdefault("topic", training.topic)
            self.initial.setdefault("capacity", training.capacity)
            self.initial.setdefault("registration_deadline", training.registration_deadline)

    def _post_clean(self) -> None:
        # The service applies the rules (dates, people at the organization) on the whole record.
        pass

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        for key in ("people", "staff"):
            if key in data:
                data[key] = list(data[key])
        if data.get("kind") != AppointmentKind.TRAINING:
            for key in ("topic", "capacity", "registration_deadline"):
                data.pop(key, None)
        elif data.get("capacity") is None:
            data.pop("capacity", None)
        return data


REPEAT_CHOICES = [
    ("WEEKLY", _("Every N weeks")),
    ("MONTHLY", _("Every N months")),
    ("YEARLY", _("Every N years")),
    ("RAW", _("Own rule (RRULE)")),
]
WEEKDAY_CHOICES = [
    ("", "—"),
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
ORDINAL_CHOICES = [
    ("", "—"),
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]


class ScheduleForm(OwnerTeamMixin, ServiceModelForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), widget=organization_widget()
    )
    starts_at = _datetime_field(
        _("First start"), help_text=_("Date and time of the first appointment (your time zone).")
    )
    online_url = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    repeat = forms.ChoiceField(label=_("Repeat"), choices=REPEAT_CHOICES, initial="MONTHLY")
    interval = forms.IntegerField(
        label=_("Every"), min_value=1, max_value=120, initial=6, required=False
    )
    weekday = forms.ChoiceField(
        label=_("On weekday"),
        choices=WEEKDAY_CHOICES,
        required=False,
        help_text=_("Weekly: the day. Monthly: together with “which”, e.g. the first Monday."),
    )
    ordinal = forms.ChoiceField(label=_("Which"), choices=ORDINAL_CHOICES, required=False)
    month_day = forms.IntegerField(
        label=_("On day of the month"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("Monthly: e.g. 15; months without that day are skipped."),
    )
    rule = forms.CharField(
        label=_("Own rule (RRULE)"),
        max_length=250,
        required=False,
        help_text=_("Only with “Own rule”, e.g. FREQ=MONTHLY;INTERVAL=6;BYDAY=1MO."),
    )
    people = PersonMultipleChoiceField(
        label=_("Their people"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("Default attendees at the organization."),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Our staff"),
        queryset=active_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ServiceSchedule
        fields = [
            "organization",
            "kind",
            "title",
            "starts_at",
            "repeat",
            "interval",
            "weekday",
            "ordinal",
            "month_day",
            "rule",
            "until",
            "count",
            "duration_minutes",
            "location",
            "online_url",
            "people",
            "staff",
            "notes",
            "is_active",
            "owner",
            "team",
        ]
        widgets = {"until": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        if self.instance.pk and not self.is_bound:
            simple = recurrence.simple_from_rule(self.instance.rule)
            if simple is None:
                self.initial.update({"repeat": "RAW", "rule": self.instance.rule})
            else:
                self.initial.update(
                    {
                        "repeat": simple.frequency,
                        "interval": simple.interval,
                        "weekday": simple.weekday,
                        "ordinal": str(simple.ordinal) if simple.ordinal else "",
                        "month_day": simple.month_day or None,
                        "rule": "",
                    }
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        repeat = data.get("repeat")
        if repeat == "RAW":
            if not (data.get("rule") or "").strip():
                self.add_error("rule", _("Enter a rule, e.g. FREQ=MONTHLY;INTERVAL=6."))
            return data
        if repeat:
            try:
                data["rule"] = recurrence.build_rule(
                    recurrence.SimpleRule(
                        frequency=repeat,
                        interval=data.get("interval") or 1,
                        weekday=data.get("weekday") or "",
                        ordinal=int(data.get("ordinal") or 0),
                        month_day=data.get("month_day") or 0,
                    )
                )
            except recurrence.RuleError as exc:
                field = exc.code if exc.code in self.fields else "repeat"
                self.add_error(field, _("Check this choice."))
        return data

    def _post_clean(self) -> None:
        pass

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        for key in ("repeat", "interval", "weekday", "ordinal", "month_day"):
            data.pop(key, None)
        for key in ("people", "staff"):
            if key in data:
                data[key] = list(data[key])
        return data


class CalendarForm(forms.Form):
    """Month or week, and the day the page shows (default: today)."""

    view = forms.ChoiceField(
        label=_("Show"),
        choices=[("month", _("Month")), ("week", _("Week"))],
        required=False,
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
