"""Two default pipelines with their stages and the usual lost reasons (data only; reversible)."""

from django.db import migrations

PIPELINES = [
    (
        "New business",
        True,
        [
            ("Qualification", 10, "open", False),
            ("Needs analysis", 25, "open", False),
            ("Proposal", 50, "open", True),
            ("Negotiation", 75, "open", True),
            ("Won", 100, "won", False),
            ("Lost", 0, "lost", False),
        ],
    ),
    (
        "Renewals",
        False,
        [
            ("Renewal due", 60, "open", False),
            ("Quote sent", 80, "open", True),
            ("Renewed", 100, "won", False),
            ("Churned", 0, "lost", False),
        ],
    ),
]
LOST_REASONS = ["Price", "Product fit", "Timing", "Competitor", "No decision"]


def create(apps, schema_editor):
    Pipeline = apps.get_model("pipeline", "Pipeline")
    Stage = apps.get_model("pipeline", "Stage")
    LostReason = apps.get_model("pipeline", "LostReason")
    for name, is_default, stages in PIPELINES:
        pipeline, _ = Pipeline.objects.get_or_create(name=name, defaults={"is_default": is_default})
        for order, (stage, probability, kind, is_commit) in enumerate(stages, start=1):
            Stage.objects.get_or_create(
                pipeline=pipeline,
                name=stage,
                defaults={
                    "order": order * 10,
                    "probability": probability,
                    "kind": kind,
                    "is_commit": is_commit,
                },
            )
    for order, reason in enumerate(LOST_REASONS, start=1):
        LostReason.objects.get_or_create(name=reason, defaults={"order": order * 10})


def remove(apps, schema_editor):
    Pipeline = apps.get_model("pipeline", "Pipeline")
    LostReason = apps.get_model("pipeline", "LostReason")
    Opportunity = apps.get_model("pipeline", "Opportunity")
    names = [p[0] for p in PIPELINES]
    if not Opportunity.objects.filter(pipeline__name__in=names).exists():
        Pipeline.objects.filter(name__in=names).delete()
    LostReason.objects.filter(name__in=LOST_REASONS).exclude(
        pk__in=Opportunity.objects.exclude(lost_reason=None).values("lost_reason")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
