"""The portal's sections: each app registers the pages a client sees (orders, cases, trainings …).

A section names the account permission it needs (`can_order`, `can_see_invoices`,
`can_open_cases`, `can_book_services`, or "" for every account); the portal menu and the
`portal_required` decorator both ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class PortalSection:
    label: str | Promise
    url_name: str
    order: int = 50
    permission: str = ""
    description: str | Promise = ""


_SECTIONS: dict[str, PortalSection] = {}


def register_section(section: PortalSection) -> None:
    _SECTIONS[section.url_name] = section


def sections(account: Any) -> list[PortalSection]:
    """The sections this account may open, in menu order."""
    return sorted(
        (s for s in _SECTIONS.values() if allows(account, s.permission)),
        key=lambda s: (s.order, str(s.label)),
    )


def allows(account: Any, permission: str) -> bool:
    return account is not None and (not permission or bool(getattr(account, permission, False)))
