"""Assistants (SLPAs, COTAs): the supervision they need from licensed therapists.

An assistant is scheduled like a therapist of their discipline, but every state caps how many
assistants one licensed therapist may supervise, and supervision takes the licensed therapist's
time. `with_supervision` applies both to a school before its week is scheduled: a school with
more assistants than its licensed therapists may supervise is refused with a clear message, and
each licensed therapist's contracted session minutes lose their share of the supervision time.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

from inclusion_sim.base.errors import InputError, Problem
from inclusion_sim.base.params import Params
from inclusion_sim.school.world import School


def with_supervision(school: School, params: Params, source: str = "school") -> School:
    """The school with supervision time taken from its licensed therapists.

    Args:
        school: The school as generated or loaded.
        params: Parameters (``assistant_supervision_cap``, ``assistant_supervision_share``).
        source: What the school came from, for the error message.

    Raises:
        InputError: A discipline has more assistants than its licensed therapists may
            supervise.
    """
    assistants = [t for t in school.therapists if t.role == "assistant"]
    if not assistants:
        return school
    licensed = Counter(t.discipline for t in school.therapists if t.role != "assistant")
    count = Counter(t.discipline for t in assistants)
    cap = params.assistant_supervision_cap
    problems = [Problem(source, f"[[staff]] assistants of {discipline}",
                        f"at most {math.floor(cap * licensed[discipline])} "
                        f"({cap:g} per licensed {discipline} therapist, "
                        "parameter assistant_supervision_cap)",
                        f"{n} assistant(s) and {licensed[discipline]} licensed therapist(s)")
                for discipline, n in sorted(count.items()) if n > cap * licensed[discipline]]
    if problems:
        raise InputError(problems)
    supervision = Counter()
    for t in assistants:
        supervision[t.discipline] += params.assistant_supervision_share * t.minutes_per_week
    therapists = [
        replace(t, minutes_per_week=max(0, round(
            t.minutes_per_week - supervision[t.discipline] / licensed[t.discipline])))
        if t.role != "assistant" and supervision[t.discipline] else t
        for t in school.therapists]
    return replace(school, therapists=therapists)
