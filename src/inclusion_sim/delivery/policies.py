"""Delivery policies: where each mandated session of each service happens.

A `Policy` gives every service a `ServicePolicy`, so an administrator can push in speech and
pull out PT. Five presets apply one delivery model to every service.

The hybrid rule, written down once: a student with *k* weekly sessions of a service gets
``ceil(k / 2)`` of them pulled out (focused drill) and the rest pushed in (practice in the real
task, with the policy's collaboration level). A student with a single weekly session has it
pushed in, because one session a week is mostly about carry-over to the classroom.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.school.world import SERVICES

MODELS: tuple[str, ...] = ("pull_out", "push_in", "hybrid", "after_school")
COLLABORATION: tuple[str, ...] = ("parallel", "collaborative")
SETTINGS: tuple[str, ...] = ("pull_out", "push_in", "after_school")


@dataclass(frozen=True)
class ServicePolicy:
    """How one service is delivered.

    Attributes:
        model: ``pull_out``, ``push_in``, ``hybrid`` or ``after_school``.
        collaboration: For pushed-in sessions, ``parallel`` (the therapist works alongside,
            no co-planning) or ``collaborative`` (co-planned and co-taught; costs co-planning
            minutes for therapist and teacher).
        avoid_core: Pull-out sessions only outside core subjects (ELA, writing, math, science,
            social studies). Fewer slots qualify, so more minutes may go unmet.
        relevant_only: Pushed-in sessions only during lessons relevant to the service (OT in
            writing, speech in ELA, ...). When false, other lessons are used as a fallback.
    """

    model: str = "pull_out"
    collaboration: str = "parallel"
    avoid_core: bool = False
    relevant_only: bool = True

    def settings_for(self, sessions_per_week: int) -> list[str]:
        """The setting of each of a student's weekly sessions under this policy."""
        if self.model == "hybrid":
            if sessions_per_week == 1:
                return ["push_in"]
            pulled = math.ceil(sessions_per_week / 2)
            return ["pull_out"] * pulled + ["push_in"] * (sessions_per_week - pulled)
        return [self.model] * sessions_per_week


@dataclass(frozen=True)
class Policy:
    """A delivery model per service, with a name for tables and plots."""

    name: str
    services: Mapping[str, ServicePolicy] = field(default_factory=dict)

    def for_service(self, service: str) -> ServicePolicy:
        """The policy of one service (pull-out when the policy does not name it)."""
        return self.services.get(service, ServicePolicy())

    def describe(self) -> str:
        """A one-line description, e.g. for a figure caption."""
        parts = []
        for service in SERVICES:
            sp = self.for_service(service)
            label = sp.model
            if sp.model in ("push_in", "hybrid"):
                label += f" ({sp.collaboration})"
            parts.append(f"{service}: {label}")
        return "; ".join(parts)


def uniform(name: str, model: str, collaboration: str = "parallel", **options: Any) -> Policy:
    """A policy that delivers every service the same way."""
    sp = ServicePolicy(model=model, collaboration=collaboration, **options)
    return Policy(name=name, services=dict.fromkeys(SERVICES, sp))


#: Ready policies, one delivery model for all services. ``hybrid`` co-teaches its pushed-in
#: sessions, so compare it with ``push_in_collaborative`` to see what the mix itself does, and
#: ``hybrid_parallel`` with ``push_in``.
POLICY_PRESETS: dict[str, Policy] = {
    "pull_out": uniform("pull_out", "pull_out"),
    "push_in": uniform("push_in", "push_in", "parallel"),
    "push_in_collaborative": uniform("push_in_collaborative", "push_in", "collaborative"),
    "hybrid": uniform("hybrid", "hybrid", "collaborative"),
    "hybrid_parallel": uniform("hybrid_parallel", "hybrid", "parallel"),
    "after_school": uniform("after_school", "after_school"),
}


def preset(name: str, source: str = "Python call", where: str = "argument 'policy'") -> Policy:
    """Look up a preset by name, with a located error and a suggestion for typos.

    Args:
        name: The preset's name.
        source: What the name came from, for the message: ``"Python call"`` (the default, for
            the library's functions), ``"command line"``, or a file.
        where: The argument, option or key that held the name, so the message points at the
            caller's own words (``argument 'policies'``, ``--policy``).
    """
    try:
        return POLICY_PRESETS[name]
    except KeyError:
        raise InputError(Problem(source, where, f"one of {', '.join(POLICY_PRESETS)}",
                                 f"'{name}'", nearest(name, POLICY_PRESETS))) from None
