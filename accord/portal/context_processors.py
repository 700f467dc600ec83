from .registry import sections


def portal(request):
    """The portal menu for portal pages (empty elsewhere)."""
    account = getattr(request, "portal_account", None)
    return {"portal_sections": sections(account) if account is not None else []}
