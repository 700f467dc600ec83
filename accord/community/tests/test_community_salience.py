"""The salience classes (Mitchell, Agle & Wood 1997), the grid quadrants, attitude scores and
engagement gaps: pure functions, tested without a database."""

from __future__ import annotations

import itertools

import pytest

from accord.intelligence.engine import salience as s


@pytest.mark.parametrize(
    ("power", "legitimacy", "urgency", "expected"),
    [
        (1, False, False, s.NON_STAKEHOLDER),
        (2, False, False, s.NON_STAKEHOLDER),
        (3, False, False, s.DORMANT),
        (5, False, False, s.DORMANT),
        (2, True, False, s.DISCRETIONARY),
        (1, False, True, s.DEMANDING),
        (3, True, False, s.DOMINANT),
        (4, False, True, s.DANGEROUS),
        (2, True, True, s.DEPENDENT),
        (3, True, True, s.DEFINITIVE),
        (5, True, True, s.DEFINITIVE),
    ],
)
def test_salience_class(power, legitimacy, urgency, expected):
    assert s.salience_class(power, legitimacy, urgency) == expected


def test_every_combination_gives_each_of_the_eight_classes_exactly_once():
    found = {
        s.salience_class(power, legitimacy, urgency)
        for power, legitimacy, urgency in itertools.product((2, 3), (False, True), (False, True))
    }
    assert found == set(s.SALIENCE_CLASSES)
    assert len(s.SALIENCE_CLASSES) == 8


def test_power_counts_from_three():
    assert [s.has_power(p) for p in (None, 1, 2, 3, 4, 5)] == [
        False,
        False,
        False,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("cls", "count", "group"),
    [
        (s.NON_STAKEHOLDER, 0, "none"),
        (s.DORMANT, 1, "latent"),
        (s.DISCRETIONARY, 1, "latent"),
        (s.DEMANDING, 1, "latent"),
        (s.DOMINANT, 2, "expectant"),
        (s.DANGEROUS, 2, "expectant"),
        (s.DEPENDENT, 2, "expectant"),
        (s.DEFINITIVE, 3, "definitive"),
    ],
)
def test_attribute_count_and_group(cls, count, group):
    assert s.attribute_count(cls) == count
    assert s.salience_group(cls) == group


def test_unknown_class_is_refused():
    with pytest.raises(ValueError):
        s.attribute_count("important")


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (5, 5, s.MANAGE_CLOSELY),
        (3, 3, s.MANAGE_CLOSELY),
        (3, 2, s.KEEP_SATISFIED),
        (5, 1, s.KEEP_SATISFIED),
        (2, 3, s.KEEP_INFORMED),
        (1, 5, s.KEEP_INFORMED),
        (2, 2, s.MONITOR),
        (1, 1, s.MONITOR),
    ],
)
def test_quadrant(power, interest, expected):
    assert s.quadrant(power, interest) == expected


def test_movement():
    assert s.movement(None, (3, 4)) is None
    move = s.movement((2, 5), (4, 3))
    assert (move.power, move.interest, move.moved) == (2, -2, True)
    assert s.movement((3, 3), (3, 3)).moved is False


def test_attitude_scores_and_engagement_gap():
    assert [s.attitude_score(a) for a in s.ATTITUDE_SCORES] == [2, 1, 0, -1, -2]
    with pytest.raises(ValueError):
        s.attitude_score("furious")
    assert s.engagement_gap("resistant", "supportive") == 2
    assert s.engagement_gap("leading", "neutral") == -2
    assert s.engagement_gap("neutral", "neutral") == 0
