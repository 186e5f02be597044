"""Run policies side by side for the Compare page and put the differences into plain words.

The runs themselves are the library's comparison engine (`inclusion_sim.analysis.compare`),
the same one the command line and the notebooks use; this module only supplies the school the
user chose, a fixed seed sequence, progress and cancellation, and the wording.
"""

from __future__ import annotations

from collections.abc import Callable

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
