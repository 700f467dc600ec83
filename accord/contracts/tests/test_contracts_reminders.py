"""The daily reminders: notice deadlines 90/30/7 days ahead, ends 30 days ahead, commitments due
within 7 days and overdue; each told once (idempotent keys)."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from accord.contracts.services.commitments import send_commitment_reminders
from accord.contracts.services.contracts import send_contract_reminders
from accord.core.models import Notification

from . import factories_contracts as fx
from .factories_contracts import make_commitment, make_contract

users = fx.users
D = dt.date


def keys(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_notice_reminders_in_their_windows_once_each(users, django_capture_on_commit_callbacks):
    # ends 31 Dec 2025, 3 months notice: deadline 30 Sep 2025
    c = make_contract(owner=users.owner, team=users.team_a, notice_period=3, notice_unit="months")
    assert send_contract_reminders(today=D(2025, 6, 1)) == 0  # 121 days ahead: too early
    with django_capture_on_commit_callbacks(execute=True):
        assert send_contract_reminders(today=D(2025, 7, 2)) == 1  # 90 days ahead
    assert send_contract_reminders(today=D(2025, 7, 3)) == 0  # same window: not again
    assert send_contract_reminders(today=D(2025, 8, 31)) == 1  # 30 days
    assert send_contract_reminders(today=D(2025, 9, 23)) == 1  # 7 days
    assert send_contract_reminders(today=D(2025, 9, 30)) == 0  # the day itself: 7-day window
    assert keys(users.owner) == [
        f"contract:{c.pk}:notice:2025-09-30:30",
        f"contract:{c.pk}:notice:2025-09-30:7",
        f"contract:{c.pk}:notice:2025-09-30:90",
    ]
    # 30 days before the end
    assert send_contract_reminders(today=D(2025, 12, 1)) == 1
    assert send_contract_reminders(today=D(2025, 12, 1)) == 0
    note = Notification.objects.get(key=f"contract:{c.pk}:end:2025-12-31:30")
    assert note.title == "“Wartungsvertrag Kältetechnik” ends on 2025-12-31"
    assert note.due_on == D(2025, 12, 31)
    assert len(mail.outbox) == 1  # the mail of the 90-day reminder (sent on commit)
    assert (
        mail.outbox[0].subject == "Notice deadline for “Wartungsvertrag Kältetechnik” on 2025-09-30"
    )


def test_a_late_first_run_tells_only_the_current_window(users):
    c = make_contract(owner=users.owner, team=users.team_a, notice_period=3)
    assert send_contract_reminders(today=D(2025, 9, 25)) == 1
    assert keys(users.owner) == [f"contract:{c.pk}:notice:2025-09-30:7"]


def test_renewing_contract_reminds_of_the_rolled_deadline_and_renewal(users):
    c = make_contract(
        owner=users.owner,
        team=users.team_a,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 12, 31),
        auto_renewal=True,
        renewal_term_months=12,
        notice_period=3,
    )
    # in 2025: term ends 31 Dec 2025, deadline 30 Sep 2025
    assert send_contract_reminders(today=D(2025, 9, 1)) == 1
    assert keys(users.owner) == [f"contract:{c.pk}:notice:2025-09-30:30"]
    # after the deadline passed: the next term's deadline (30 Sep 2026) is far off; the renewal
    # on 1 Jan 2026 is told 30 days before the term end
    assert send_contract_reminders(today=D(2025, 12, 5)) == 1
    note = Notification.objects.get(key=f"contract:{c.pk}:end:2025-12-31:30")
    assert note.title == "“Wartungsvertrag Kältetechnik” renews on 2026-01-01"


def test_terminated_and_ownerless_contracts_are_not_reminded(users):
    make_contract(owner=users.owner, team=users.team_a, notice_period=3, status="terminated")
    make_contract(owner=None, team=users.team_a, notice_period=3)
    assert send_contract_reminders(today=D(2025, 9, 25)) == 0


def test_commitment_reminders_due_and_overdue(users):
    due = make_commitment(owner=users.owner, team=users.team_a, due_date=D(2025, 3, 10))
    make_commitment(owner=users.owner, team=users.team_a, due_date=D(2025, 3, 30))  # later
    make_commitment(
        owner=users.owner, team=users.team_a, due_date=D(2025, 3, 1), status="fulfilled"
    )
    assert send_commitment_reminders(today=D(2025, 3, 2)) == 0  # 8 days ahead
    assert send_commitment_reminders(today=D(2025, 3, 3)) == 1  # 7 days ahead
    assert send_commitment_reminders(today=D(2025, 3, 10)) == 0  # due today: told already
    assert send_commitment_reminders(today=D(2025, 3, 11)) == 1  # overdue
    assert send_commitment_reminders(today=D(2025, 3, 12)) == 0
    assert keys(users.owner) == [
        f"commitment:{due.pk}:due:2025-03-10:7",
        f"commitment:{due.pk}:overdue:2025-03-10",
    ]
    overdue = Notification.objects.get(key=f"commitment:{due.pk}:overdue:2025-03-10")
    assert (
        overdue.title
        == "Commitment “Lärmschutzwand bis Herbst errichten” is overdue (due 2025-03-10)"
    )


def test_periodic_job_is_registered():
    from accord.contracts import reminders
    from accord.core import jobs

    assert reminders.JOB in jobs._periodic
    assert reminders.JOB in jobs._kinds
