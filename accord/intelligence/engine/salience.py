"""Stakeholder salience (Mitchell, Agle & Wood 1997) and the power–interest grid, as plain Python.

Salience is decided by three attributes: power, legitimacy and urgency. A stakeholder with none is
a non-stakeholder; with one attribute it is *latent* (dormant: power, discretionary: legitimacy,
demanding: urgency); with two it is *expectant* (dominant: power + legitimacy, dangerous: power +
urgency, dependent: legitimacy + urgency); with all three it is *definitive*.

Power and interest are rated 1–5; a rating of `HIGH` (3) or more counts as "has power" or
"high interest". The grid's quadrants (Mendelow): high power and high interest → manage closely,
high power and low interest → keep satisfied, low power and high interest → keep informed, low
power and low interest → monitor.
"""

from __future__ import annotations

from dataclasses import dataclass

HIGH = 3  # a rating of 3 to 5 counts as "high"
SCALE_MIN, SCALE_MAX = 1, 5

NON_STAKEHOLDER = "non_stakeholder"
DORMANT = "dormant"
DISCRETIONARY = "discretionary"
DEMANDING = "demanding"
DOMINANT = "dominant"
DANGEROUS = "dangerous"
DEPENDENT = "dependent"
DEFINITIVE = "definitive"

SALIENCE_CLASSES = (
    NON_STAKEHOLDER,
    DORMANT,
    DISCRETIONARY,
    DEMANDING,
    DOMINANT,
    DANGEROUS,
    DEPENDENT,
    DEFINITIVE,
)

LATENT, EXPECTANT, DEFINITIVE_GROUP, NONE_GROUP = "latent", "expectant", "definitive", "none"

# (power, legitimacy, urgency) → class
_CLASSES: dict[tuple[bool, bool, bool], str] = {
    (False, False, False): NON_STAKEHOLDER,
    (True, False, False): DORMANT,
    (False, True, False): DISCRETIONARY,
    (False, False, True): DEMANDING,
    (True, True, False): DOMINANT,
    (True, False, True): DANGEROUS,
    (False, True, True): DEPENDENT,
    (True, True, True): DEFINITIVE,
}

MANAGE_CLOSELY = "manage_closely"
KEEP_SATISFIED = "keep_satisfied"
KEEP_INFORMED = "keep_informed"
MONITOR = "monitor"
QUADRANTS = (MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR)


def has_power(power: int | None) -> bool:
    """A power rating of 3 or more counts as power."""
    return power is not None and power >= HIGH


def salience_class(power: int | None, legitimacy: bool, urgency: bool) -> str:
    """The salience class of a stakeholder with this power rating (1–5), legitimacy and urgency."""
    return _CLASSES[(has_power(power), bool(legitimacy), bool(urgency))]


def attribute_count(salience: str) -> int:
    """How many of the three attributes a class holds (0–3)."""
    for key, value in _CLASSES.items():
        if value == salience:
            return sum(key)
    raise ValueError(f"unknown salience class {salience!r}")


def salience_group(salience: str) -> str:
    """ "none", "latent" (one attribute), "expectant" (two) or "definitive" (three)."""
    return (NONE_GROUP, LATENT, EXPECTANT, DEFINITIVE_GROUP)[attribute_count(salience)]


def quadrant(power: int, interest: int) -> str:
    """The power–interest grid's quadrant of a stakeholder."""
    high_power, high_interest = power >= HIGH, interest >= HIGH
    if high_power and high_interest:
        return MANAGE_CLOSELY
    if high_power:
        return KEEP_SATISFIED
    if high_interest:
        return KEEP_INFORMED
    return MONITOR


@dataclass(frozen=True)
class Movement:
    """How a stakeholder moved on the grid between two assessments."""

    power: int  # change of power (current − earlier)
    interest: int

    @property
    def moved(self) -> bool:
        return bool(self.power or self.interest)


def movement(earlier: tuple[int, int] | None, current: tuple[int, int]) -> Movement | None:
    """The change from the earlier (power, interest) to the current one; None without an earlier."""
    if earlier is None:
        return None
    return Movement(power=current[0] - earlier[0], interest=current[1] - earlier[1])


# attitude scale, most supportive first; its score (+2 … −2) makes the sentiment trend
ATTITUDE_SCORES = {
    "strongly_supportive": 2,
    "supportive": 1,
    "neutral": 0,
    "sceptical": -1,
    "opposed": -2,
}


def attitude_score(attitude: str) -> int:
    """+2 (strongly supportive) … −2 (opposed)."""
    try:
        return ATTITUDE_SCORES[attitude]
    except KeyError:
        raise ValueError(f"unknown attitude {attitude!r}") from None


# engagement levels (Stakeholder Engagement Assessment Matrix), least engaged first
ENGAGEMENT_LEVELS = ("unaware", "resistant", "neutral", "supportive", "leading")


def engagement_gap(current: str, target: str) -> int:
    """Steps from the current engagement level to the target (positive: still to go up)."""
    return ENGAGEMENT_LEVELS.index(target) - ENGAGEMENT_LEVELS.index(current)
