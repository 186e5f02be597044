"""Run policies side by side for the Compare page and put the differences into plain words.

The runs themselves are the library's comparison engine (`inclusion_sim.analysis.compare`),
the same one the command line and the notebooks use; this module only supplies the school the
user chose, a fixed seed sequence, progress and cancellation, and the wording.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from inclusion_sim.analysis.compare import Comparison, compare_policies
from inclusion_sim.delivery.policies import Policy
from inclusion_sim.faces.dashboard.schools import SchoolChoice
from inclusion_sim.faces.present import (  # noqa: F401  (re-exported for the pages)
    CARD_METRICS,
    OutcomeCard,
    means_table,
    outcome_card,
    outcome_cards,
)
from inclusion_sim.school.world import SERVICE_LABELS

#: Seeds used when the user does not choose: the same for every comparison, so a principal
#: who runs the comparison twice sees the same numbers.
BASE_SEED = 20250901


def run_comparison(
    choice: SchoolChoice,
    policies: list[tuple[str, str, Policy]],
    *,
    overrides: dict[str, float] | None = None,
    replicates: int = 5,
    weeks: int | None = None,
    base_seed: int = BASE_SEED,
    on_progress: Callable[[int, int, str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Comparison | None:
    """Run every policy on the same seeds, on the school shown on the School page.

    Args:
        choice: The school. Every replicate runs the same students (replicates differ in their
            random draws, not in who attends), so the Classroom and Student pages show the same
            roster as the results; a scenario still supplies its parameters, mechanisms and year.
        policies: ``(key, label, policy)`` for each policy, the baseline first.
        overrides: Parameter values that differ from the scenario's.
        replicates: Seeds per policy.
        weeks: School weeks per run (default: the scenario's year, or 36).
        base_seed: First seed of the sequence.
        on_progress: Called with (runs done, runs planned, what is running).
        should_stop: Polled between runs; True abandons the comparison (None is returned).
    """
    comparison = compare_policies(choice.scenario, policies, replicates, base_seed, weeks,
                                  overrides, school=choice.school, keep_models=True,
                                  progress=on_progress, should_stop=should_stop)
    if comparison is not None:
        comparison.school_label = choice.label
    return comparison


# --------------------------------------------------------------------------- plain words
# The cards, their sentences and the table of means are the presentation layer's
# (`inclusion_sim.faces.present`), shared with the command line and the reports; the names
# stay importable from here for the pages.


def student_year(comparison: Comparison, student_id: str) -> pd.DataFrame:
    """One student's year under each policy: minutes per service and sessions lost, and why.

    Read from the first run of each policy (the run the Student page's chart follows). Empty for
    a student without an IEP.
    """
    rows = []
    for pr in comparison.runs.values():
        if not pr.results:
            continue
        year = pr.results[0].year
        for r in year[year["student_id"] == student_id].itertuples():
            lost = {cause: int(getattr(r, f"sessions_lost_{cause}")) for cause in (
                "student_absent", "therapist_absent", "school_event", "therapist_duties",
                "refusal")}
            rows.append({
                "Policy": pr.label, "Service": SERVICE_LABELS.get(r.service, r.service),
                "Mandated (h)": f"{r.mandated_minutes / 60:.1f}",
                "Scheduled (h)": f"{r.scheduled_minutes / 60:.1f}",
                "Delivered (h)": f"{r.delivered_minutes / 60:.1f}",
                "Of which made up (h)": f"{r.made_up_minutes / 60:.1f}",
                "Sessions lost": ", ".join(f"{n} {_LOST_WORDS[c]}" for c, n in lost.items()
                                           if n) or "none",
            })
    return pd.DataFrame(rows)


#: Plain words for the causes of lost sessions.
_LOST_WORDS = {"student_absent": "absent", "therapist_absent": "therapist out",
               "school_event": "school event", "therapist_duties": "therapist's paperwork",
               "refusal": "refused"}
