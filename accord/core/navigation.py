"""The main menu: apps register their entries here, `core` renders them without knowing the apps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = ""
    order: int = 100


_MENU: list[MenuItem] = []


def register_menu_item(item: MenuItem) -> None:
    if item not in _MENU:
        _MENU.append(item)
        _MENU.sort(key=lambda i: i.order)


def menu() -> list[MenuItem]:
    return list(_MENU)
