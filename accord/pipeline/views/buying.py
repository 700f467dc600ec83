"""The buying center section of the opportunity page: an htmx fragment (a page of its own without
JavaScript) with small forms, each calling a service and answering with the section again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from accord.core import visibility

from ..forms.buying import BuyingCenterMemberForm, BuyingCenterRoleForm
from ..models import Opportunity
from ..selectors import buying as buying_selectors
from ..selectors import opportunity_list
from ..services import buying as buying_services


def is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def form_errors(form: Any) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


class SectionWriteView(LoginRequiredMixin, View):
    """A POST that changes one section of a page: readers are refused (403), records the user
    may not see are not found (404), records they may not change are refused (403). An htmx
    request gets the section back with what happened; a plain form post goes back to the page
    with a message."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def require_change(user: Any, obj: Any) -> None:
        if not visibility.can_change(user, obj):
            raise PermissionDenied(_("You may not change this record."))

    def answer(
        self,
        request: HttpRequest,
        *,
        section: Callable[..., HttpResponse],
        page_url: str,
        notice: str = "",
        errors: list[str] | None = None,
        **extra: Any,
    ) -> HttpResponse:
        if is_htmx(request):
            return section(notice=notice, errors=errors or [], **extra)
        for text in errors or []:
            messages.error(request, text)
        if notice and not errors:
            messages.success(request, notice)
        target = request.POST.get("next", "")
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            page_url = target  # back to the section's own page (used without JavaScript)
        return HttpResponseRedirect(page_url)


def visible_opportunity(request: HttpRequest, pk: int) -> Opportunity:
    return get_object_or_404(opportunity_list(request.user), pk=pk)


def render_buying_center(
    request: HttpRequest,
    opportunity: Opportunity,
    *,
    form: BuyingCenterMemberForm | None = None,
    notice: str = "",
    errors: list[str] | None = None,
) -> HttpResponse:
    user = request.user
    can_change = visibility.can_change(user, opportunity)
    if can_change and form is None:
        form = BuyingCenterMemberForm(user=user, opportunity=opportunity, prefix="member")
    ctx = {
        "opportunity": opportunity,
        "center": buying_selectors.buying_center(user, opportunity),
        "can_change": can_change,
        "member_form": form if can_change else None,
        "role_form": BuyingCenterRoleForm(),
        "quiet_days": buying_selectors.QUIET_DAYS,
        "notice": notice,
        "errors": errors or [],
    }
    if is_htmx(request):
        return render(request, "pipeline/buying/panel.html", ctx)
    return render(request, "pipeline/buying/page.html", ctx)


class BuyingCenterView(LoginRequiredMixin, View):
    """The section (htmx) or, without JavaScript, a page of its own."""

    def get(self, request, pk: int):
        return render_buying_center(request, visible_opportunity(request, pk))


class BuyingCenterTakeView(SectionWriteView):
    """Propose members from the people's current positions at the client (idempotent)."""

    def post(self, request, pk: int):
        opportunity = visible_opportunity(request, pk)
        self.require_change(request.user, opportunity)
        added = buying_services.buying_center_take_from_positions(
            actor=request.user, opportunity=opportunity
        )
        if added:
            notice = ngettext(
                "%(n)d member taken from positions.",
                "%(n)d members taken from positions.",
                len(added),
            ) % {"n": len(added)}
        else:
            notice = _("Nothing new: everyone with a buying role at the client is in already.")
        return self.answer(
            request,
            section=lambda **kw: render_buying_center(request, opportunity, **kw),
            page_url=opportunity.get_absolute_url(),
            notice=notice,
        )


class BuyingCenterAddView(SectionWriteView):
    def post(self, request, pk: int):
        opportunity = visible_opportunity(request, pk)
        self.require_change(request.user, opportunity)
        form = BuyingCenterMemberForm(
            data=request.POST, user=request.user, opportunity=opportunity, prefix="member"
        )
        section = lambda **kw: render_buying_center(request, opportunity, **kw)  # noqa: E731
        if not form.is_valid():
            return self.answer(
                request,
                section=section,
                page_url=opportunity.get_absolute_url(),
                errors=form_errors(form),
                form=form,
            )
        try:
            member = buying_services.buying_center_member_add(
                actor=request.user, opportunity=opportunity, data=form.service_data()
            )
        except ValidationError as exc:
            return self.answer(
                request,
                section=section,
                page_url=opportunity.get_absolute_url(),
                errors=error_messages(exc),
                form=form,
            )
        return self.answer(
            request,
            section=section,
            page_url=opportunity.get_absolute_url(),
            notice=_("%(member)s added.") % {"member": member},
        )


class _MemberView(SectionWriteView):
    def member(self, request, pk: int):
        member = get_object_or_404(buying_selectors.buying_center_member_list(request.user), pk=pk)
        self.require_change(request.user, member)
        return member


class BuyingCenterRoleView(_MemberView):
    """Change one member's role."""

    def post(self, request, pk: int):
        member = self.member(request, pk)
        opportunity = member.opportunity
        section = lambda **kw: render_buying_center(request, opportunity, **kw)  # noqa: E731
        form = BuyingCenterRoleForm(data=request.POST)
        if not form.is_valid():
            return self.answer(
                request,
                section=section,
                page_url=opportunity.get_absolute_url(),
                errors=form_errors(form),
            )
        try:
            member = buying_services.buying_center_member_update(
                actor=request.user, instance=member, data={"role": form.cleaned_data["role"]}
            )
        except ValidationError as exc:
            return self.answer(
                request,
                section=section,
                page_url=opportunity.get_absolute_url(),
                errors=error_messages(exc),
            )
        return self.answer(
            request,
            section=section,
            page_url=opportunity.get_absolute_url(),
            notice=_("%(member)s saved.") % {"member": member},
        )


class BuyingCenterRemoveView(_MemberView):
    def post(self, request, pk: int):
        member = self.member(request, pk)
        opportunity = member.opportunity
        name = str(member)
        buying_services.buying_center_member_remove(actor=request.user, instance=member)
        return self.answer(
            request,
            section=lambda **kw: render_buying_center(request, opportunity, **kw),
            page_url=opportunity.get_absolute_url(),
            notice=_("%(member)s removed.") % {"member": name},
        )
