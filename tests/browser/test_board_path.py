"""The opportunity board in headless Chromium: drag a card to the next stage with the mouse and
see the column totals change; move one with the keyboard form; the lost-reason dialog; and a
move refused because a colleague changed the deal meanwhile."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from accord.parties.management.commands.load_demo import restore_configuration
from accord.pipeline.models import LostReason, Opportunity, Pipeline, Stage, StageChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Browser-Test-1"


@pytest.fixture
def member(django_user_model):
    from accord.users.models import Team

    user = django_user_model.objects.create_user(
        email="jonas.vertrieb@accord.example", password=PASSWORD, role="member", first_name="Jonas"
    )
    user.teams.add(Team.objects.create(name="Vertrieb Süd"))
    return user


def _deal(member, title: str, amount: str, stage: Stage) -> Opportunity:
    from accord.parties.models import Organization
    from accord.pipeline.services import opportunity_create

    org, _ = Organization.objects.get_or_create(
        name="Kühlhaus Nord GmbH",
        defaults={"owner": member, "team": member.teams.first(), "is_client": True},
    )
    return opportunity_create(
        actor=member,
        data={"organization": org, "title": title, "amount": Decimal(amount), "stage": stage},
    )


def _count(page, stage: Stage) -> str:
    return page.locator(f'.board-column[data-stage="{stage.pk}"] .board-count').inner_text()


def test_drag_a_card_to_the_next_stage(page, live_server, member):
    base = live_server.url
    if not Pipeline.objects.exists():  # an earlier transactional test flushed the migration's rows
        restore_configuration()
    pipeline = Pipeline.objects.get(is_default=True)
    qualification = Stage.objects.get(pipeline=pipeline, name="Qualification")
    needs = Stage.objects.get(pipeline=pipeline, name="Needs analysis")
    proposal = Stage.objects.get(pipeline=pipeline, name="Proposal")
    lost = Stage.objects.get(pipeline=pipeline, name="Lost")
    dragged = _deal(member, "Kälteanlage Halle 3", "48500", qualification)
    keyed = _deal(member, "Wärmepumpen Werk 2", "31500", qualification)
    _deal(member, "Wartungsvertrag 2027", "3600", qualification)

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form.auth-form button[type=submit]")
    page.wait_for_url(f"{base}/")

    # from the opportunity list to the board
    page.goto(f"{base}/opportunities/")
    page.get_by_role("link", name="Board").click()
    page.wait_for_url(re.compile(r"/opportunities/board/"))
    assert _count(page, qualification) == "3"
    assert _count(page, needs) == "0"

    # a real mouse drag onto the next column: the totals follow
    card = page.locator(f"#opp-{dragged.pk}")
    target = page.locator(f'.board-column[data-stage="{needs.pk}"]')
    card.drag_to(target)
    page.wait_for_function(
        f"document.querySelector('.board-column[data-stage=\"{needs.pk}\"] .board-count')"
        ".textContent.trim() === '1'"
    )
    assert _count(page, qualification) == "2"
    amount = page.locator(f'.board-column[data-stage="{needs.pk}"] .board-amount').inner_text()
    assert amount.replace("\u202f", ",").startswith("48,500")
    assert "moved to “Needs analysis”" in page.locator("#board-status").inner_text()
    dragged.refresh_from_db()
    assert dragged.stage == needs
    assert StageChange.objects.filter(opportunity=dragged, to_stage=needs).count() == 1

    # the keyboard way: the card's "Move to" field and button
    page.select_option(f"#move-{keyed.pk}", str(proposal.pk))
    page.locator(f"#opp-{keyed.pk} .board-move button").click()
    page.wait_for_function(
        f"document.querySelector('.board-column[data-stage=\"{proposal.pk}\"] .board-count')"
        ".textContent.trim() === '1'"
    )
    # the moved card gets the focus (after htmx settled the swap)
    page.wait_for_function(
        f"document.activeElement && document.activeElement.id === 'opp-{keyed.pk}'"
    )

    # to lost: a dialog asks why first
    page.select_option(f"#move-{keyed.pk}", str(lost.pk))
    page.locator(f"#opp-{keyed.pk} .board-move button").click()
    dialog = page.locator("dialog[data-board-dialog]")
    dialog.wait_for()
    assert "Why was “Wärmepumpen Werk 2” lost?" in dialog.inner_text()
    keyed.refresh_from_db()
    assert keyed.stage == proposal
    dialog.locator("select[name=lost_reason]").select_option(label="Price")
    dialog.locator("button[type=submit]:not([name=cancel])").click()
    page.wait_for_function(
        f"document.querySelector('.board-column[data-stage=\"{lost.pk}\"] .board-count')"
        ".textContent.trim() === '1'"
    )
    keyed.refresh_from_db()
    assert keyed.stage == lost and keyed.lost_reason == LostReason.objects.get(name="Price")

    # a colleague changes the first deal meanwhile: the drag does not overwrite it
    from accord.pipeline.services import opportunity_update

    opportunity_update(actor=None, instance=dragged, data={"stage": proposal})
    # (the focus followed the lost deal to the far right: scroll the columns back first)
    page.locator(".board-columns").evaluate("el => { el.scrollLeft = 0; }")
    page.locator(f"#opp-{dragged.pk}").drag_to(
        page.locator(f'.board-column[data-stage="{qualification.pk}"]')
    )
    status = page.locator("#board-status")
    status.get_by_text("in the meantime").wait_for()
    assert "the deal is in “Proposal”" in status.inner_text()
    dragged.refresh_from_db()
    assert dragged.stage == proposal
    assert _count(page, proposal) == "1"  # the board now shows their state
