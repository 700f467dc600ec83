"""Configuring pipelines, stages and lost reasons: each rule refused with a message naming the
field, the pages (administrators and managers write, the others read), the API and the menu."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accord.core.navigation import DATA, menu
from accord.pipeline.models import LostReason, Pipeline, Stage
from accord.pipeline.services import config as svc

from .factories import lost_reason, make_opportunity, new_business, renewals, stage

pytestmark = pytest.mark.django_db


def refused(fn, field: str, text: str = "", **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        fn(**kwargs)
    messages = exc.value.message_dict
    assert field in messages, messages
    if text:
        assert text in " ".join(messages[field]), messages
    return " ".join(messages[field])


# --- pipelines ----------------------------------------------------------------------------------


def test_a_new_pipeline_starts_with_open_won_and_lost_stages(users):
    pipeline = svc.pipeline_create(actor=users.admin, data={"name": "Partnergeschäft"})
    kinds = list(pipeline.stages.order_by("order").values_list("kind", flat=True))
    assert kinds == ["open", "open", "won", "lost"]
    assert not pipeline.is_default
    copy = svc.pipeline_create(
        actor=users.manager, data={"name": "Großkunden", "copy_stages_from": renewals()}
    )
    assert list(copy.stages.values_list("name", flat=True)) == [
        "Renewal due",
        "Quote sent",
        "Renewed",
        "Churned",
    ]


def test_making_a_pipeline_the_default_takes_the_flag_from_the_other(users):
    svc.pipeline_update(actor=users.admin, instance=renewals(), data={"is_default": True})
    assert list(Pipeline.objects.filter(is_default=True)) == [renewals()]
    created = svc.pipeline_create(actor=users.admin, data={"name": "Neu", "is_default": True})
    assert list(Pipeline.objects.filter(is_default=True)) == [created]


def test_the_default_cannot_be_switched_off_or_deleted(users):
    refused(
        svc.pipeline_update,
        "is_default",
        "One pipeline must be the default",
        actor=users.admin,
        instance=new_business(),
        data={"is_default": False},
    )
    refused(
        svc.pipeline_delete,
        "pipeline",
        "default pipeline cannot be deleted",
        actor=users.admin,
        instance=new_business(),
    )


def test_a_pipeline_with_opportunities_cannot_be_deleted(users):
    make_opportunity(stage=stage("Quote sent", renewals()))
    make_opportunity(stage=stage("Renewal due", renewals()))
    message = refused(svc.pipeline_delete, "pipeline", actor=users.admin, instance=renewals())
    assert "2 opportunities are in the pipeline “Renewals”" in message


def test_an_empty_pipeline_can_be_deleted_with_its_stages(users):
    pipeline = svc.pipeline_create(actor=users.admin, data={"name": "Versuch"})
    svc.pipeline_delete(actor=users.admin, instance=pipeline)
    assert not Pipeline.objects.filter(name="Versuch").exists()
    assert not Stage.objects.filter(pipeline_id=pipeline.pk).exists()


def test_pipeline_names_are_given_and_unique(users):
    refused(
        svc.pipeline_create, "name", "already exists", actor=users.admin, data={"name": "renewals"}
    )
    refused(svc.pipeline_create, "name", "Enter a name", actor=users.admin, data={"name": "  "})


# --- stages -------------------------------------------------------------------------------------


def test_stage_rules_each_refused_with_a_message_naming_the_field(users):
    pipeline = new_business()
    admin = users.admin
    refused(
        svc.stage_create,
        "probability",
        "between 0 and 100",
        actor=admin,
        data={"pipeline": pipeline, "name": "Pilot", "probability": 101},
    )
    refused(
        svc.stage_create,
        "probability",
        actor=admin,
        data={"pipeline": pipeline, "name": "Pilot", "probability": -1},
    )
    refused(
        svc.stage_create,
        "name",
        "already has a stage “proposal”",
        actor=admin,
        data={"pipeline": pipeline, "name": "proposal"},
    )
    refused(
        svc.stage_create,
        "is_commit",
        "Only open stages",
        actor=admin,
        data={"pipeline": pipeline, "name": "Gewonnen 2", "kind": "won", "is_commit": True},
    )
    refused(
        svc.stage_create,
        "kind",
        actor=admin,
        data={"pipeline": pipeline, "name": "Komisch", "kind": "maybe"},
    )
    pilot = svc.stage_create(
        actor=admin, data={"pipeline": pipeline, "name": "Pilot", "probability": 60}
    )
    assert pilot.order > stage("Lost").order  # at the end
    assert (pilot.kind, pilot.probability) == ("open", 60)


def test_a_stage_with_opportunities_cannot_be_deleted_nor_change_its_kind(users):
    make_opportunity(stage=stage("Proposal"))
    make_opportunity(stage=stage("Proposal"))
    make_opportunity(stage=stage("Proposal"))
    message = refused(svc.stage_delete, "stage", actor=users.admin, instance=stage("Proposal"))
    assert message.startswith("3 opportunities are in the stage “Proposal”")
    refused(
        svc.stage_update,
        "kind",
        "3 opportunities",
        actor=users.admin,
        instance=stage("Proposal"),
        data={"kind": "lost"},
    )
    assert Stage.objects.filter(name="Proposal", pipeline=new_business()).exists()


def test_every_pipeline_keeps_an_open_a_won_and_a_lost_stage(users):
    refused(
        svc.stage_delete,
        "stage",
        "needs a won stage",
        actor=users.admin,
        instance=stage("Renewed", renewals()),
    )
    refused(
        svc.stage_update,
        "kind",
        "needs a lost stage",
        actor=users.admin,
        instance=stage("Churned", renewals()),
        data={"kind": "open"},
    )
    # two open stages: one may go
    svc.stage_delete(actor=users.admin, instance=stage("Quote sent", renewals()))
    refused(
        svc.stage_delete,
        "stage",
        "at least one open stage",
        actor=users.admin,
        instance=stage("Renewal due", renewals()),
    )


def test_a_stage_in_the_stage_history_is_kept(users):
    opp = make_opportunity(stage=stage("Needs analysis"))
    from accord.pipeline.services import opportunity_update

    opportunity_update(actor=users.admin, instance=opp, data={"stage": stage("Proposal")})
    message = refused(
        svc.stage_delete, "stage", actor=users.admin, instance=stage("Needs analysis")
    )
    assert "stage history of 1 opportunity" in message


def test_stages_are_reordered(users):
    pipeline = renewals()
    svc.stage_move(actor=users.admin, instance=stage("Quote sent", pipeline), offset=-1)
    assert list(pipeline.stages.order_by("order").values_list("name", flat=True)) == [
        "Quote sent",
        "Renewal due",
        "Renewed",
        "Churned",
    ]
    ids = list(pipeline.stages.order_by("order").values_list("pk", flat=True))
    refused(svc.stage_reorder, "stages", actor=users.admin, pipeline=pipeline, stage_ids=ids[:-1])
    refused(
        svc.stage_reorder,
        "stages",
        actor=users.admin,
        pipeline=pipeline,
        stage_ids=[*ids[:-1], stage("Won").pk],
    )


# --- lost reasons -------------------------------------------------------------------------------


def test_lost_reason_rules(users):
    refused(
        svc.lost_reason_create, "name", "already exists", actor=users.admin, data={"name": "PRICE"}
    )
    reason = svc.lost_reason_create(actor=users.admin, data={"name": "Budget gestrichen"})
    assert reason.active and reason.order > lost_reason("No decision").order
    opp = make_opportunity(stage=stage("Lost"), lost_reason=reason)
    message = refused(svc.lost_reason_delete, "lost_reason", actor=users.admin, instance=reason)
    assert "1 opportunity was lost for the reason “Budget gestrichen”" in message
    assert "Deactivate it instead" in message
    svc.lost_reason_update(actor=users.admin, instance=reason, data={"active": False})
    reason.refresh_from_db()
    assert not reason.active and opp.lost_reason_id == reason.pk
    unused = svc.lost_reason_create(actor=users.admin, data={"name": "Zu spät"})
    svc.lost_reason_delete(actor=users.admin, instance=unused)
    assert not LostReason.objects.filter(name="Zu spät").exists()


def test_members_and_viewers_may_not_configure(users):
    for user in (users.owner, users.viewer):
        with pytest.raises(PermissionDenied):
            svc.pipeline_create(actor=user, data={"name": "Heimlich"})
        with pytest.raises(PermissionDenied):
            svc.stage_update(actor=user, instance=stage("Proposal"), data={"probability": 99})
        with pytest.raises(PermissionDenied):
            svc.lost_reason_create(actor=user, data={"name": "Heimlich"})
    assert stage("Proposal").probability == 50


# --- pages --------------------------------------------------------------------------------------


def test_members_read_the_configuration_but_cannot_change_it(client, users):
    client.force_login(users.owner)
    body = client.get(reverse("pipeline:pipeline_list")).content.decode()
    assert "New business" in body and "Renewals" in body and "Add pipeline" not in body
    detail = client.get(reverse("pipeline:pipeline_detail", args=[new_business().pk]))
    assert "Proposal" in detail.content.decode() and "Add stage" not in detail.content.decode()
    assert client.get(reverse("pipeline:pipeline_add")).status_code == 403
    assert client.post(reverse("pipeline:pipeline_add"), {"name": "X"}).status_code == 403
    edit = reverse("pipeline:stage_edit", args=[stage("Proposal").pk])
    assert client.post(edit, {"name": "X", "kind": "open", "probability": 5}).status_code == 403
    assert client.get(reverse("pipeline:lostreason_list")).status_code == 200
    assert client.post(reverse("pipeline:lostreason_add"), {"name": "X"}).status_code == 403
    client.force_login(users.viewer)
    assert (
        client.post(reverse("pipeline:stage_move", args=[stage("Proposal").pk])).status_code == 403
    )


def test_an_admin_configures_through_the_pages(client, users):
    client.force_login(users.admin)
    response = client.post(reverse("pipeline:pipeline_add"), {"name": "Service-Verträge"})
    pipeline = Pipeline.objects.get(name="Service-Verträge")
    assert response["Location"] == reverse("pipeline:pipeline_detail", args=[pipeline.pk])
    add = reverse("pipeline:stage_add", args=[pipeline.pk])
    bad = client.post(add, {"name": "Prüfung", "kind": "won", "probability": 50, "is_commit": "on"})
    assert "Only open stages can be commit stages." in bad.content.decode()
    client.post(add, {"name": "Prüfung", "kind": "open", "probability": 30})
    assert pipeline.stages.filter(name="Prüfung").exists()
    prufung = pipeline.stages.get(name="Prüfung")
    client.post(reverse("pipeline:stage_move", args=[prufung.pk]), {"direction": "up"})
    names = list(pipeline.stages.order_by("order").values_list("name", flat=True))
    assert names.index("Prüfung") == names.index("Lost") - 1
    # a stage holding deals: the refusal names the count
    make_opportunity(stage=stage("Proposal"))
    response = client.post(
        reverse("pipeline:stage_delete", args=[stage("Proposal").pk]), follow=True
    )
    assert "1 opportunity is in the stage “Proposal”" in response.content.decode()
    # the default moves with one edit
    client.post(
        reverse("pipeline:pipeline_edit", args=[pipeline.pk]),
        {"name": "Service-Verträge", "is_default": "on"},
    )
    assert list(Pipeline.objects.filter(is_default=True)) == [pipeline]


def test_the_menu_offers_the_configuration_to_admins_and_managers_only(users):
    def names(user):
        return [i.url_name for i in menu(DATA, user=user)]

    assert "pipeline:pipeline_list" in names(users.admin)
    assert "pipeline:pipeline_list" in names(users.manager)
    assert "pipeline:pipeline_list" not in names(users.owner)
    assert "pipeline:pipeline_list" not in names(users.viewer)


# --- API ----------------------------------------------------------------------------------------


def test_api_reads_for_everyone_writes_for_admins_and_managers(api, users):
    member = api(users.owner)
    listed = member.get("/api/pipeline/pipelines/")
    assert listed.status_code == 200
    names = [p["name"] for p in listed.json()["results"]]
    assert names == ["New business", "Renewals"]
    assert member.get(f"/api/pipeline/stages/?pipeline={renewals().pk}").json()["count"] == 4
    assert member.get("/api/pipeline/lost-reasons/?active=true").status_code == 200
    for url, data in (
        ("/api/pipeline/pipelines/", {"name": "API"}),
        ("/api/pipeline/stages/", {"pipeline": renewals().pk, "name": "API", "kind": "open"}),
        ("/api/pipeline/lost-reasons/", {"name": "API"}),
    ):
        assert member.post(url, data, format="json").status_code == 403, url
    assert (
        member.patch(
            f"/api/pipeline/stages/{stage('Proposal').pk}/", {"probability": 1}, format="json"
        ).status_code
        == 403
    )
    assert (
        api(users.viewer).delete(f"/api/pipeline/lost-reasons/{lost_reason().pk}/").status_code
        == 403
    )

    manager = api(users.manager)
    created = manager.post("/api/pipeline/pipelines/", {"name": "Über API"}, format="json")
    assert created.status_code == 201, created.json()
    assert [s["kind"] for s in created.json()["stages"]] == ["open", "open", "won", "lost"]
    bad = manager.post(
        "/api/pipeline/stages/",
        {"pipeline": renewals().pk, "name": "Zu hoch", "kind": "open", "probability": 150},
        format="json",
    )
    assert bad.status_code == 400 and "probability" in bad.json()
    dup = manager.post(
        "/api/pipeline/stages/",
        {"pipeline": renewals().pk, "name": "quote SENT", "kind": "open"},
        format="json",
    )
    assert dup.status_code == 400 and "already has a stage" in dup.json()["name"][0]
    make_opportunity(stage=stage("Lost"), lost_reason=lost_reason("Timing"))
    used = manager.delete(f"/api/pipeline/lost-reasons/{lost_reason('Timing').pk}/")
    assert used.status_code == 400 and "Deactivate it instead" in used.json()["lost_reason"][0]
    ids = list(renewals().stages.order_by("-order").values_list("pk", flat=True))
    reordered = manager.post(
        f"/api/pipeline/pipelines/{renewals().pk}/reorder-stages/", {"stages": ids}, format="json"
    )
    assert reordered.status_code == 200
    assert [s["id"] for s in reordered.json()] == ids
    moved = manager.patch(
        f"/api/pipeline/stages/{stage('Proposal').pk}/", {"probability": 55}, format="json"
    )
    assert moved.status_code == 200 and stage("Proposal").probability == 55


def test_a_deactivated_reason_is_no_longer_offered_but_kept_on_its_deals(users):
    from accord.pipeline.forms import OpportunityForm

    old = lost_reason("Timing")
    svc.lost_reason_update(actor=users.admin, instance=old, data={"active": False})
    new_form = OpportunityForm(user=users.owner)
    assert old not in new_form.fields["lost_reason"].queryset
    lost_deal = make_opportunity(
        owner=users.owner, team=users.team_a, stage=stage("Lost"), lost_reason=old
    )
    assert (
        old in OpportunityForm(user=users.owner, instance=lost_deal).fields["lost_reason"].queryset
    )
