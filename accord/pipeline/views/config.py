"""Pages configuring the sales process: pipelines, their stages, the lost reasons.

Everyone signed in may read them (which stages, which probabilities); administrators and
managers change them. Every change goes through `services.config`, which holds the rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accord.core.views import apply_validation_error

from ..forms.config import LostReasonForm, PipelineForm, StageForm
from ..models import LostReason, Pipeline, Stage
from ..selectors import config as config_selectors
from ..services import config as config_services

EDIT_TEMPLATE = "core/object_edit.html"
DELETE_TEMPLATE = "pipeline/config/delete.html"


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class ConfigView(LoginRequiredMixin, View):
    """Reading is for everyone signed in; `writes = True` pages are for administrators and
    managers only (403 for the others)."""

    writes = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            request.user.is_authenticated
            and self.writes
            and not config_selectors.may_configure(request.user)
        ):
            raise PermissionDenied(_("Only administrators and managers may change the pipelines."))
        return super().dispatch(request, *args, **kwargs)

    def common(self) -> dict[str, Any]:
        return {"may_configure": config_selectors.may_configure(self.request.user)}


# --- pipelines ----------------------------------------------------------------------------------


class PipelineListView(ConfigView):
    def get(self, request: HttpRequest) -> HttpResponse:
        pipelines = list(config_selectors.pipeline_config_list(request.user))
        return render(
            request,
            "pipeline/config/pipeline_list.html",
            {"pipelines": pipelines, **self.common()},
        )


class PipelineDetailView(ConfigView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pipeline = get_object_or_404(config_selectors.pipeline_config_list(request.user), pk=pk)
        return render(
            request,
            "pipeline/config/pipeline_detail.html",
            {
                "pipeline": pipeline,
                "rows": config_selectors.pipeline_stage_rows(request.user, pipeline),
                **self.common(),
            },
        )


def _detail_url(pipeline: Pipeline) -> str:
    return reverse("pipeline:pipeline_detail", args=[pipeline.pk])


class PipelineEditView(ConfigView):
    writes = True

    def get_object(self) -> Pipeline | None:
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(config_selectors.pipeline_config_list(self.request.user), pk=pk)

    def render_form(self, form: PipelineForm, obj: Pipeline | None) -> HttpResponse:
        return render(
            self.request,
            EDIT_TEMPLATE,
            {
                "form": form,
                "object": obj,
                "verbose_name": Pipeline._meta.verbose_name,
                "cancel_url": _detail_url(obj) if obj else reverse("pipeline:pipeline_list"),
            },
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object()
        return self.render_form(PipelineForm(instance=obj, user=request.user), obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object()
        form = PipelineForm(data=request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                if obj is None:
                    saved = config_services.pipeline_create(
                        actor=request.user, data=form.service_data()
                    )
                    messages.success(
                        request,
                        _("Pipeline “%(name)s” created. Rename and add its stages here.")
                        % {"name": saved.name},
                    )
                else:
                    saved = config_services.pipeline_update(
                        actor=request.user, instance=obj, data=form.service_data()
                    )
                    messages.success(request, _("Pipeline “%(name)s” saved.") % {"name": saved})
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return HttpResponseRedirect(_detail_url(saved))
        return self.render_form(form, obj)


class PipelineDeleteView(ConfigView):
    writes = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pipeline = get_object_or_404(Pipeline, pk=pk)
        return render(
            request,
            DELETE_TEMPLATE,
            {
                "object": pipeline,
                "verbose_name": Pipeline._meta.verbose_name,
                "cancel_url": _detail_url(pipeline),
                "note": _("Its stages are deleted with it."),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pipeline = get_object_or_404(Pipeline, pk=pk)
        try:
            config_services.pipeline_delete(actor=request.user, instance=pipeline)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return HttpResponseRedirect(_detail_url(pipeline))
        messages.success(request, _("Pipeline “%(name)s” deleted.") % {"name": pipeline.name})
        return HttpResponseRedirect(reverse("pipeline:pipeline_list"))


# --- stages -------------------------------------------------------------------------------------


class StageEditView(ConfigView):
    """Add a stage to a pipeline (`pipeline` in the URL) or edit one (`pk`)."""

    writes = True

    def objects(self) -> tuple[Pipeline, Stage | None]:
        if "pk" in self.kwargs:
            stage = get_object_or_404(
                Stage.objects.select_related("pipeline"), pk=self.kwargs["pk"]
            )
            return stage.pipeline, stage
        return get_object_or_404(Pipeline, pk=self.kwargs["pipeline"]), None

    def render_form(self, form: StageForm, pipeline: Pipeline, obj: Stage | None) -> HttpResponse:
        return render(
            self.request,
            EDIT_TEMPLATE,
            {
                "form": form,
                "object": obj,
                "verbose_name": _("stage of “%(pipeline)s”") % {"pipeline": pipeline},
                "cancel_url": _detail_url(pipeline),
            },
        )

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        pipeline, obj = self.objects()
        return self.render_form(StageForm(instance=obj, user=request.user), pipeline, obj)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        pipeline, obj = self.objects()
        form = StageForm(data=request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                if obj is None:
                    saved = config_services.stage_create(
                        actor=request.user, data={**form.service_data(), "pipeline": pipeline}
                    )
                    messages.success(request, _("Stage “%(name)s” added.") % {"name": saved})
                else:
                    saved = config_services.stage_update(
                        actor=request.user, instance=obj, data=form.service_data()
                    )
                    messages.success(request, _("Stage “%(name)s” saved.") % {"name": saved})
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return HttpResponseRedirect(f"{_detail_url(pipeline)}#stage-{saved.pk}")
        return self.render_form(form, pipeline, obj)


class StageDeleteView(ConfigView):
    writes = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=pk)
        return render(
            request,
            DELETE_TEMPLATE,
            {
                "object": stage,
                "verbose_name": Stage._meta.verbose_name,
                "cancel_url": _detail_url(stage.pipeline),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=pk)
        try:
            config_services.stage_delete(actor=request.user, instance=stage)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Stage “%(name)s” deleted.") % {"name": stage.name})
        return HttpResponseRedirect(_detail_url(stage.pipeline))


class StageMoveView(ConfigView):
    """POST `direction=up|down`: the keyboard-friendly way to reorder stages."""

    writes = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=pk)
        offset = -1 if request.POST.get("direction") == "up" else 1
        try:
            config_services.stage_move(actor=request.user, instance=stage, offset=offset)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request,
                (_("“%(name)s” moved up.") if offset < 0 else _("“%(name)s” moved down."))
                % {"name": stage.name},
            )
        return HttpResponseRedirect(f"{_detail_url(stage.pipeline)}#stage-{stage.pk}")


# --- lost reasons -------------------------------------------------------------------------------


class LostReasonListView(ConfigView):
    def get(self, request: HttpRequest) -> HttpResponse:
        usage = config_selectors.lost_reason_usage(request.user)
        reasons = list(config_selectors.lost_reason_config_list(request.user))
        for reason in reasons:
            reason.usage = usage.get(reason.pk, 0)  # type: ignore[attr-defined]
        return render(
            request,
            "pipeline/config/lostreason_list.html",
            {"reasons": reasons, **self.common()},
        )


class LostReasonEditView(ConfigView):
    writes = True

    def get_object(self) -> LostReason | None:
        pk = self.kwargs.get("pk")
        return get_object_or_404(LostReason, pk=pk) if pk is not None else None

    def render_form(self, form: LostReasonForm, obj: LostReason | None) -> HttpResponse:
        return render(
            self.request,
            EDIT_TEMPLATE,
            {
                "form": form,
                "object": obj,
                "verbose_name": LostReason._meta.verbose_name,
                "cancel_url": reverse("pipeline:lostreason_list"),
            },
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object()
        return self.render_form(LostReasonForm(instance=obj, user=request.user), obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object()
        form = LostReasonForm(data=request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                if obj is None:
                    saved = config_services.lost_reason_create(
                        actor=request.user, data=form.service_data()
                    )
                else:
                    saved = config_services.lost_reason_update(
                        actor=request.user, instance=obj, data=form.service_data()
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Lost reason “%(name)s” saved.") % {"name": saved})
                return HttpResponseRedirect(reverse("pipeline:lostreason_list"))
        return self.render_form(form, obj)


class LostReasonDeleteView(ConfigView):
    writes = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        reason = get_object_or_404(LostReason, pk=pk)
        return render(
            request,
            DELETE_TEMPLATE,
            {
                "object": reason,
                "verbose_name": LostReason._meta.verbose_name,
                "cancel_url": reverse("pipeline:lostreason_list"),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        reason = get_object_or_404(LostReason, pk=pk)
        try:
            config_services.lost_reason_delete(actor=request.user, instance=reason)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Lost reason “%(name)s” deleted.") % {"name": reason.name})
        return HttpResponseRedirect(reverse("pipeline:lostreason_list"))
