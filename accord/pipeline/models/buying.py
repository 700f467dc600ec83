"""The buying center of an opportunity: who decides and who influences the purchase."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import TimestampedModel
from accord.core.visibility import VisibleQuerySet
from accord.parties.choices import BuyingRole


class BuyingCenterMember(TimestampedModel):
    """A person at the client involved in one opportunity's purchase, in one buying role.

    Members are proposed from the people's positions at the opportunity's organization (their
    buying role there) and can be edited per opportunity: the same person may be a champion on
    one deal and a blocker on another.
    """

    visibility_parent = "opportunity"

    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="buying_center",
    )
    person = models.ForeignKey(
        "parties.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="buying_center_roles",
    )
    role = models.CharField(_("buying role"), max_length=30, choices=BuyingRole.choices)
    from_position = models.BooleanField(
        _("taken from position"),
        default=False,
        help_text=_("Proposed from the person's position at the organization."),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("buying center member")
        verbose_name_plural = _("buying center members")
        ordering = ["opportunity", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "person", "role"], name="pipeline_buying_center_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return self.opportunity.get_absolute_url()
