"""REST API of calendars and address books (under /api/calendar/):

* `vcards/import/` (POST, multipart): start the import of a .vcf; `vcards/export/` (GET): people
  as one .vcf (the people list's filters apply); `vcards/{id}/` (GET): one person's card;
* `events/import/` (POST, multipart): start the import of an .ics;
* `feed/` (GET: whether you have a subscription; DELETE: revoke it), `feed/rotate/` (POST: create
  or replace it; the answer holds the URL, the only time it is shown).

Imports answer 202 with the job to follow at `/api/jobs/{id}/`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accord.core.api import as_drf_error
from accord.parties.filtersets import PersonFilterSet

from . import selectors, services
from .choices import DuplicateMode, ImportFormat, VCardVersion
from .parsing import VCARD_CONTENT_TYPE as VCARD_TYPE
from .parsing import vcard_stream, vcard_text


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class VCardImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A .vcf file with one or many cards (vCard 3.0/4.0).")
    on_duplicate = serializers.ChoiceField(
        choices=DuplicateMode.choices,
        default=DuplicateMode.UPDATE,
        help_text="A card with the email address of a person you may see: update, skip, create.",
    )
    create_organizations = serializers.BooleanField(
        default=True, help_text="Create organizations named by cards (ORG) that do not exist."
    )


class ICalImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An .ics file; each VEVENT becomes one meeting.")


class ImportStartedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The upload.")
    job = serializers.IntegerField(help_text="The job importing it: /api/jobs/{job}/.")
    job_url = serializers.CharField(help_text="Page with the job's live progress.")


class FeedSerializer(serializers.Serializer):
    exists = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)


class FeedCreatedSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="The subscription URL; shown only in this answer.")
    created_at = serializers.DateTimeField()


def _started(upload) -> Response:
    data = {"id": upload.pk, "job": upload.job_id, "job_url": upload.job.get_absolute_url()}
    return Response(ImportStartedSerializer(data).data, status=status.HTTP_202_ACCEPTED)


def _start(request, serializer_class, file_format: str) -> Response:
    params = serializer_class(data=request.data)
    params.is_valid(raise_exception=True)
    data = params.validated_data
    try:
        upload = services.calendar_import_start(
            actor=request.user,
            file_format=file_format,
            uploaded_file=data["file"],
            on_duplicate=data.get("on_duplicate", DuplicateMode.UPDATE),
            create_organizations=data.get("create_organizations", True),
        )
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    return _started(upload)


VERSION_PARAM = OpenApiParameter(
    "version", str, enum=list(VCardVersion.values), description="vCard version (3.0)."
)


class VCardViewSet(viewsets.ViewSet):
    """People as vCards, and vCard files imported as people."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The person."),
            VERSION_PARAM,
        ],
        responses={(200, "text/vcard"): OpenApiResponse(OpenApiTypes.STR, "One vCard.")},
    )
    def retrieve(self, request, pk=None):
        """One person's card (404 for a person you may not see)."""
        if not str(pk).isdigit() or len(str(pk)) > 18:
            raise Http404
        person = (
            selectors.people_for_export(request.user)
            .prefetch_related("emails", "phones", "tags")
            .filter(pk=int(pk))
            .first()
        )
        if person is None:
            raise Http404
        version = request.query_params.get("version") or VCardVersion.V3
        if version not in VCardVersion.values:
            version = VCardVersion.V3
        response = HttpResponse(
            vcard_text(selectors.card_data(person, _base_url(request)), version),
            content_type=VCARD_TYPE,
        )
        name = slugify(person.full_name) or f"person-{person.pk}"
        response["Content-Disposition"] = f'attachment; filename="{name}.vcf"'
        return response

    @extend_schema(
        parameters=[
            VERSION_PARAM,
            OpenApiParameter(
                "pk", int, many=True, description="Only these people (else: all you may see)."
            ),
        ],
        responses={(200, "text/vcard"): OpenApiResponse(OpenApiTypes.STR, "Many vCards.")},
        description=(
            "Every person you may see as one .vcf, streamed. The filters of the people list "
            "(`q`, `organization`, `tag`, `owner`, `team`, `archived`, …) narrow it."
        ),
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        version = request.query_params.get("version") or VCardVersion.V3
        if version not in VCardVersion.values:
            version = VCardVersion.V3
        people = selectors.people_for_export(request.user)
        filterset = PersonFilterSet(request.query_params, queryset=people, request=request)
        people = filterset.qs if filterset.is_valid() else people.none()
        pks = [p for p in request.query_params.getlist("pk") if p.isdigit() and len(p) < 19]
        if pks:
            people = people.filter(pk__in=pks)
        response = StreamingHttpResponse(
            vcard_stream(selectors.iter_card_data(people, _base_url(request)), version),
            content_type=VCARD_TYPE,
        )
        response["Content-Disposition"] = 'attachment; filename="people.vcf"'
        return response

    @extend_schema(
        request={"multipart/form-data": VCardImportSerializer},
        responses={202: ImportStartedSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Start importing a .vcf: each card becomes a person (duplicates by email as chosen)."""
        return _start(request, VCardImportSerializer, ImportFormat.VCARD)


class EventViewSet(viewsets.ViewSet):
    """Calendar files imported as meetings."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request={"multipart/form-data": ICalImportSerializer},
        responses={202: ImportStartedSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Start importing an .ics: each event with one of your people becomes a meeting, once
        (by its UID)."""
        return _start(request, ICalImportSerializer, ImportFormat.ICALENDAR)


class FeedViewSet(viewsets.ViewSet):
    """Your private calendar subscription (iCalendar feed of your meetings and follow-ups)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FeedSerializer)
    def list(self, request):
        """Whether you have a subscription, since when, and when a calendar last read it."""
        feed = selectors.feed_of(request.user)
        data = {
            "exists": feed is not None,
            "created_at": feed.created_at if feed else None,
            "last_used_at": feed.last_used_at if feed else None,
        }
        return Response(FeedSerializer(data).data)

    @extend_schema(request=None, responses={201: FeedCreatedSerializer})
    @action(detail=False, methods=["post"])
    def rotate(self, request):
        """Create your subscription URL, or replace it (the old one stops working)."""
        token = services.calendar_feed_rotate(actor=request.user)
        feed = selectors.feed_of(request.user)
        url = request.build_absolute_uri(reverse("calendars:feed", args=[token]))
        data = {"url": url, "created_at": feed.created_at if feed else None}
        response = Response(FeedCreatedSerializer(data).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["delete"], url_path="revoke")
    def revoke(self, request):
        """Revoke your subscription URL; calendars get 404 from now on."""
        services.calendar_feed_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = DefaultRouter()
router.register("vcards", VCardViewSet, basename="vcard")
router.register("events", EventViewSet, basename="calendar-event")
router.register("feed", FeedViewSet, basename="calendar-feed")
