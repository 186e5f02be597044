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
#: How the weeks of a service repeat: every week alike, or ASHA's 3:1 model (three weeks of
#: direct service, then a week of indirect work: consultation with teachers and make-ups).
CYCLES: tuple[str, ...] = ("weekly", "three_one")
#: What happens to a session a disruption cancelled (refusals are not made up).
MAKEUPS: tuple[str, ...] = ("none", "same_week", "makeup_week")


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
        cycle: ``weekly`` (every week the same) or ``three_one`` (ASHA's 3:1 model: the IEP's
            weekly minutes in three weeks of four; in the fourth the therapist consults the
            teachers and makes up missed sessions).
        makeup: What happens to a session cancelled by a disruption: ``none``; ``same_week``
            (a make-up session later in the week, in a slot where therapist and student are
            both free, found with the scheduler's rules for pull-out sessions); or
            ``makeup_week`` (made up in the indirect week of the 3:1 cycle, in the slot the
            session had; needs ``cycle = "three_one"``). Refused sessions are not made up.
            Federal guidance asks schools to decide make-ups case by case, so this is a
            school's practice, not a rule.
        consultation_minutes: Consultation with the teacher as a service in its own right:
            weekly minutes per class with a student on the service's caseload, on top of the
            routine consultation every therapist does. It raises the teacher's knowledge, and
            its minutes are kept out of the therapists' time for sessions
            (`inclusion_sim.delivery.indirect`).
        consultation_feedback: The consultation includes watching the teacher use the strategy
            and giving feedback (Joyce & Showers: discussion gives knowledge, not use; feedback
            on practice gives use), so strategies enter use at ``adoption_consultation_feedback``.
    """

    model: str = "pull_out"
    collaboration: str = "parallel"
    avoid_core: bool = False
    relevant_only: bool = True
    cycle: str = "weekly"
    makeup: str = "none"
    consultation_minutes: float = 0.0
    consultation_feedback: bool = False

    def __post_init__(self) -> None:
        problems = [Problem("Python call", f"ServicePolicy {key}", f"one of {', '.join(choices)}",
                            repr(value), nearest(str(value), choices))
                    for key, value, choices in (("cycle", self.cycle, CYCLES),
                                                ("makeup", self.makeup, MAKEUPS))
                    if value not in choices]
        if self.makeup == "makeup_week" and self.cycle != "three_one":
            problems.append(Problem("Python call", "ServicePolicy makeup",
                                    "cycle='three_one' with makeup='makeup_week' (the make-up "
                                    "week is the 3:1 model's indirect week)",
                                    f"cycle={self.cycle!r}"))
        if not 0 <= self.consultation_minutes <= 240:
            problems.append(Problem("Python call", "ServicePolicy consultation_minutes",
                                    "minutes a week per class in [0, 240]",
                                    repr(self.consultation_minutes)))
        if problems:
            raise InputError(problems)

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
            if sp.cycle == "three_one":
                label += ", 3:1"
            if sp.makeup != "none":
                label += f", make-ups {sp.makeup.replace('_', ' ')}"
            if sp.consultation_minutes:
                label += (f", consultation {sp.consultation_minutes:g} min/class"
                          + (" with feedback" if sp.consultation_feedback else ""))
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
