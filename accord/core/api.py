"""API base classes: visibility on every queryset, writes through services, capped pagination.

An app declares a viewset by naming its model's selector and services; the rule lives in `visibility`
and in the domain services, never in the viewset.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from .history import history_entries


def as_drf_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


class HistoryEntrySerializer(serializers.Serializer):
    time = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    changes = serializers.ListField(child=serializers.DictField())
    reason = serializers.CharField(help_text="Why, when recorded (e.g. a merge).")


class ServiceModelViewSet(viewsets.ModelViewSet):
    """A model viewset whose reads go through a selector and writes through services.

    Subclasses set `selector(user)` → queryset, and `create_service`, `update_service`,
    `delete_service` (keyword-only: actor, data / instance). Serializers validate; they never save.
    """

    selector: Any = None
    create_service: Any = None
    update_service: Any = None
    delete_service: Any = None

    def get_queryset(self):
        return type(self).selector(self.request.user)

    def _call(self, fn, **kwargs):
        try:
            return fn(**kwargs)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except (ProtectedError, RestrictedError) as exc:
            raise ValidationError(
                {"non_field_errors": [_("This record is still referenced by other records.")]}
            ) from exc

    def perform_create(self, serializer):
        serializer.instance = self._call(
            type(self).create_service, actor=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = self._call(
            type(self).update_service,
            actor=self.request.user,
            instance=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance):
        self._call(type(self).delete_service, actor=self.request.user, instance=instance)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every recorded change of this record: who, when, what."""
        obj = self.get_object()
        return Response(HistoryEntrySerializer(history_entries(obj), many=True).data)
