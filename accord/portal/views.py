"""Portal pages. Staff side: the list of portal accounts and inviting a person. Client side:
sign in, accept an invitation, the start page and the password; apps add their sections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accord.core import visibility
from accord.core.services import model_delete
from accord.core.views import ModelViews, apply_validation_error
from accord.parties.models import Person

from . import auth, case_updates, selectors, services
from .filtersets import CatalogueItemFilterSet, PortalAccountFilterSet
from .forms import (
    AcceptForm,
    AccountForm,
    CatalogueItemForm,
    ChangePasswordForm,
    InviteForm,
    SignInForm,
)
from .models import CatalogueItem, PortalAccount
from .registry import sections
from .tables import CatalogueItemTable, PortalAccountTable

# --- staff side ----------------------------------------------------------------------------------


def _update(*, actor, instance, data):
    return services.update_account(actor=actor, account=instance, data=dict(data))


def _delete(*, actor, instance):
    model_delete(instance, actor=actor)


class PortalAccountViews(ModelViews):
    model = PortalAccount
    selector = staticmethod(selectors.account_list)
    namespace = "portal"
    filterset_class = PortalAccountFilterSet
    form_class = AccountForm
    update_service = staticmethod(_update)
    delete_service = staticmethod(_delete)
    table_class = PortalAccountTable
    detail_template = "portal/account_detail.html"


class CatalogueItemViews(ModelViews):
    model = CatalogueItem
    selector = staticmethod(selectors.catalogue_list)
    namespace = "portal"
    filterset_class = CatalogueItemFilterSet
    table_class = CatalogueItemTable
    form_class = CatalogueItemForm
    create_service = staticmethod(services.catalogue_item_create)
    update_service = staticmethod(services.catalogue_item_update)
    delete_service = staticmethod(services.catalogue_item_delete)


class CaseFollowerView(LoginRequiredMixin, View):
    """On the staff's case page: whether the client follows the case in the portal and is mailed
    about our answers (empty when nobody is, or the case is hidden)."""

    def get(self, request, pk: int):
        from accord.servicedesk.models import Case

        case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
        return render(
            request,
            "portal/partials/case_follower.html",
            {"account": case_updates.account_to_tell(case)},
        )


class InviteView(LoginRequiredMixin, View):
    """Invite a person to the portal, or send them a new invitation."""

    template_name = "portal/invite.html"

    def _person(self, request, pk: int) -> Person:
        person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
        if not visibility.can_change(request.user, person):
            raise PermissionDenied(_("You may not change this record."))
        return person

    def _form(self, request, person, data=None) -> InviteForm:
        account = PortalAccount.objects.filter(person=person).first()
        initial = {"language": getattr(account, "language", request.LANGUAGE_CODE[:2])}
        if account:
            initial.update(
                organization=account.organization_id,
                email=account.email,
                **{p: getattr(account, p) for p in services.PERMISSIONS},
            )
        elif person.organization_id:
            initial["organization"] = person.organization_id
        return InviteForm(
            data,
            initial=initial,
            organizations=selectors.invitable_organizations(request.user, person),
        )

    def get(self, request, pk: int):
        person = self._person(request, pk)
        return render(
            request, self.template_name, {"person": person, "form": self._form(request, person)}
        )

    def post(self, request, pk: int):
        person = self._person(request, pk)
        form = self._form(request, person, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account, link = services.invite(
                    actor=request.user,
                    person=person,
                    organization=data["organization"],
                    email=data["email"],
                    language=data["language"],
                    permissions={p: data[p] for p in services.PERMISSIONS},
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The invitation was sent to %(email)s. The link: %(link)s")
                    % {"email": account.email, "link": link},
                )
                return redirect(account.get_absolute_url())
        return render(request, self.template_name, {"person": person, "form": form}, status=400)


# --- client side ---------------------------------------------------------------------------------


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/portal/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return default


def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.authenticate(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            auth.sign_in(request, account)
            return redirect(_safe_next(request, "/portal/"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/sign_in.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )


@require_POST
def sign_out(request):
    auth.sign_out(request)
    messages.info(request, _("You have signed out."))
    return redirect("portal:login")


def accept(request, token: str):
    try:
        account = services.account_for_token(token)
    except ValidationError as exc:
        return render(request, "portal/accept.html", {"invalid": exc.messages}, status=400)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.accept_invitation(token=token, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            auth.sign_in(request, account)
            messages.success(request, _("Welcome! Your password is set."))
            return redirect("portal:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/accept.html", {"form": form, "account": account}, status=status)


@auth.portal_required
def home(request):
    return render(request, "portal/home.html", {"sections": sections(request.portal_account)})


@auth.portal_required
def password(request):
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.change_password(account=request.portal_account, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            auth.sign_in(request, account)  # this session stays, others end
            messages.success(request, _("Your password has been changed."))
            return redirect("portal:home")
    return render(request, "portal/password.html", {"form": form})
