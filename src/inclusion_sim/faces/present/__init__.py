"""The presentation layer: every number and name a person reads, said the same way everywhere.

Labels (policies, services, grades, parameters, outcomes, sources), units, rounding to
meaningful precision, signs and wording of differences, the changed-from-defaults summary,
export data dictionaries, terminal layout and figure helpers. The command line, the figures, the sweep report,
the dashboard and the notebooks all take their words and numbers from here, so a principal
reads "Push-in (co-taught)" and "$180,000" on every page, never ``push_in_collaborative`` or
``1.803e+05``.

Words, numbers, exports and terminal layout live in `inclusion_sim.present` (so the library's
own text can use them too) and are re-exported here with the cards and figure helpers. The
names below are the stable interface; the submodules are an implementation detail.
"""

from __future__ import annotations

from inclusion_sim import present as _core
from inclusion_sim.faces.present.cards import (
    CARD_METRICS,
    OutcomeCard,
    means_table,
    outcome_card,
    outcome_cards,
    run_label,
)
from inclusion_sim.faces.present.figures import (
    caption,
    caption_text,
    scale_axis,
    text_problems,
)
from inclusion_sim.present import *  # noqa: F403 (the core's names, listed in its __all__)

__all__ = [
    *_core.__all__,
    "caption", "caption_text", "CARD_METRICS", "means_table", "outcome_card", "outcome_cards",
    "OutcomeCard", "run_label", "scale_axis", "text_problems",
]
