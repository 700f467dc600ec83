"""The demo's own staff: users, their roles and teams, and the one published password."""

from __future__ import annotations

from accord.users.choices import Role

DEMO_PASSWORD = "accord-demo"  # noqa: S105 - the published password of the local demo users
DEMO_SIZE = {"orgs": 300, "people": 1200, "interactions": 20_000}
SALES, PARTNERS = "Vertrieb Nord", "Einkauf & Partner"
# email, first name, last name, role, teams
DEMO_USERS = (
    ("admin@accord.example", "Anna", "Albers", Role.ADMIN, ()),
    ("manager@accord.example", "Markus", "Brenner", Role.MANAGER, (SALES, PARTNERS)),
    ("julia.hoffmann@accord.example", "Julia", "Hoffmann", Role.MEMBER, (SALES,)),
    ("tobias.schroeder@accord.example", "Tobias", "Schröder", Role.MEMBER, (SALES,)),
    ("sabine.krueger@accord.example", "Sabine", "Krüger", Role.MEMBER, (PARTNERS,)),
    ("viewer@accord.example", "Lena", "Vogt", Role.VIEWER, (SALES,)),
)
# how the people we write to address our users
USER_SALUTATIONS = {
    "Anna": "Frau",
    "Markus": "Herr",
    "Julia": "Frau",
    "Tobias": "Herr",
    "Sabine": "Frau",
    "Lena": "Frau",
}


def login_text(
    users: list[tuple[str, str, str]] | None = None,
    password: str = DEMO_PASSWORD,
    portal_email: str = "",
) -> str:
    """The demo login as a block that stands out in a terminal: (email, role, teams) per user."""
    if users is None:
        users = [(email, str(role), ", ".join(teams)) for email, _f, _l, role, teams in DEMO_USERS]
    width = max(len(email) for email, *_ in users) + 2
    lines = [
        "",
        "=" * 66,
        "  Demo login",
        f"    email:     {users[0][0]}",
        f"    password:  {password}",
        "",
        "  Other demo users (same password):",
    ]
    lines += [f"    {email:<{width}} {role:<8} {teams}" for email, role, teams in users[1:]]
    if portal_email:
        lines += [
            "",
            "  Client portal (/portal/sign-in/, same password):",
            f"    {portal_email}",
        ]
    lines += ["=" * 66, ""]
    return "\n".join(lines)
