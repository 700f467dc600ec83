"""API permission: the visibility rule applied to requests."""

from rest_framework import permissions

from . import visibility


class VisibilityPermission(permissions.BasePermission):
    """Authenticated users read; writers write; changing a record needs `visibility.can_change`."""

    def has_permission(self, request, view) -> bool:
        if not visibility.is_authenticated(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return visibility.may_write(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return visibility.can_change(request.user, obj)
