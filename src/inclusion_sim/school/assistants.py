"""Assistants (SLPAs, COTAs): how many one licensed therapist may supervise.

An assistant is scheduled like a therapist of their discipline, but every state caps how many
assistants one licensed therapist may supervise. `check_supervision_cap` refuses a school with
more assistants than its licensed therapists may supervise, with a clear message, before its
week is scheduled. The supervision itself takes the licensed therapists' time: the schedulers
keep it out of their contracted minutes (`inclusion_sim.delivery.indirect`), and the cost pays
for it.
"""

from __future__ import annotations

import math
from collections import Counter

from inclusion_sim.base.errors import InputError, Problem
from inclusion_sim.base.params import Params
from inclusion_sim.school.world import School


def check_supervision_cap(school: School, params: Params, source: str = "school") -> School:
    """The school unchanged, once its assistants are within the supervision cap.

    Args:
        school: The school as generated or loaded.
        params: Parameters (``assistant_supervision_cap``).
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
    return school
