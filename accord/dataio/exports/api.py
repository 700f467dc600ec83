"""Exports over the API: start a list export (CSV/XLSX) or the full JSON export as a job.

    GET  /api/exports/lists/   the lists that can be exported
    POST /api/exports/lists/   {"list": "parties:person_list", "format": "xlsx",
                                "filters": {"q": "müller", "owner": "3"}, "sort": "-name"}
    GET  /api/exports/full/    my full exports (jobs)
    POST /api/exports/full/    start the full export of everything I may see

A started export answers 202 with the job; follow it at /api/jobs/jobs/<id>/ and download the file
from its `download_url` when it has succeeded (only its owner may).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils.text import capfirst
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accord.core.api import as_drf_error
from accord.core.job_api import JobSerializer
from accord.core.views import exportable_lists, list_export_table, list_view_class

from . import selectors, services


class ExportableListSerializer(serializers.Serializer):
    list = serializers.CharField(help_text="The list's name, to pass as `list` when exporting.")
    title = serializers.CharField(help_text="What the list holds, in the request's language.")
    formats = serializers.ListField(
        child=serializers.CharField(), help_text="The formats to pass as `format`: csv, xlsx."
    )


class ListExportRequestSerializer(serializers.Serializer):
    list = serializers.CharField(
        help_text="Which list, e.g. `parties:person_list` (see GET /api/exports/lists/)."
    )
    format = serializers.ChoiceField(choices=services.FORMATS)
    filters = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text=(
            'The list page\'s filters by name, e.g. {"q": "müller", "owner": "3", '
            '"archived": "all"}: the same names and values as the page\'s query string.'
        ),
    )
    sort = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A column to sort by, `-` for descending (e.g. `-last_interaction_at`).",
    )

    def validate_list(self, value: str) -> str:
        try:
            list_view_class(value)
        except LookupError:
            raise serializers.ValidationError("No list of this name can be exported.") from None
        return value

    def query(self) -> str:
        query = QueryDict(mutable=True)
        for key, value in self.validated_data.get("filters", {}).items():
            if key not in ("page", "per_page", "sort"):
                query[key] = value
        if self.validated_data.get("sort"):
            query["sort"] = self.validated_data["sort"]
        return query.urlencode()


class ListExportViewSet(viewsets.ViewSet):
    """Lists (organizations, people, interactions, follow-ups …) as CSV or XLSX files.

    An export holds the rows the list shows for the given filters and sort, as the caller may
    see them, with the list's visible columns."""

    permission_classes = [IsAuthenticated]
    serializer_class = ListExportRequestSerializer

    @extend_schema(responses=ExportableListSerializer(many=True))
    def list(self, request):
        rows = [
            {
                "list": name,
                "title": capfirst(model._meta.verbose_name_plural),
                "formats": services.FORMATS,
            }
            for name, model in exportable_lists()
        ]
        return Response(ExportableListSerializer(rows, many=True).data)

    @extend_schema(
        request=ListExportRequestSerializer,
        responses={202: JobSerializer},
        examples=[
            OpenApiExample(
                "People in Berlin as Excel",
                value={"list": "parties:person_list", "format": "xlsx", "filters": {"q": "Berlin"}},
                request_only=True,
            )
        ],
    )
    def create(self, request):
        params = ListExportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        list_name = params.validated_data["list"]
        fmt = params.validated_data["format"]
        query = params.query()
        table = list_export_table(list_name, request.user, query)
        if table.filter_errors:
            raise serializers.ValidationError(
                {"filters": {k: [str(m) for m in v] for k, v in table.filter_errors.items()}}
            )
        view_class, initkwargs = list_view_class(list_name)
        title = capfirst((initkwargs.get("model") or view_class.model)._meta.verbose_name_plural)
        try:
            job = services.start_list_export(
                user=request.user,
                list_name=list_name,
                query=query,
                fmt=fmt,
                label=f"{title} ({fmt.upper()})",
                filename=services.export_filename(title, fmt),
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        data = JobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class FullExportViewSet(viewsets.ViewSet):
    """Everything the caller may see, as one JSON document in a ZIP file (a background job)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=JobSerializer(many=True))
    def list(self, request):
        jobs = selectors.export_jobs(request.user, services.FULL_EXPORT_JOB)
        return Response(JobSerializer(jobs, many=True, context={"request": request}).data)

    @extend_schema(request=None, responses={202: JobSerializer})
    def create(self, request):
        try:
            job = services.start_full_export(user=request.user)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        data = JobSerializer(job, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


router = DefaultRouter()
router.register("lists", ListExportViewSet, basename="export-list")
router.register("full", FullExportViewSet, basename="export-full")
