"""Django admin for interactions and follow-ups: pages render, edits keep the denormalised times."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accord.interactions.models import InteractionOrganization

from .factories import FollowUpFactory, InteractionFactory, OrganizationFactory, UserFactory


def test_admin_pages_and_time_edit(client, people_and_teams):
    u = people_and_teams
    root = UserFactory(email="root@example.test", role="admin", is_staff=True, is_superuser=True)
    org = OrganizationFactory(owner=u.anna, team=u.team_a)
    interaction = InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org])
    followup = FollowUpFactory(owner=u.anna, team=u.team_a, organization=org)
    client.force_login(root)
    for name, args in [
        ("admin:interactions_interaction_changelist", []),
        ("admin:interactions_interaction_change", [interaction.pk]),
        ("admin:interactions_interaction_history", [interaction.pk]),
        ("admin:interactions_followup_changelist", []),
        ("admin:interactions_followup_change", [followup.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    response = client.post(
        reverse("admin:interactions_interaction_change", args=[interaction.pk]),
        {
            "kind": "call",
            "direction": "outbound",
            "occurred_at_0": "2024-04-02",
            "occurred_at_1": "10:00:00",
            "subject": "Im Admin geändert",
            "body": "",
            "users": "",
            "interactionorganization_set-TOTAL_FORMS": "1",
            "interactionorganization_set-INITIAL_FORMS": "1",
            "interactionorganization_set-MIN_NUM_FORMS": "0",
            "interactionorganization_set-MAX_NUM_FORMS": "1000",
            "interactionorganization_set-0-id": InteractionOrganization.objects.get().pk,
            "interactionorganization_set-0-interaction": interaction.pk,
            "interactionperson_set-TOTAL_FORMS": "0",
            "interactionperson_set-INITIAL_FORMS": "0",
            "interactionperson_set-MIN_NUM_FORMS": "0",
            "interactionperson_set-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    expected = dt.datetime(2024, 4, 2, 8, 0, tzinfo=dt.UTC)  # Europe/Berlin, summer time
    assert InteractionOrganization.objects.get().occurred_at == expected
    org.refresh_from_db()
    assert org.last_interaction_at == expected
