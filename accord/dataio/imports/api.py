"""Imports over the API: upload a file, set its column mapping, start the dry run, decide on similar
names, start the import, follow its status. Each user sees only their own imports and mappings;
viewers may read nothing but their (empty) lists. Serializers validate; `services` does the work."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accord.core.api import as_drf_error
from accord.core.job_api import JobSerializer
from accord.core.pagination import CappedCountPagination
from accord.core.permissions import VisibilityPermission

from . import columns, selectors, services
from .choices import DuplicateMode, FuzzyDefault, ImportKind
from .models import ImportRun, SavedMapping


class TargetFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()


class ImportSerializer(serializers.ModelSerializer):
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    # plain text here (the choices are documented on the upload and mapping requests): one enum
    # per choice set keeps the OpenAPI names unambiguous
    kind = serializers.CharField(read_only=True)
    on_duplicate = serializers.CharField(read_only=True)
    target_fields = serializers.SerializerMethodField(
        help_text=_("The fields columns can be mapped to, for this kind of import.")
    )
    check_job = JobSerializer(read_only=True)
    import_job = JobSerializer(read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "web_url",
            "kind",
            "status",
            "filename",
            "file_format",
            "file_size",
            "encoding",
            "delimiter",
            "sheet",
            "headers",
            "sample",
            "mapping",
            "target_fields",
            "on_duplicate",
            "fuzzy_default",
            "fuzzy_decisions",
            "total_rows",
            "rows_committed",
            "report",
            "result",
            "error",
            "check_job",
            "import_job",
            "created_at",
            "checked_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(TargetFieldSerializer(many=True))
    def get_target_fields(self, obj: ImportRun) -> list[dict]:
        return [
            {"key": f.key, "label": str(f.label), "required": f.required}
            for f in columns.fields_for(obj.kind)
        ]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV (UTF-8, Windows-1252, Latin-1; , or ;) or XLSX."))
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    on_duplicate = serializers.CharField(
        default=DuplicateMode.UPDATE,
        help_text=_("update (default), skip or create: what happens to rows matching a record."),
    )
    saved_mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Name (or id) of one of your saved mappings to apply instead of the guess."),
    )

    def validate_on_duplicate(self, value: str) -> str:
        if value not in DuplicateMode.values:
            raise serializers.ValidationError(_("Choose update, skip or create."))
        return value


class ImportMappingSerializer(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text=_('Column number (from 0, as text) → field key; "" or missing: not imported.'),
    )
    on_duplicate = serializers.ChoiceField(choices=DuplicateMode.choices, required=False)
    fuzzy_default = serializers.ChoiceField(choices=FuzzyDefault.choices, required=False)
    save_as = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ImportDecisionsSerializer(serializers.Serializer):
    decisions = serializers.DictField(
        child=serializers.ChoiceField(choices=[("same", "same"), ("new", "new")]),
        help_text=_('Row number → "same" (the similar record) or "new" (a new record).'),
    )


class SavedMappingSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    on_duplicate = serializers.CharField(read_only=True)

    class Meta:
        model = SavedMapping
        fields = ["id", "name", "kind", "columns", "on_duplicate", "created_at", "updated_at"]
        read_only_fields = fields


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


class ImportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your imports. Steps: POST a file (multipart) → check `mapping` (guessed from the headers) and
    POST `mapping/` to change it → POST `dry-run/` → follow `status`/`check_job` until `checked`,
    read `report` → optionally POST `decisions/` → POST `start/` → follow until `done`."""

    serializer_class = ImportSerializer
    permission_classes = [VisibilityPermission]
    pagination_class = CappedCountPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return selectors.import_list(self.request.user)

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportSerializer})
    def create(self, request, *args, **kwargs):
        """Upload a file: it is checked whole (encoding, binary content, ZIP bomb, XML entities)
        and its columns are guessed (or taken from `saved_mapping`)."""
        incoming = ImportUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        saved = None
        if data.get("saved_mapping"):
            name = data["saved_mapping"]
            qs = selectors.saved_mapping_list(request.user)
            saved = (qs.filter(pk=int(name)).first() if name.isdigit() else None) or qs.filter(
                name=name
            ).first()
            if saved is None:
                raise serializers.ValidationError({"saved_mapping": [_("No such saved mapping.")]})
        run = _call(
            services.import_create,
            actor=request.user,
            file=data["file"],
            kind=data["kind"],
            on_duplicate=data["on_duplicate"],
            saved_mapping=saved,
            filename=data["file"].name,
        )
        return Response(self.get_serializer(run).data, status=201)

    def perform_destroy(self, instance):
        _call(services.import_delete, actor=self.request.user, run=instance)

    @extend_schema(request=ImportMappingSerializer, responses=ImportSerializer)
    @action(detail=True, methods=["post"])
    def mapping(self, request, pk=None):
        """Set the column mapping and what happens to matched and similar records."""
        run = self.get_object()
        incoming = ImportMappingSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        run = _call(
            services.import_set_mapping,
            actor=request.user,
            run=run,
            mapping=data["mapping"],
            on_duplicate=data.get("on_duplicate"),
            fuzzy_default=data.get("fuzzy_default"),
            save_as=data.get("save_as", ""),
        )
        return Response(self.get_serializer(run).data)

    @extend_schema(request=None, responses={202: ImportSerializer})
    @action(detail=True, methods=["post"], url_path="dry-run")
    def dry_run(self, request, pk=None):
        """Start the dry run (a background job); nothing is written."""
        run = self.get_object()
        _call(services.import_start_check, actor=request.user, run=run)
        run.refresh_from_db()
        return Response(self.get_serializer(run).data, status=202)

    @extend_schema(request=ImportDecisionsSerializer, responses=ImportSerializer)
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        """Decide, per row the dry run listed, whether a similar name is the same record."""
        run = self.get_object()
        incoming = ImportDecisionsSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        run = _call(
            services.import_set_decisions,
            actor=request.user,
            run=run,
            decisions=incoming.validated_data["decisions"],
        )
        return Response(self.get_serializer(run).data)

    @extend_schema(request=None, responses={202: ImportSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Confirm the dry run: the import job writes the rows in committed batches."""
        run = self.get_object()
        _call(services.import_start, actor=request.user, run=run)
        run.refresh_from_db()
        return Response(self.get_serializer(run).data, status=202)

    @extend_schema(
        responses=inline_serializer(
            "ImportStatus",
            {
                "id": serializers.IntegerField(),
                "status": serializers.CharField(),
                "total_rows": serializers.IntegerField(allow_null=True),
                "rows_committed": serializers.IntegerField(),
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "error": serializers.CharField(),
                "job": JobSerializer(allow_null=True),
            },
        )
    )
    @action(detail=True, methods=["get"])
    def status(self, request, pk=None):
        """Where the import is: status, counts so far and the running job's progress."""
        run = self.get_object()
        job = run.import_job or run.check_job
        counts = (run.result or {}).get("counts") or (run.report or {}).get("counts") or {}
        return Response(
            {
                "id": run.pk,
                "status": run.status,
                "total_rows": run.total_rows,
                "rows_committed": run.rows_committed,
                "counts": counts,
                "error": run.error,
                "job": JobSerializer(job, context=self.get_serializer_context()).data
                if job
                else None,
            }
        )


class SavedMappingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your saved column mappings (saved with `save_as` when setting an import's mapping)."""

    serializer_class = SavedMappingSerializer
    permission_classes = [VisibilityPermission]
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.saved_mapping_list(self.request.user)

    def perform_destroy(self, instance):
        _call(services.saved_mapping_delete, actor=self.request.user, mapping=instance)


router = DefaultRouter()
router.register("imports", ImportViewSet, basename="import")
router.register("mappings", SavedMappingViewSet, basename="import-mapping")
