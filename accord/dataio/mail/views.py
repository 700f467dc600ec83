"""Pages of the mail app: home (accounts, uploads, suggested people), upload with progress, IMAP
accounts (add, change, test, folders, sync, delete), suggested people (add as person, ignore).

Thin: parse the request, call a selector or service, render. Every object is looked up among the
user's own (another user's account or suggestion is a 404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from accord.core import visibility
from accord.core.views import apply_validation_error, message_validation_error

from . import imap, selectors, services
from .forms import FolderChoiceForm, MailAccountForm, MailUploadForm, UnknownSenderPersonForm
from .models import SenderStatus


def _or_404(fn, *args):
    try:
        return fn(*args)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _require_write(request) -> None:
    if not visibility.may_write(request.user):
        raise PermissionDenied(_("Your role may only read."))


class MailHomeView(LoginRequiredMixin, TemplateView):
    template_name = "mail/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.mail_home(self.request.user))
        ctx["may_write"] = visibility.may_write(self.request.user)
        return ctx


# --- uploads ---------------------------------------------------------------------------------
class MailUploadView(LoginRequiredMixin, View):
    template_name = "mail/upload.html"

    def get(self, request):
        _require_write(request)
        return render(request, self.template_name, {"form": MailUploadForm()})

    def post(self, request):
        _require_write(request)
        form = MailUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.mail_import_start(
                    actor=request.user, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return HttpResponseRedirect(reverse("mail:import_detail", args=[job.pk]))
        return render(request, self.template_name, {"form": form}, status=200)


class MailImportDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        job = _or_404(selectors.mail_import_get, request.user, pk)
        return render(request, "mail/import_detail.html", {"job": job})


# --- accounts ---------------------------------------------------------------------------------
class AccountEditView(LoginRequiredMixin, View):
    """Add (no pk) or change an IMAP account."""

    template_name = "mail/account_edit.html"

    def _account(self, request, pk):
        return _or_404(selectors.mail_account_get, request.user, pk) if pk else None

    def get(self, request, pk: int | None = None):
        _require_write(request)
        account = self._account(request, pk)
        form = MailAccountForm(instance=account, user=request.user)
        return render(request, self.template_name, {"form": form, "account": account})

    def post(self, request, pk: int | None = None):
        _require_write(request)
        account = self._account(request, pk)
        form = MailAccountForm(request.POST, instance=account, user=request.user)
        if form.is_valid():
            try:
                if account is None:
                    account = services.mail_account_create(
                        actor=request.user, data=form.service_data()
                    )
                    messages.success(
                        request, _("The account is saved. Choose the folders to sync.")
                    )
                    return HttpResponseRedirect(reverse("mail:account_folders", args=[account.pk]))
                services.mail_account_update(
                    actor=request.user, instance=account, data=form.service_data()
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The account is saved."))
                return HttpResponseRedirect(reverse("mail:home"))
        return render(request, self.template_name, {"form": form, "account": account})


class AccountDeleteView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        account = _or_404(selectors.mail_account_get, request.user, pk)
        return render(request, "mail/account_delete.html", {"account": account})

    def post(self, request, pk: int):
        account = _or_404(selectors.mail_account_get, request.user, pk)
        services.mail_account_delete(actor=request.user, instance=account)
        messages.success(
            request, _("The account is removed; the mails captured from it stay in Accord.")
        )
        return HttpResponseRedirect(reverse("mail:home"))


class AccountTestView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        account = _or_404(selectors.mail_account_get, request.user, pk)
        try:
            folders = services.mail_account_test(actor=request.user, instance=account)
        except imap.ImapError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "Connected and logged in; the mailbox has %(n)s folder.",
                    "Connected and logged in; the mailbox has %(n)s folders.",
                    len(folders),
                )
                % {"n": len(folders)},
            )
        return HttpResponseRedirect(reverse("mail:home"))


class AccountFoldersView(LoginRequiredMixin, View):
    """Choose the folders to sync from those the server lists."""

    template_name = "mail/account_folders.html"

    def _folders(self, request, account) -> tuple[list[str], str]:
        try:
            names = [
                f.name for f in services.mail_account_folders(actor=request.user, instance=account)
            ]
        except imap.ImapError as exc:
            return list(account.folders), str(exc)
        return list(dict.fromkeys([*names, *account.folders])), ""

    def get(self, request, pk: int):
        account = _or_404(selectors.mail_account_get, request.user, pk)
        names, error = self._folders(request, account)
        form = FolderChoiceForm(folders=names, initial={"folders": account.folders})
        return render(
            request, self.template_name, {"form": form, "account": account, "error": error}
        )

    def post(self, request, pk: int):
        account = _or_404(selectors.mail_account_get, request.user, pk)
        names = list(dict.fromkeys([*request.POST.getlist("folders"), *account.folders]))
        form = FolderChoiceForm(request.POST, folders=names)
        if form.is_valid():
            try:
                services.mail_account_update(
                    actor=request.user,
                    instance=account,
                    data={"folders": form.cleaned_data["folders"]},
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("The folders are saved; they are synced every few minutes.")
                )
                return HttpResponseRedirect(reverse("mail:home"))
        return render(request, self.template_name, {"form": form, "account": account, "error": ""})


class AccountSyncView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        account = _or_404(selectors.mail_account_get, request.user, pk)
        try:
            job = services.mail_account_sync_start(actor=request.user, instance=account)
        except ValidationError as exc:
            message_validation_error(request, exc)
            return HttpResponseRedirect(reverse("mail:home"))
        return HttpResponseRedirect(reverse("mail:import_detail", args=[job.pk]))


# --- suggested people ------------------------------------------------------------------------------
class SenderListView(LoginRequiredMixin, View):
    def get(self, request):
        status = request.GET.get("status", SenderStatus.NEW)
        if status not in SenderStatus.values:
            status = SenderStatus.NEW
        senders = list(selectors.unknown_senders(request.user, status=status)[:200])
        return render(
            request,
            "mail/senders.html",
            {
                "senders": senders,
                "status": status,
                "statuses": SenderStatus.choices,
                "may_write": visibility.may_write(request.user),
            },
        )


class SenderCreatePersonView(LoginRequiredMixin, View):
    template_name = "mail/sender_create.html"

    def get(self, request, pk: int):
        _require_write(request)
        sender = _or_404(selectors.unknown_sender_get, request.user, pk)
        first, last = services.split_name(sender.display_name, sender.address)
        organization = selectors.organization_for_address(request.user, sender.address)
        form = UnknownSenderPersonForm(
            user=request.user,
            initial={"first_name": first, "last_name": last, "organization": organization},
        )
        return render(request, self.template_name, {"form": form, "sender": sender})

    def post(self, request, pk: int):
        _require_write(request)
        sender = _or_404(selectors.unknown_sender_get, request.user, pk)
        form = UnknownSenderPersonForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                person = services.unknown_sender_create_person(
                    actor=request.user, instance=sender, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is now a person; their mails are linked.") % {"name": person},
                )
                return HttpResponseRedirect(reverse("mail:senders"))
        return render(request, self.template_name, {"form": form, "sender": sender})


class SenderStatusView(LoginRequiredMixin, View):
    http_method_names = ["post"]
    service: Any = None
    done: Any = ""

    def post(self, request, pk: int):
        sender = _or_404(selectors.unknown_sender_get, request.user, pk)
        type(self).service(actor=request.user, instance=sender)
        messages.success(request, self.done % {"address": sender.address})
        return HttpResponseRedirect(reverse("mail:senders"))


class SenderIgnoreView(SenderStatusView):
    service = staticmethod(services.unknown_sender_ignore)
    done = gettext_lazy("“%(address)s” is no longer suggested.")


class SenderRestoreView(SenderStatusView):
    service = staticmethod(services.unknown_sender_restore)
    done = gettext_lazy("“%(address)s” is suggested again.")
