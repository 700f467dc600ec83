"""The opportunity board: a column per stage with totals, cards that move by drag and drop (htmx)
or by a "Move to" form on each card (keyboard, screen readers, no JavaScript)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility

from ..choices import StageKind
from ..filtersets.board import OpportunityBoardFilterSet
from ..forms.board import OpportunityMoveForm
from ..models import Opportunity, Pipeline
from ..selectors import board as board_selectors
from ..services.opportunities import STALE_VERSION, opportunity_move

BOARD_TEMPLATE = "pipeline/board/board.html"
FRAGMENT_TEMPLATE = "pipeline/board/_board.html"
# what the board passes on to the list and keeps between moves
KEPT_PARAMS = ("pipeline", "q", "organization", "owner", "team", "close_after", "close_before")


def _choose_pipeline(pipelines: list[Pipeline], value: Any) -> Pipeline | None:
    wanted = str(value or "")
    for pipeline in pipelines:
        if str(pipeline.pk) == wanted:
            return pipeline
    return pipelines[0] if pipelines else None


def _move_options(column: Any, stages: list[Any]) -> str:
    """The <option>s of the card's "Move to" select, built once per column: an empty choice
    first, so that the button never moves a deal to a stage nobody chose."""
    return format_html('<option value="">{}</option>', _("Stage …")) + format_html_join(
        "",
        '<option value="{}">{}</option>',
        ((s.pk, s.name) for s in stages if s.pk != column.stage.pk),
    )


class CardRenderer:
    """The cards' markup, built in Python: a board shows up to 240 cards, and the template way
    (two URL reversals, six translations and three formatted values per card) costs more than
    the board's queries. The markup is the same a template would give; everything is escaped."""

    def __init__(self, request: HttpRequest, board_query: str) -> None:
        self.csrf = get_token(request)
        self.board_query = board_query
        self.detail_url = reverse("pipeline:opportunity_detail", args=[0])[:-2]
        self.move_url = reverse("pipeline:opportunity_move", args=[0])[: -len("0/move/")]
        self.text = {
            "amount": _("Amount"),
            "expected": _("Expected close"),
            "closed": _("Closed"),
            "owner": _("Owner"),
            "move_to": _("Move to"),
            "move": _("Move"),
            "no_date": _("no date"),
        }

    def _day(self, value: Any) -> str:
        if value is None:
            return self.text["no_date"]
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date()
        return formats.date_format(value, "SHORT_DATE_FORMAT")

    def column(self, column: Any) -> str:
        return mark_safe("".join(self.card(card, column) for card in column.cards))  # noqa: S308

    def card(self, card: Opportunity, column: Any) -> str:
        t = self.text
        if column.recent_only:
            day = format_html(
                '<div><dt class="sr-only">{}</dt><dd>{}</dd></div>',
                t["closed"],
                self._day(card.closed_at),
            )
        else:
            day = format_html(
                '<div><dt class="sr-only">{}</dt><dd>{}</dd></div>',
                t["expected"],
                self._day(card.expected_close_date),
            )
        move = ""
        if getattr(card, "can_move", False):
            url = f"{self.move_url}{card.pk}/move/"
            move = format_html(
                '<form class="board-move" method="post" action="{url}" hx-post="{url}" '
                'hx-target="#board" hx-swap="outerHTML">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
                '<input type="hidden" name="version" value="{version}">'
                '<input type="hidden" name="board" value="{board}">'
                '<label for="move-{pk}">{move_to}<span class="sr-only"> ({title})</span></label>'
                '<select id="move-{pk}" name="stage">{options}</select>'
                '<button class="btn btn-small" type="submit">{move}'
                '<span class="sr-only"> {title}</span></button></form>',
                url=url,
                csrf=self.csrf,
                version=card.updated_at.isoformat(),
                board=self.board_query,
                pk=card.pk,
                move_to=t["move_to"],
                move=t["move"],
                title=card.title,
                options=column.move_options,
            )
        return format_html(
            '<li class="board-card" id="opp-{pk}" tabindex="-1" data-stage="{stage}"{drag} '
            'aria-labelledby="opp-{pk}-title">'
            '<h4 class="board-card-title" id="opp-{pk}-title">'
            '<a href="{detail}{pk}/" draggable="false">{title}</a></h4>'
            '<p class="board-card-org">{organization}</p>'
            '<dl class="board-card-facts">'
            '<div><dt class="sr-only">{amount_label}</dt><dd>{amount} {currency}</dd></div>'
            "{day}"
            '<div><dt class="sr-only">{owner_label}</dt><dd>{owner}</dd></div>'
            "</dl>{move}</li>",
            pk=card.pk,
            stage=column.stage.pk,
            drag=mark_safe(' draggable="true"') if move else "",  # noqa: S308 - constant
            detail=self.detail_url,
            title=card.title,
            organization=card.organization.name,
            amount_label=t["amount"],
            amount=formats.number_format(card.amount, 0, use_l10n=True, force_grouping=True),
            currency=card.currency,
            day=day,
            owner_label=t["owner"],
            owner=str(card.owner) if card.owner_id else "—",
            move=move,
        )


def board_context(request: HttpRequest, query: QueryDict) -> dict[str, Any]:
    """Everything the board (page or fragment) shows for the given query (pipeline, filters)."""
    user = request.user
    pipelines = board_selectors.board_pipelines(user)
    pipeline = _choose_pipeline(pipelines, query.get("pipeline"))
    filterset = OpportunityBoardFilterSet(
        query, queryset=board_selectors.board_queryset(user), request=request
    )
    kept = {k: query.get(k) for k in KEPT_PARAMS if query.get(k)}
    if pipeline is not None:
        kept["pipeline"] = str(pipeline.pk)
    board_query = urlencode(kept)
    ctx: dict[str, Any] = {
        "pipelines": pipelines,
        "pipeline": pipeline,
        "filter": filterset,
        "board": None,
        "board_query": board_query,
        "board_url": f"{reverse('pipeline:opportunity_board')}?{board_query}",
        "list_url": f"{reverse('pipeline:opportunity_list')}?{board_query}",
        "active_filters": sum(1 for k in kept if k != "pipeline"),
        "may_write": visibility.may_write(user),
    }
    if pipeline is None:
        return ctx
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    board = board_selectors.board(user, pipeline=pipeline, queryset=rows)
    stages = [c.stage for c in board.columns]
    list_base = reverse("pipeline:opportunity_list")
    since = timezone.localdate(board.closed_since).isoformat()
    cards = CardRenderer(request, board_query)
    for column in board.columns:
        column.move_options = _move_options(column, stages)  # type: ignore[attr-defined]
        column.cards_html = cards.column(column)  # type: ignore[attr-defined]
        params = {**kept, "stage": column.stage.pk}
        if column.recent_only:
            params["closed_after"] = since
        column.list_url = f"{list_base}?{urlencode(params)}"  # type: ignore[attr-defined]
    ctx["board"] = board
    return ctx


class OpportunityBoardView(LoginRequiredMixin, View):
    """The board page; an htmx request (the filter form) gets only the board."""

    def get(self, request: HttpRequest) -> HttpResponse:
        ctx = board_context(request, request.GET)
        htmx = getattr(request, "htmx", False)
        if htmx and not htmx.boosted and htmx.target == "board":
            ctx["status_oob"] = True  # a new filter clears the last move's message
            return render(request, FRAGMENT_TEMPLATE, ctx)
        return render(request, BOARD_TEMPLATE, ctx)


class OpportunityMoveView(LoginRequiredMixin, View):
    """POST: move one opportunity to another stage (drag and drop or the card's form).

    Answers htmx with the re-rendered board (totals included) and a message for the live region;
    a plain form post is redirected to the board. A stale `version` (someone else changed the
    deal since the board was shown) moves nothing and says so, showing their state. A lost stage
    first asks for the reason. Viewers and users who may not change the deal get 403.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        if not visibility.may_write(user):
            raise PermissionDenied(_("Your role may only read."))
        opportunity = get_object_or_404(
            Opportunity.objects.visible_to(user).select_related("stage", "pipeline"), pk=pk
        )
        if not visibility.can_change(user, opportunity):
            raise PermissionDenied(_("You may not change this record."))
        form = OpportunityMoveForm(data=request.POST, opportunity=opportunity, user=user)
        query = QueryDict(request.POST.get("board", ""))
        if "cancel" in request.POST:
            return self.answer(request, query, _("Not moved."), focus=opportunity)
        if not form.is_valid():
            if "stage" in form.errors:
                message = _("Choose a stage of “%(pipeline)s” to move “%(title)s” to.") % {
                    "pipeline": opportunity.pipeline,
                    "title": opportunity.title,
                }
            else:
                message = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return self.answer(request, query, message, level="error", focus=opportunity)
        stage = form.cleaned_data["stage"]
        if stage.pk == opportunity.stage_id:
            return self.answer(
                request,
                query,
                _("“%(title)s” is already in “%(stage)s”.")
                % {"title": opportunity.title, "stage": stage.name},
                focus=opportunity,
            )
        reason = form.cleaned_data.get("lost_reason")
        if stage.kind == StageKind.LOST and reason is None:
            if "lost_reason" in request.POST:  # the dialog was sent without a reason
                form.add_error("lost_reason", _("A lost opportunity needs a reason."))
            return self.answer(request, query, "", dialog=form, focus=opportunity)
        try:
            opportunity_move(
                actor=user,
                instance=opportunity,
                stage=stage,
                version=form.cleaned_data.get("version") or None,
                lost_reason=reason,
                won_competitor=form.cleaned_data.get("won_competitor"),
            )
        except ValidationError as exc:
            errors = getattr(exc, "error_dict", {})
            if STALE_VERSION in errors:
                return self.answer(
                    request,
                    query,
                    self.stale_message(opportunity),
                    level="warning",
                    focus=opportunity,
                )
            return self.answer(
                request,
                query,
                _("“%(title)s” was not moved: %(reason)s")
                % {"title": opportunity.title, "reason": " ".join(exc.messages)},
                level="error",
                focus=opportunity,
            )
        return self.answer(
            request,
            query,
            _("“%(title)s” moved to “%(stage)s”.") % {"title": opportunity.title, "stage": stage},
            level="success",
            focus=opportunity,
        )

    def stale_message(self, opportunity: Opportunity) -> str:
        current = (
            Opportunity.objects.select_related("stage").filter(pk=opportunity.pk).first()
            or opportunity
        )
        last = current.history.order_by("-history_date").select_related("history_user").first()
        who = str(last.history_user) if last and last.history_user else _("Someone else")
        return _(
            "%(who)s changed “%(title)s” in the meantime (%(when)s), so your move was not "
            "saved. The board now shows their change: the deal is in “%(stage)s”. Reload the "
            "board to see all changes, then move it again if still needed."
        ) % {
            "who": who,
            "title": current.title,
            "when": formats.date_format(
                timezone.localtime(current.updated_at), "SHORT_DATETIME_FORMAT"
            ),
            "stage": current.stage.name,
        }

    def answer(
        self,
        request: HttpRequest,
        query: QueryDict,
        message: str,
        *,
        level: str = "info",
        dialog: OpportunityMoveForm | None = None,
        focus: Opportunity | None = None,
    ) -> HttpResponse:
        htmx = getattr(request, "htmx", False)
        if not htmx and dialog is None:
            if message:
                getattr(messages, level)(request, message)
            kept = {k: query.get(k) for k in KEPT_PARAMS if query.get(k)}
            return HttpResponseRedirect(
                f"{reverse('pipeline:opportunity_board')}?{urlencode(kept)}"
            )
        ctx = board_context(request, query)
        ctx.update(
            {
                "status_message": message,
                "status_level": level,
                "lost_form": dialog,
                "lost_opportunity": dialog.opportunity if dialog is not None else None,
                "focus_id": f"opp-{focus.pk}" if focus is not None else "",
                "status_oob": bool(htmx),
            }
        )
        template = FRAGMENT_TEMPLATE if htmx else BOARD_TEMPLATE
        return render(request, template, ctx)
