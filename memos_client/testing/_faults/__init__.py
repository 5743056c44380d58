"""Fault injection: what can go wrong (`_kinds`, one class per kind), where and how
often (`_rules`).
"""

from ._kinds import Fault, FaultKind
from ._rules import FaultPlan, FaultRule, plan_for

__all__ = ["Fault", "FaultKind", "FaultPlan", "FaultRule", "plan_for"]
