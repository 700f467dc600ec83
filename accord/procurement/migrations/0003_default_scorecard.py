"""The default scorecard: five criteria with their weights and the four standings (data only;
reversible). `restore_scorecard_configuration()` puts the same rows back (tests, a reset)."""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("on_time", Decimal("30"), 10),
    ("quality", Decimal("25"), 20),
    ("price_variance", Decimal("20"), 30),
    ("responsiveness", Decimal("15"), 40),
    ("open_issues", Decimal("10"), 50),
]
STANDINGS = [
    (Decimal("0"), Decimal("30"), "Very poor", "block"),
    (Decimal("30"), Decimal("50"), "Poor", "warning"),
    (Decimal("50"), Decimal("80"), "Average", "none"),
    (Decimal("80"), Decimal("100"), "Excellent", "none"),
]


def create(apps, schema_editor):
    Criterion = apps.get_model("procurement", "ScorecardCriterion")
    Standing = apps.get_model("procurement", "ScorecardStanding")
    for code, weight, order in CRITERIA:
        Criterion.objects.get_or_create(code=code, defaults={"weight": weight, "order": order})
    if not Standing.objects.exists():
        for low, high, label, action in STANDINGS:
            Standing.objects.create(low=low, high=high, label=label, action=action)


def remove(apps, schema_editor):
    apps.get_model("procurement", "ScorecardCriterion").objects.all().delete()
    apps.get_model("procurement", "SupplierScore").objects.all().delete()
    apps.get_model("procurement", "ScorecardStanding").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_scorecards_budgets")]

    operations = [migrations.RunPython(create, remove)]
