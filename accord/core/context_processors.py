from django.conf import settings

from . import visibility
from .navigation import menu


def navigation(request):
    """The main menu, the languages and whether the user may write, for every page."""
    user = getattr(request, "user", None)
    return {
        "accord_menu": menu(user=user) if user is not None and user.is_authenticated else [],
        "accord_may_write": visibility.may_write(user),
        "accord_languages": settings.LANGUAGES,
    }
