"""`GET /api/search/?q=…&kind=…&limit=…`: the page's grouped hits as JSON, same visibility rule."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .engine import MAX_LIMIT, search
from .query import MAX_QUERY_LENGTH
from .registry import entries, get_entry


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH, trim_whitespace=True
    )
    kind = serializers.CharField(required=False, allow_blank=True)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=10)

    def validate_kind(self, value: str) -> str:
        if value and get_entry(value) is None:
            kinds = ", ".join(e.kind for e in entries())
            raise serializers.ValidationError(
                _("Unknown kind. Choose one of: %(kinds)s.") % {"kinds": kinds}
            )
        return value


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    subtitle = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text="Path of the record's page.")


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Hits returned.")
    count_display = serializers.CharField(help_text='"10+" when there are more than returned.')
    has_more = serializers.BooleanField()
    results = SearchHitSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


def _kind_enum() -> list[str]:
    return [e.kind for e in entries()]


class SearchAPIView(APIView):
    """Global search over organizations, people and interactions the user may see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="search",
        summary="Global search",
        description=(
            "Records matching all words of `q` (each word also as the start of a longer word; "
            "case and accents ignored), grouped by kind: organizations and people by relevance, "
            "interactions newest first. Only records the user may see. An empty `q` finds nothing."
        ),
        parameters=[
            OpenApiParameter("q", str, description="The words to search for."),
            OpenApiParameter("kind", str, enum=_kind_enum(), description="Only this kind."),
            OpenApiParameter("limit", int, description=f"Hits per kind, 1–{MAX_LIMIT} (10)."),
        ],
        responses=SearchResponseSerializer,
        tags=["search"],
    )
    def get(self, request):
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data.get("q", "")
        kind = params.validated_data.get("kind") or None
        groups = search(
            request.user,
            query,
            kinds=[kind] if kind else None,
            limit=params.validated_data["limit"],
        )
        data = {"query": query, "groups": list(groups.values())}
        return Response(SearchResponseSerializer(data).data)
