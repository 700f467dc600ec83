"""Pages of service appointments and schedules: the generic list, detail, edit and history pages
of `core`, the calendar (month and week), "generate now" on a schedule and the fragment on the
organization page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from accord.core import visibility
from accord.core.views import ModelViews, ObjectDetailView, ObjectListView

from ..filtersets.appointments import AppointmentFilterSet, CalendarFilterSet, ScheduleFilterSet
from ..forms.appointments import AppointmentForm, CalendarForm, ScheduleForm
from ..models import ServiceAppointment, ServiceSchedule
from ..selectors import appointments as selectors
from ..services import appointments as services
from ..tables.appointments import AppointmentTable, ScheduleTable


class AppointmentListView(ObjectListView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["services_nav"] = "list"
        return ctx


class AppointmentDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.appointment_detail(self.request.user, self.object))
        return ctx


class AppointmentViews(ModelViews):
    model = ServiceAppointment
    selector = staticmethod(selectors.appointment_list)
    namespace = "servicedesk"
    filterset_class = AppointmentFilterSet
    table_class = AppointmentTable
    form_class = AppointmentForm
    create_service = staticmethod(services.appointment_create)
    update_service = staticmethod(services.appointment_update)
    delete_service = staticmethod(services.appointment_delete)
    list_view = AppointmentListView
    detail_view = AppointmentDetailView
    list_template = "servicedesk/appointments/appointment_list.html"
    detail_template = "servicedesk/appointments/appointment_detail.html"


class ScheduleListView(ObjectListView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["services_nav"] = "schedules"
        return ctx


class ScheduleDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.schedule_detail(self.request.user, self.object))
        ctx["generate_url"] = (
            reverse("servicedesk:serviceschedule_generate", args=[self.object.pk])
            if ctx["can_change"]
            else None
        )
        ctx["horizon_days"] = services.HORIZON_DAYS
        return ctx


class ScheduleViews(ModelViews):
    model = ServiceSchedule
    selector = staticmethod(selectors.schedule_list)
    namespace = "servicedesk"
    filterset_class = ScheduleFilterSet
    table_class = ScheduleTable
    form_class = ScheduleForm
    create_service = staticmethod(services.schedule_create)
    update_service = staticmethod(services.schedule_update)
    delete_service = staticmethod(services.schedule_delete)
    list_view = ScheduleListView
    detail_view = ScheduleDetailView
    list_template = "servicedesk/appointments/schedule_list.html"
    detail_template = "servicedesk/appointments/schedule_detail.html"


class ScheduleGenerateView(LoginRequiredMixin, View):
    """ "Generate now": the schedule's missing appointments of the coming days."""

    def post(self, request, pk: int):
        schedule = get_object_or_404(selectors.schedule_list(request.user), pk=pk)
        if not visibility.can_change(request.user, schedule):
            raise PermissionDenied(_("You may not change this record."))
        result = services.schedule_generate(actor=request.user, schedule=schedule)
        messages.success(
            request,
            ngettext(
                "%(n)d appointment generated.", "%(n)d appointments generated.", result.created
            )
            % {"n": result.created},
        )
        return HttpResponseRedirect(schedule.get_absolute_url())


class CalendarView(LoginRequiredMixin, View):
    """The appointments of a month or a week as a table (weekdays as columns), with previous and
    next, and the list's filters (kind, status, organization, owner, team, mine, search)."""

    template_name = "servicedesk/appointments/calendar.html"

    def get(self, request):
        form = CalendarForm(data=request.GET or None)
        values = form.cleaned_data if form.is_bound and form.is_valid() else {}
        mode = values.get("view") or "month"
        anchor = values.get("date") or timezone.localdate()
        filterset = CalendarFilterSet(
            data=request.GET or None,
            queryset=selectors.appointment_list(request.user),
            request=request,
        )
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        page = selectors.calendar_page(queryset, mode=mode, anchor=anchor)
        query = request.GET.copy()
        for key in ("date", "view"):
            query.pop(key, None)
        filters = query.urlencode()

        def link(day: dt.date, view: str = mode) -> str:
            extra = f"&{filters}" if filters else ""
            return f"{reverse('servicedesk:calendar')}?view={view}&date={day.isoformat()}{extra}"

        ctx = {
            "form": form,
            "filter": filterset,
            "page": page,
            "mode": page.mode,
            "previous_url": link(page.previous),
            "next_url": link(page.next),
            "today_url": link(timezone.localdate()),
            "month_url": link(page.anchor, "month"),
            "week_url": link(page.anchor, "week"),
            "rows": [(link(week[0].date, "week"), week) for week in page.weeks],
            "list_url": reverse("servicedesk:serviceappointment_list"),
            "filters": filters,
            "services_nav": "calendar",
            "may_write": visibility.may_write(request.user),
            "weekday_names": [week_day.date for week_day in page.weeks[0]] if page.weeks else [],
            "active_filters": sum(
                1 for k, v in request.GET.items() if v and k not in {"date", "view"}
            ),
        }
        return render(request, self.template_name, ctx)


class OrganizationServicesView(LoginRequiredMixin, View):
    """The next appointments and the schedules of one organization, for the organization page."""

    def get(self, request, pk: int):
        ctx = selectors.organization_services(request.user, pk)
        ctx.update({"organization_id": pk, "may_write": visibility.may_write(request.user)})
        return render(request, "servicedesk/appointments/organization_services.html", ctx)
