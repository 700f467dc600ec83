"""Jobs over the API: list and read one's jobs, retry a failed one, download its result."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from . import jobs
from .api import as_drf_error
from .models import Job
from .pagination import CappedCountPagination


class JobSerializer(serializers.ModelSerializer):
    started_by = serializers.EmailField(source="started_by.email", read_only=True, default=None)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    stalled = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "label",
            "status",
            "started_by",
            "total",
            "done",
            "percent",
            "counts",
            "error_count",
            "errors",
            "failure",
            "attempts",
            "stalled",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_stalled(self, job: Job) -> bool:
        return jobs.is_stalled(job)

    def get_download_url(self, job: Job) -> str | None:
        if not job.result_file:
            return None
        request = self.context.get("request")
        url = f"/api/jobs/jobs/{job.pk}/download/"
        return request.build_absolute_uri(url) if request else url


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Background jobs started by the current user (administrators see all)."""

    serializer_class = JobSerializer
    # the queryset holds only the user's own jobs; retry_job checks ownership again
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = CappedCountPagination
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return jobs.visible_jobs(self.request.user)

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = self.get_object()
        try:
            job = jobs.retry_job(request.user, job)
        except DjangoPermissionDenied:
            raise Http404 from None
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return Response(self.get_serializer(job).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if not job.result_file:
            raise Http404
        return FileResponse(
            job.result_file.open("rb"),
            as_attachment=True,
            filename=job.result_name or "result",
            content_type=job.result_content_type or "application/octet-stream",
        )


router = DefaultRouter()
router.register("jobs", JobViewSet, basename="job")
