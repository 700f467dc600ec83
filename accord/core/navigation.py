"""The main menu: apps register their entries here, `core` renders them without knowing the apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAIN = "main"
DATA = "data"  # the "Data & settings" page: imports, mail, exports, calendars, webhooks, jobs, configuration


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = ""
    order: int = 100
    section: str = MAIN
    description: str = ""
    # shown only to users for whom this returns True (e.g. administrators); None: everyone
    visible_to: Callable[[Any], bool] | None = None

    def shown_to(self, user: Any) -> bool:
        return self.visible_to is None or bool(self.visible_to(user))


_MENU: list[MenuItem] = []


def register_menu_item(item: MenuItem) -> None:
    if item not in _MENU:
        _MENU.append(item)
        _MENU.sort(key=lambda i: i.order)


def menu(section: str = MAIN, user: Any = None) -> list[MenuItem]:
    return [i for i in _MENU if i.section == section and (user is None or i.shown_to(user))]
