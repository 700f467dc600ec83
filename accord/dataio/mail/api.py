"""REST API of the mail app: uploads (start a capture job), IMAP accounts (password write-only),
suggested people. Serializers validate; the services write; each user sees only their own."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accord.core.api import as_drf_error
from accord.core.models import Job
from accord.parties.models import Organization

from . import imap, selectors, services
from .models import MailAccount, Security, UnknownSender

router = DefaultRouter()


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        raise as_drf_error(exc) from exc
    except PermissionDenied as exc:
        raise DRFPermissionDenied(str(exc)) from exc


class MailJobSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="get_absolute_url", read_only=True)
    # The job statuses are described once, by the jobs API (`/api/jobs/`).
    status = serializers.CharField(read_only=True, help_text="queued, running, succeeded or failed")

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "kind",
            "label",
            "status",
            "total",
            "done",
            "counts",
            "error_count",
            "errors",
            "failure",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class MailUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An .eml, mbox or ZIP (Maildir or .eml files).")


class MailImportViewSet(viewsets.GenericViewSet):
    """Upload mail to capture (`POST`, multipart `file`): answers 202 with the job to follow."""

    parser_classes = [MultiPartParser, FormParser]
    queryset = Job.objects.none()  # the schema's model; requests read through the selectors
    serializer_class = MailJobSerializer

    @extend_schema(responses=MailJobSerializer(many=True))
    def list(self, request):
        jobs = selectors.mail_imports(request.user)[:100]
        return Response(MailJobSerializer(jobs, many=True).data)

    @extend_schema(responses=MailJobSerializer)
    def retrieve(self, request, pk=None):
        try:
            job = selectors.mail_import_get(request.user, pk)
        except (ObjectDoesNotExist, ValueError) as exc:
            raise NotFound from exc
        return Response(MailJobSerializer(job).data)

    @extend_schema(request=MailUploadSerializer, responses={202: MailJobSerializer})
    def create(self, request):
        serializer = MailUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = _call(
            services.mail_import_start, actor=request.user, upload=serializer.validated_data["file"]
        )
        return Response(MailJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class MailAccountSerializer(serializers.ModelSerializer):
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        style={"input_type": "password"},
        help_text="Stored encrypted, never returned; leave out to keep the stored one.",
    )
    security = serializers.ChoiceField(choices=Security.choices, required=False)
    own_addresses = serializers.ListField(child=serializers.EmailField(), required=False)
    folders = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    has_password = serializers.BooleanField(read_only=True)

    class Meta:
        model = MailAccount
        fields = [
            "id",
            "name",
            "host",
            "port",
            "security",
            "username",
            "password",
            "has_password",
            "folders",
            "own_addresses",
            "is_active",
            "last_sync_at",
            "last_sync_status",
            "last_sync_error",
        ]
        read_only_fields = ["last_sync_at", "last_sync_status", "last_sync_error"]
        extra_kwargs = {"port": {"required": False}}
        validators: list = []  # uniqueness is the service's


class FolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    selected = serializers.BooleanField()


class MailAccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The requesting user's IMAP accounts."""

    serializer_class = MailAccountSerializer
    queryset = MailAccount.objects.none()  # the schema's model; requests use get_queryset

    def get_queryset(self):
        return selectors.mail_accounts(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = _call(
            services.mail_account_create, actor=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = _call(
            services.mail_account_update,
            actor=self.request.user,
            instance=serializer.instance,
            data=serializer.validated_data,
        )

    def perform_destroy(self, instance):
        _call(services.mail_account_delete, actor=self.request.user, instance=instance)

    @extend_schema(request=None, responses=FolderSerializer(many=True))
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Connect and log in; the server's folders on success, 400 with the reason else."""
        account = self.get_object()
        try:
            folders = services.mail_account_test(actor=request.user, instance=account)
        except imap.ImapError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        data = [{"name": f.name, "selected": f.name in account.folders} for f in folders]
        return Response(FolderSerializer(data, many=True).data)

    @extend_schema(request=None, responses={202: MailJobSerializer})
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        """Queue a sync of this account now."""
        account = self.get_object()
        job = _call(services.mail_account_sync_start, actor=request.user, instance=account)
        return Response(MailJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class UnknownSenderSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="new (suggested), created (added as person) or ignored"
    )

    class Meta:
        model = UnknownSender
        fields = [
            "id",
            "address",
            "display_name",
            "message_count",
            "first_seen",
            "last_seen",
            "status",
            "person",
        ]
        read_only_fields = fields


class SenderPersonSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=150, required=False, allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["organization"].queryset = Organization.objects.visible_to(
            getattr(request, "user", None)
        )
        return fields


class PersonCreatedSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    url = serializers.CharField()


class UnknownSenderViewSet(viewsets.ReadOnlyModelViewSet):
    """Suggested people: addresses from the user's captured mail that belong to nobody known.
    `?status=new|ignored|created` (default new)."""

    serializer_class = UnknownSenderSerializer
    queryset = UnknownSender.objects.none()  # the schema's model; requests use get_queryset

    def get_queryset(self):
        wanted = self.request.query_params.get("status", "new")
        if self.action != "list":
            wanted = ""
        return selectors.unknown_senders(self.request.user, status=wanted)

    @extend_schema(request=SenderPersonSerializer, responses={201: PersonCreatedSerializer})
    @action(detail=True, methods=["post"], url_path="create-person")
    def create_person(self, request, pk=None):
        """Create the person for this address and link the user's mails with it to them."""
        sender = self.get_object()
        serializer = SenderPersonSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        person = _call(
            services.unknown_sender_create_person,
            actor=request.user,
            instance=sender,
            data=serializer.validated_data,
        )
        return Response(
            {"person": person.pk, "url": person.get_absolute_url()},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=UnknownSenderSerializer)
    @action(detail=True, methods=["post"])
    def ignore(self, request, pk=None):
        sender = _call(
            services.unknown_sender_ignore, actor=request.user, instance=self.get_object()
        )
        return Response(UnknownSenderSerializer(sender).data)

    @extend_schema(request=None, responses=UnknownSenderSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        sender = _call(
            services.unknown_sender_restore, actor=request.user, instance=self.get_object()
        )
        return Response(UnknownSenderSerializer(sender).data)


router.register("imports", MailImportViewSet, basename="mail-import")
router.register("accounts", MailAccountViewSet, basename="mail-account")
router.register("unknown-senders", UnknownSenderViewSet, basename="mail-unknown-sender")
