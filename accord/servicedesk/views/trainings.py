"""Pages of trainings: the list (seats taken, waitlist), the training page with its registrations,
registering a person, cancelling a registration and the attendance check list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.views import ModelViews, ObjectDetailView, ObjectListView

from ..filtersets.trainings import TrainingFilterSet
from ..forms.trainings import RegistrationForm, TrainingForm
from ..models import RegistrationStatus, Training, TrainingRegistration
from ..selectors import trainings as selectors
from ..services import trainings as services
from ..tables.trainings import TrainingTable


class TrainingListView(ObjectListView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["services_nav"] = "trainings"
        ctx["add_training_url"] = reverse("servicedesk:serviceappointment_add") + "?kind=training"
        return ctx


class TrainingDetailView(ObjectDetailView):
    def get_queryset(self):
        return super().get_queryset().select_related("appointment__organization")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        training = self.object
        ctx.update(selectors.training_detail(self.request.user, training))
        ctx["appointment"] = training.appointment
        ctx["registration_form"] = kwargs.get("registration_form") or RegistrationForm(
            user=self.request.user
        )
        ctx["may_record_attendance"] = (
            ctx["can_change"] and training.appointment.starts_at <= timezone.now()
        )
        ctx["attendance_error"] = kwargs.get("attendance_error")
        return ctx


class TrainingViews(ModelViews):
    model = Training
    selector = staticmethod(selectors.training_list)
    namespace = "servicedesk"
    filterset_class = TrainingFilterSet
    table_class = TrainingTable
    form_class = TrainingForm
    update_service = staticmethod(services.training_update)
    delete_service = staticmethod(services.training_delete)
    list_view = TrainingListView
    detail_view = TrainingDetailView
    list_template = "servicedesk/trainings/training_list.html"
    detail_template = "servicedesk/trainings/training_detail.html"


class _TrainingAction(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def get_training(self, pk: int) -> Training:
        training = get_object_or_404(selectors.training_list(self.request.user), pk=pk)
        if not visibility.can_change(self.request.user, training):
            raise PermissionDenied(_("You may not change this record."))
        return training

    def rerender(self, training: Training, **extra: Any):
        view = TrainingDetailView(
            model=Training,
            selector=selectors.training_list,
            url_namespace="servicedesk",
            actions=TrainingViews.actions(),
            template_name=TrainingViews.detail_template,
        )
        view.setup(self.request, pk=training.pk)
        view.object = training
        return view.render_to_response(view.get_context_data(object=training, **extra))


class RegistrationAddView(_TrainingAction):
    """Register a person; when the training is full they go on the waitlist (the message says
    so)."""

    def post(self, request, pk: int):
        training = self.get_training(pk)
        form = RegistrationForm(data=request.POST, user=request.user)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    actor=request.user,
                    training=training,
                    person=form.cleaned_data["person"],
                    note=form.cleaned_data.get("note") or "",
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                names = {"person": registration.person.full_name, "n": training.capacity}
                if registration.status == RegistrationStatus.WAITLISTED:
                    messages.warning(
                        request,
                        _(
                            "The training is full (%(n)d seats): %(person)s was put on the "
                            "waitlist and moves up when a seat frees."
                        )
                        % names,
                    )
                else:
                    messages.success(request, _("%(person)s is registered.") % names)
                return HttpResponseRedirect(training.get_absolute_url())
        return self.rerender(training, registration_form=form)


class RegistrationCancelView(_TrainingAction):
    def post(self, request, pk: int):
        registration = get_object_or_404(
            TrainingRegistration.objects.visible_to(request.user).select_related("person"), pk=pk
        )
        training = self.get_training(registration.training_id)
        moved = services.registration_cancel(actor=request.user, registration=registration)
        messages.success(
            request,
            _("The registration of %(person)s was cancelled.")
            % {"person": registration.person.full_name},
        )
        if moved is not None:
            messages.info(
                request,
                _("%(person)s moved up from the waitlist.") % {"person": moved.person.full_name},
            )
        return HttpResponseRedirect(training.get_absolute_url())


class AttendanceView(_TrainingAction):
    """The check list: the people checked attended, the others did not come."""

    def post(self, request, pk: int):
        training = self.get_training(pk)
        attended = [v for v in request.POST.getlist("attended") if v.isdigit()]
        try:
            counts = services.training_record_attendance(
                actor=request.user, training=training, attended=attended
            )
        except ValidationError as exc:
            message = " ".join(exc.message_dict.get("attended", exc.messages))
            return self.rerender(training, attendance_error=message)
        messages.success(
            request,
            _("Attendance saved: %(attended)d attended, %(no_show)d did not come.") % counts,
        )
        return HttpResponseRedirect(training.get_absolute_url())
