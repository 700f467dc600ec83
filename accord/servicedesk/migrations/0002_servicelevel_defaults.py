"""The configuration a new installation starts with: company service hours (Monday to Friday,
08:00–17:00, Europe/Berlin, nationwide holidays), a policy for every priority and client tier,
and the usual case categories. Reversing removes nothing a user may have changed since."""

from decimal import Decimal

from django.db import migrations

POLICIES = {
    ("urgent", "standard"): ("2", "8"),
    ("high", "standard"): ("4", "16"),
    ("normal", "standard"): ("8", "40"),
    ("low", "standard"): ("16", "80"),
    ("urgent", "premium"): ("1", "6"),
    ("high", "premium"): ("2", "12"),
    ("normal", "premium"): ("4", "24"),
    ("low", "premium"): ("8", "60"),
    ("urgent", "key_account"): ("0.5", "4"),
    ("high", "key_account"): ("1", "8"),
    ("normal", "key_account"): ("2", "16"),
    ("low", "key_account"): ("4", "40"),
}
CATEGORIES = ("Störung", "Wartung", "Ersatzteil", "Reklamation", "Frage zur Bedienung", "Rechnung")
PRIORITY_NAMES = {"urgent": "Dringend", "high": "Hoch", "normal": "Normal", "low": "Niedrig"}
TIER_NAMES = {"standard": "Standard", "premium": "Premium", "key_account": "Key Account"}


def forward(apps, schema_editor):
    hours = apps.get_model("servicedesk", "ServiceHours")
    policy = apps.get_model("servicedesk", "ServiceLevelPolicy")
    category = apps.get_model("servicedesk", "CaseCategory")
    if not hours.objects.filter(team__isnull=True).exists():
        hours.objects.create(name="Servicezeiten Unternehmen", weekdays="0,1,2,3,4")
    for (priority, tier), (first, resolution) in POLICIES.items():
        policy.objects.get_or_create(
            priority=priority,
            tier=tier,
            defaults={
                "name": f"{TIER_NAMES[tier]} · {PRIORITY_NAMES[priority]}",
                "first_response_hours": Decimal(first),
                "resolution_hours": Decimal(resolution),
            },
        )
    for order, name in enumerate(CATEGORIES):
        category.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
