"""Who sees captured mail: its owner, our users on it, the owners of linked records, admins —
not the owner's team. The mail page loads nothing remote; attachments check visibility."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.core.search import search
from accord.interactions.models import Attachment, Interaction
from accord.interactions.selectors import timeline
from accord.interactions.services import interaction_create
from accord.parties.models import Person, PersonEmail

from .conftest import capture
from .mails import mail


@pytest.fixture
def bens_person(world):
    """A person owned by Ben (Anna's team, so Anna may see and link them)."""
    person = Person.objects.create(
        first_name="Bernd", last_name="Bauer", owner=world.ben, team=world.team_a
    )
    PersonEmail.objects.create(person=person, email="bernd@bauer.example")
    return person


def _visible(user):
    return set(
        Interaction.objects.visible_to(user)
        .filter(source="mail")
        .values_list("source_id", flat=True)
    )


def test_my_mail_is_not_visible_to_my_team_or_other_members(world):
    capture(world.anna, mail(msgid="<private@x>"))
    assert _visible(world.anna) == {"private@x"}
    assert _visible(world.ben) == set()  # same team as Anna, owns nothing linked
    assert _visible(world.carla) == set()
    assert _visible(world.admin) == {"private@x"}


def test_owner_of_a_linked_person_sees_the_mail(world, bens_person):
    capture(world.anna, mail(msgid="<linked@x>", sender="bernd@bauer.example"))
    assert _visible(world.ben) == {"linked@x"}
    assert _visible(world.carla) == set()
    # and on Bernd's timeline
    page = timeline(world.ben, person=bens_person)
    assert [i.source_id for i in page.items] == ["linked@x"]


def test_owner_of_a_linked_organization_sees_the_mail(world):
    world.kunde.owner = world.ben
    world.kunde.save()
    capture(world.anna, mail(msgid="<org@x>", sender="neu@kunde.example"))
    assert _visible(world.ben) == {"org@x"}


def test_a_colleague_on_the_mail_sees_it(world):
    capture(world.anna, mail(msgid="<cc@x>", cc="carla@example.test"))
    assert _visible(world.carla) == {"cc@x"}


def test_manual_interactions_keep_team_visibility(world):
    interaction = interaction_create(
        actor=world.anna,
        data={"kind": "call", "subject": "Anruf", "organizations": [world.kunde.pk]},
    )
    assert Interaction.objects.visible_to(world.ben).filter(pk=interaction.pk).exists()
    assert not Interaction.objects.visible_to(world.carla).filter(pk=interaction.pk).exists()


def test_search_finds_only_visible_mail(world):
    capture(world.anna, mail(msgid="<s@x>", text="Sonderkondition Palettenregal"))
    assert any(g.results for g in search(world.anna, "Palettenregal").values())
    assert not any(g.results for g in search(world.ben, "Palettenregal").values())


# --- the mail page and attachments -------------------------------------------------------------
HOSTILE = (
    '<p>Guten Tag</p><img src="https://tracker.example/open.gif?u=anna">'
    '<img src="x" onerror="alert(1)"><script>alert(2)</script>'
    '<link rel="prefetch" href="https://evil.example/">'
    '<div style="background:url(https://evil.example/bg.png)">x</div>'
)


def test_mail_page_shows_sanitised_html_in_a_sandbox_with_a_policy(world, client):
    capture(world.anna, mail(msgid="<h@x>", html=HOSTILE))
    interaction = Interaction.objects.get(source_id="h@x")
    client.force_login(world.anna)
    response = client.get(interaction.get_absolute_url())
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp and "default-src 'self'" in csp
    body = response.content.decode()
    assert '<iframe class="email-frame"' in body and 'sandbox="allow-popups' in body
    assert "allow-scripts" not in body and "allow-same-origin" not in body
    for remote in ("tracker.example", "evil.example", "onerror", "alert("):
        assert remote not in body, remote
    assert "Guten Tag" in body


def test_manual_interaction_page_unchanged(world, client):
    interaction = interaction_create(
        actor=world.anna,
        data={"kind": "note", "subject": "Notiz", "organizations": [world.kunde.pk]},
    )
    client.force_login(world.anna)
    response = client.get(interaction.get_absolute_url())
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_mail_page_hidden_from_others(world, client):
    capture(world.anna, mail(msgid="<h@x>"))
    client.force_login(world.ben)
    assert (
        client.get(Interaction.objects.get(source_id="h@x").get_absolute_url()).status_code == 404
    )


def test_attachment_download_checks_visibility(world, client):
    capture(
        world.anna,
        mail(
            msgid="<att@x>",
            attachments=[
                ("Angebot.pdf", "application/pdf", b"%PDF-1.4 data"),
                ("page.html", "text/html", b"<script>alert(1)</script>"),
            ],
        ),
    )
    pdf, page = Attachment.objects.order_by("pk")
    client.force_login(world.anna)
    response = client.get(reverse("interactions:attachment_download", args=[pdf.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 data"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    response = client.get(reverse("interactions:attachment_download", args=[page.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    client.force_login(world.ben)
    assert client.get(reverse("interactions:attachment_download", args=[pdf.pk])).status_code == 404


def test_mail_page_lists_attachments_addresses_and_thread(world, client):
    capture(
        world.anna,
        mail(
            msgid="<a1@x>", subject="Termin", attachments=[("plan.pdf", "application/pdf", b"%PDF")]
        ),
        mail(
            msgid="<a2@x>",
            subject="AW: Termin",
            references="<a1@x>",
            sender="anna@example.test",
            to="joerg@kunde.example",
        ),
    )
    first = Interaction.objects.get(source_id="a1@x")
    client.force_login(world.anna)
    body = client.get(first.get_absolute_url()).content.decode()
    assert (
        "plan.pdf" in body
        and reverse("interactions:attachment_download", args=[first.attachments.get().pk]) in body
    )
    assert "joerg@kunde.example" in body
    assert "AW: Termin" in body  # the other mail of the conversation


def test_inline_cid_image_shown_from_the_mail_itself(world, client):
    import base64
    from email.message import EmailMessage

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    )
    message = EmailMessage()
    message["From"], message["To"] = "joerg@kunde.example", "anna@example.test"
    message["Subject"], message["Message-ID"] = "Logo", "<cid@x>"
    message["Date"] = "Mon, 03 Mar 2025 09:00:00 +0000"
    message.set_content("Logo")
    message.add_alternative('<p>Logo: <img src="cid:logo@Firma.example"></p>', subtype="html")
    message.get_payload()[1].add_related(
        png, maintype="image", subtype="png", cid="<logo@Firma.example>"
    )
    capture(world.anna, message.as_bytes())
    interaction = Interaction.objects.get(source_id="cid@x")
    assert interaction.attachments.get().content_id == "logo@firma.example"
    client.force_login(world.anna)
    body = client.get(interaction.get_absolute_url()).content.decode()
    assert "src=&quot;data:image/png;base64," in body
