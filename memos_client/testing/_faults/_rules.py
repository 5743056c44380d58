"""Fault rules: where a fault applies and how often, and the plan they make for a request.

A `Fault` says what goes wrong; `FakeMemOS.inject(fault, endpoint=, times=,
probability=)` adds a `FaultRule` that says where and how often. For each
request the rules are consulted in the order they were added, and each one that
fires adds its fault to the request's `FaultPlan` (`Fault.plan`, see `_kinds`):
latency adds up, task kinds mark what the request creates, and the first
*outcome* decides the response; later outcome rules are not consulted (so they
are not used up).

A rule fires when its endpoint matches, it has occurrences left (`times`), and
its `probability` (if any) wins a draw from the fake's seeded generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .._tasks._records import TaskFate
from ._kinds import Fault

__all__ = ["FaultPlan", "FaultRule", "plan_for"]


class FaultRule:
    """An injected fault with its scope; returned by `FakeMemOS.inject`.

    Attributes:
        fault: what goes wrong.
        endpoint: where (`None` = every endpoint the fault applies to).
        probability: chance per matching request (`None` = always).
        hits: how many times it has fired.
        remaining: occurrences left (`None` = unlimited).
    """

    def __init__(
        self, fault: Fault, endpoint: str | None, times: int | None, probability: float | None
    ) -> None:
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for unlimited)")
        if probability is not None and not 0 <= probability <= 1:
            raise ValueError("probability must be between 0 and 1")
        allowed = fault.only_on
        if endpoint is not None and allowed is not None and endpoint not in allowed:
            raise ValueError(f"{fault.kind} applies only to {', '.join(allowed)}, not {endpoint}")
        self.fault = fault
        self.endpoint = endpoint
        self.probability = probability
        self.remaining = times
        self.hits = 0

    @property
    def active(self) -> bool:
        """Whether the rule can still fire."""
        return self.remaining is None or self.remaining > 0

    def applies_to(self, endpoint: str) -> bool:
        """Whether the rule's scope covers `endpoint`."""
        allowed = self.fault.only_on
        if allowed is not None and endpoint not in allowed:
            return False
        return self.endpoint is None or self.endpoint == endpoint

    def fire(self, endpoint: str, rng: random.Random) -> bool:
        """Decide whether the rule fires for this request, and count it if so."""
        if not self.active or not self.applies_to(endpoint):
            return False
        if self.probability is not None and rng.random() >= self.probability:
            return False
        self.hits += 1
        if self.remaining is not None:
            self.remaining -= 1
        return True

    def __repr__(self) -> str:
        scope = self.endpoint or "*"
        left = "unlimited" if self.remaining is None else self.remaining
        return (
            f"FaultRule({self.fault.kind}, endpoint={scope!r}, remaining={left}, hits={self.hits})"
        )


@dataclass
class FaultPlan:
    """What the rules decided for one request."""

    delay: float = 0.0
    outcome: Fault | None = None
    fate: TaskFate = "normal"
    fail_reason: str | None = None
    legacy_status: bool = False
    applied: list[str] = field(default_factory=list)


def plan_for(rules: list[FaultRule], endpoint: str, rng: random.Random) -> FaultPlan:
    """Consult the rules, in order, for one request to `endpoint`."""
    plan = FaultPlan()
    for rule in rules:
        fault = rule.fault
        if fault.is_outcome and plan.outcome is not None:
            continue
        if not rule.fire(endpoint, rng):
            continue
        plan.applied.append(fault.kind)
        fault.plan(plan)
    return plan
