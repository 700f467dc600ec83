"""The time-in-stage report: how long deals sit in each stage, and which are stuck now."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accord.core.charts import Series, bar_chart

from ..forms.stagetimes import StageTimesForm, default_period
from ..selectors import board as board_selectors
from ..selectors.stagetimes import stage_times


class StageTimesView(LoginRequiredMixin, View):
    template_name = "pipeline/stagetimes/report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        start, end = default_period()
        data = request.GET.copy()
        data.setdefault("start", start.isoformat())
        data.setdefault("end", end.isoformat())
        form = StageTimesForm(data=data)
        pipelines = board_selectors.board_pipelines(request.user)
        results = []
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            chosen = form.cleaned_data.get("pipeline")
            wanted = [p for p in pipelines if chosen is None or p.pk == chosen.pk]
            results = stage_times(request.user, pipelines=wanted, start=start, end=end)
        list_url = reverse("pipeline:opportunity_list")
        sections = []
        for entry in results:
            for row in entry.rows:
                row.stuck_url = (  # type: ignore[attr-defined]
                    f"{list_url}?"
                    + urlencode(
                        {
                            "pipeline": entry.pipeline.pk,
                            "stage": row.stage.pk,
                            "in_stage_before": row.stuck_before.isoformat(),
                        }
                    )
                    if row.stuck_before
                    else ""
                )
            measured = [r for r in entry.rows if r.deals]
            chart = (
                bar_chart(
                    title=_("Days in stage: %(pipeline)s") % {"pipeline": entry.pipeline},
                    labels=[r.stage.name for r in measured],
                    series=[
                        Series(_("Median days"), [round(r.median_days or 0, 1) for r in measured]),
                        Series(
                            _("Average days"), [round(r.average_days or 0, 1) for r in measured]
                        ),
                    ],
                    height=260,
                )
                if measured
                else ""
            )
            sections.append({"pipeline": entry.pipeline, "rows": entry.rows, "chart": chart})
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "sections": sections,
                "start": start,
                "end": end,
                "board_url": reverse("pipeline:opportunity_board"),
            },
        )
