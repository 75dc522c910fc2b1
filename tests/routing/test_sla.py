"""LEADBOT_SLA: the ladder's rungs, read from people's words, in time order, each once."""

from __future__ import annotations

import pytest

from leadbot.routing.sla import DEFAULT_SLA, Ladder, LadderStep, minutes_words


def test_the_default_ladder() -> None:
    ladder = Ladder.parse(DEFAULT_SLA)
    assert ladder.steps == (LadderStep(5, "nudge"), LadderStep(15, "escalate"), LadderStep(30, "reassign"))
    assert ladder.next_step(0) == LadderStep(5, "nudge")
    assert ladder.next_step(3) is None
    assert ladder.words() == "nudge at 5 min, escalate at 15 min, reassign at 30 min"


@pytest.mark.parametrize(
    ("spec", "steps"),
    [
        ("1h reassign, 10 min nudge", (LadderStep(10, "nudge"), LadderStep(60, "reassign"))),
        (" 2 hours escalate ", (LadderStep(120, "escalate"),)),
        ("0.5h NUDGE", (LadderStep(30, "nudge"),)),
        ("off", ()),
        ("None", ()),
    ],
)
def test_steps_in_any_order_and_units(spec: str, steps: tuple[LadderStep, ...]) -> None:
    assert Ladder.parse(spec).steps == steps


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("", "has no steps"),
        ("5m nudge, 10m nudge", "names nudge twice"),
        ("5m nudge, 5m escalate", "two steps at the same time"),
        ("5m shout", '"shout"'),
        ("nudge", "is not a step: write a time"),
        ("0m nudge", "more than 0 minutes"),
        ("200h nudge", "within a week"),
    ],
)
def test_a_ladder_that_cannot_be_is_refused_in_words(spec: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Ladder.parse(spec)


def test_minutes_in_words() -> None:
    assert [minutes_words(m) for m in (5, 60, 90, 125)] == ["5 min", "1 h", "1 h 30 min", "2 h 5 min"]
    assert minutes_words(0.04) == "2 s"  # ladders that short are for tests
