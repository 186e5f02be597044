"""Differences in standard deviations, read as weeks of a typical student's learning.

"0.07 standard deviations" means nothing to most principals. A week of learning does: the
model's own growth benchmarks give a typical student's growth in one school week for each
grade, so a difference in SD divided by that week's growth is a number of weeks. The
presentation layer's cards give a general reading of the size ("a small difference"); the
dashboard knows the school and the parameters of the run, so it can say the weeks.

How a week is computed (said on the page, `NOTE`): for each student concerned, the published
annual growth for their grade (Hill, Bloom, Black & Lipsey 2008; the model's
``GROWTH_BY_GRADE``) times ``annual_growth_scale``, divided by the 36 weeks of a school year;
then the mean over those students.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from inclusion_sim.analysis.compare import Comparison
from inclusion_sim.faces.present import OutcomeCard, sd_reading
from inclusion_sim.model.mechanisms.instruction import YEAR_WEEKS, annual_growth

#: Outcomes in standard deviations, and whose weeks of learning measure them.
SD_GROUPS: dict[str, str] = {"iep_academic_growth_sd": "iep", "peer_academic_growth_sd": "peer"}

NOTE = ("A week of typical learning is a typical student's academic growth in one school week "
        "in the same grades: the published growth of a school year for each grade (Hill, Bloom, "
        "Black & Lipsey 2008; mean of reading and mathematics), times the model's setting for a "
        f"typical year's growth, over a {YEAR_WEEKS}-week year, averaged over the students.")


def week_growth(comparison: Comparison, group: str = "iep") -> float:
    """A typical student's growth (SD) in one school week, averaged over a group's grades.

    Args:
        comparison: A comparison whose first model was kept (``keep_models``): it gives the
            school and the parameters the runs used.
        group: ``"iep"`` (students with IEPs) or ``"peer"`` (classmates without).

    Returns:
        SD per week; NaN when no model was kept or the group is empty.
    """
    model = next((pr.model for pr in comparison.runs.values() if pr.model is not None), None)
    if model is None:
        return math.nan
    grades = np.array([s.grade for s in model.school.students if s.has_iep == (group == "iep")])
    if grades.size == 0:
        return math.nan
    return float(np.mean(annual_growth(grades, model.params)) / YEAR_WEEKS)


def weeks_text(mean: float, low: float, high: float, per_week: float) -> str:
    """A difference in SD as weeks of typical learning: "about 3 more weeks of ... (2 to 4 ...)".

    Whole weeks only: a simulation's academic outcome is not precise to the day. The interval
    in weeks is added when it lies on one side of zero and its ends differ in whole weeks.
    """
    if not (math.isfinite(mean) and math.isfinite(per_week) and per_week > 0):
        return ""
    weeks = mean / per_week
    if round(abs(weeks)) < 1:
        return "less than one week of a typical student's learning"
    n = round(abs(weeks))
    said = (f"about {n} {'more' if weeks > 0 else 'fewer'} week{'s' if n != 1 else ''} of a "
            "typical student's learning")
    if math.isfinite(low) and math.isfinite(high) and low * high > 0:
        near, far = sorted((round(abs(low / per_week)), round(abs(high / per_week))))
        if near != far:
            said += f" ({near} to {far} in the 95% interval)"
    return said


def with_weeks(card: OutcomeCard, per_week: float) -> OutcomeCard:
    """The card with its general size reading replaced by weeks of typical learning.

    Cards of other outcomes, cards that say "about the same", and cards without a week's
    growth are returned unchanged.
    """
    if card.metric not in SD_GROUPS or not (math.isfinite(per_week) and per_week > 0):
        return card
    reading = weeks_text(card.mean, card.low, card.high, per_week)
    general = f": {sd_reading(card.mean)}."
    if reading and card.sentence.endswith(general):
        return replace(card, sentence=card.sentence.removesuffix(general) + f": {reading}.")
    ends = [abs(v) / per_week for v in (card.low, card.high) if math.isfinite(v)]
    if ends and max(ends) < 0.5:
        # "0.00 standard deviations" says little: say how small in weeks
        return replace(card, ci_text=card.ci_text + " (under half a week of a typical "
                       "student's learning)")
    return card


def agreeing_verdict(card: OutcomeCard) -> OutcomeCard:
    """A card whose colour agrees with its sentence.

    A difference that rounds to nothing at the precision shown is said "about the same"; its
    card must then not be coloured better or worse because the unrounded interval happens to
    exclude zero.
    """
    if " about the same as with " in card.sentence and card.verdict in ("better", "worse"):
        return replace(card, verdict="unclear")
    return card


def cards_with_weeks(comparison: Comparison, cards: dict[str, list[OutcomeCard]]
                     ) -> dict[str, list[OutcomeCard]]:
    """Every card of a comparison, the academic ones read in weeks of typical learning."""
    per_week = {metric: week_growth(comparison, group) for metric, group in SD_GROUPS.items()}
    return {key: [agreeing_verdict(with_weeks(c, per_week.get(c.metric, math.nan)))
                  for c in policy_cards]
            for key, policy_cards in cards.items()}
