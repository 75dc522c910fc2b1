"""The ladder (LEADBOT_SLA): what leadbot does, and after how many working minutes, while nobody has contacted
a lead — nudge the owner, escalate to managers, reassign."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

StepKind = Literal["nudge", "escalate", "reassign"]
STEP_KINDS: tuple[StepKind, ...] = ("nudge", "escalate", "reassign")
DEFAULT_SLA = "5m nudge, 15m escalate, 30m reassign"
OFF_WORDS = ("off", "none")
MOST_MINUTES = 7 * 24 * 60  # a week of working minutes: beyond that a step is a typo, not a plan

STEP = re.compile(
    r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>m|min|mins|minutes?|h|hr|hrs|hours?)\s+(?P<kind>[a-z]+)"
)


@dataclass(frozen=True)
class LadderStep:
    """One rung: `kind` once `minutes` working minutes have passed without contact."""

    minutes: float
    kind: StepKind


@dataclass(frozen=True)
class Ladder:
    """The rungs in order of time; empty when the ladder is off."""

    steps: tuple[LadderStep, ...]

    @classmethod
    def parse(cls, spec: str) -> Ladder:
        """`5m nudge, 15m escalate, 30m reassign` (minutes or hours, any order, each kind once); `off`."""
        text = spec.strip().lower()
        if text in OFF_WORDS:
            return cls(())
        steps = [_step(part.strip(), spec) for part in text.split(",") if part.strip()]
        if not steps:
            raise ValueError(f'"{spec}" has no steps: write e.g. "{DEFAULT_SLA}", or "off"')
        kinds = [step.kind for step in steps]
        for kind in STEP_KINDS:
            if kinds.count(kind) > 1:
                raise ValueError(f'"{spec}" names {kind} twice: each step happens once')
        ordered = tuple(sorted(steps, key=lambda step: step.minutes))
        if len({step.minutes for step in ordered}) < len(ordered):
            raise ValueError(f'"{spec}" has two steps at the same time: give each its own')
        return cls(ordered)

    def next_step(self, done: int) -> LadderStep | None:
        """The rung after `done` steps, or None when the ladder is climbed."""
        return self.steps[done] if 0 <= done < len(self.steps) else None

    def words(self) -> str:
        """How the ladder reads in a message: "nudge at 5 min, escalate at 15 min, reassign at 30 min"."""
        return ", ".join(f"{step.kind} at {minutes_words(step.minutes)}" for step in self.steps) or "off"


def _step(part: str, spec: str) -> LadderStep:
    found = STEP.fullmatch(part)
    if found is None:
        raise ValueError(
            f'"{part}" in "{spec}" is not a step: write a time and what to do, e.g. "15m escalate"'
        )
    kind = found["kind"]
    if kind not in STEP_KINDS:
        raise ValueError(f'"{kind}" in "{spec}" is not a step: use nudge, escalate or reassign')
    minutes = float(found["amount"]) * (60 if found["unit"].startswith("h") else 1)
    if not 0 < minutes <= MOST_MINUTES:
        raise ValueError(f'"{part}" in "{spec}": a step comes after more than 0 minutes and within a week')
    return LadderStep(minutes, STEP_KINDS[STEP_KINDS.index(kind)])


def minutes_words(minutes: float) -> str:
    """5 → "5 min", 90 → "1 h 30 min", 120 → "2 h"; under a minute in seconds (0.5 → "30 s")."""
    if minutes < 1:
        return f"{round(minutes * 60)} s"
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")
