"""API actions that merge two people or two organizations (`…/{id}/merge/`, `…/{id}/merge-preview/`).

The record of the URL stays; `other` is merged into it and deleted. Reads and writes go through
`services.merge_plan` and `services.party_merge`; the serializers only validate and present.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from . import services
from .services.merge import CHOICES


@extend_schema_field({"type": "string", "enum": list(CHOICES)}, component_name="MergeChoiceEnum")
class MergeChoiceField(serializers.ChoiceField):
    """Whose value to keep: "survivor", "loser" or (notes, roles) "both"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CHOICES, **kwargs)


class MergeRequestSerializer(serializers.Serializer):
    other = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="Id of the record merged into this one; it is deleted afterwards.",
    )
    choices = serializers.DictField(
        child=MergeChoiceField(),
        required=False,
        help_text=(
            "Per field of the comparison (see merge-preview): whose value the record keeps — "
            '"survivor" (this record), "loser" (the other) or, for notes and roles, "both". '
            "Fields left out keep their default."
        ),
    )


class MergeFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    survivor_value = serializers.CharField(help_text="This record's value, as shown.")
    loser_value = serializers.CharField(help_text="The other record's value, as shown.")
    default = MergeChoiceField()
    options = serializers.ListField(child=MergeChoiceField())


class MergeCountSerializer(serializers.Serializer):
    what = serializers.CharField()
    count = serializers.IntegerField()


class MergePreviewSerializer(serializers.Serializer):
    fields = MergeFieldSerializer(many=True)
    related = MergeCountSerializer(many=True, help_text="The other record's linked records.")


class MergeResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The record that stayed.")
    merged_id = serializers.IntegerField(help_text="The record merged into it (now deleted).")
    carried = MergeCountSerializer(many=True)
    dropped = MergeCountSerializer(many=True, help_text="Duplicates left out.")


def _counts(values: dict[str, int]) -> list[dict[str, Any]]:
    return [{"what": k, "count": v} for k, v in sorted(values.items())]


class MergeActionMixin:
    """Adds `merge` and `merge-preview` to the organization and person viewsets."""

    def _other(self, value: Any) -> Any:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"other": [_("Give the id of the other record.")]}) from None
        other = self.get_queryset().filter(pk=pk).first()  # type: ignore[attr-defined]
        if other is None:
            raise ValidationError({"other": [_("There is no such record you may see.")]})
        return other

    @extend_schema(
        parameters=[OpenApiParameter("other", int, required=True, description="The other id.")],
        responses=MergePreviewSerializer,
    )
    @action(detail=True, methods=["get"], url_path="merge-preview")
    def merge_preview(self, request, pk=None):
        """What merging `other` into this record would do: both values of each field with the
        default choice, and how many linked records the other one has."""
        obj = self.get_object()  # type: ignore[attr-defined]
        other = self._other(request.query_params.get("other"))
        plan = self._call(services.merge_plan, actor=request.user, survivor=obj, loser=other)  # type: ignore[attr-defined]
        data = {
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "survivor_value": f.survivor_value,
                    "loser_value": f.loser_value,
                    "default": f.default,
                    "options": f.options,
                }
                for f in plan.fields
            ],
            "related": [{"what": what, "count": n} for what, n in plan.related],
        }
        return Response(MergePreviewSerializer(data).data)

    @extend_schema(request=MergeRequestSerializer, responses=MergeResultSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge `other` into this record: every linked record moves here (duplicates left out),
        the chosen values are kept, `other` is deleted. Both must be records you may change."""
        obj = self.get_object()  # type: ignore[attr-defined]
        params = MergeRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        other = self._other(params.validated_data["other"])
        result = self._call(  # type: ignore[attr-defined]
            services.party_merge,
            actor=request.user,
            survivor=obj,
            loser=other,
            choices=params.validated_data.get("choices") or {},
        )
        data = {
            "id": result.survivor.pk,
            "merged_id": result.loser_id,
            "carried": _counts(result.carried),
            "dropped": _counts(result.dropped),
        }
        return Response(MergeResultSerializer(data).data)
