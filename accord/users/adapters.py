"""allauth adapter: sign-up only when the instance allows it."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return bool(getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", False))
