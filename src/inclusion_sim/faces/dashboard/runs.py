"""Run policies side by side for the Compare page and put the differences into plain words.

The runs themselves are the library's comparison engine (`inclusion_sim.analysis.compare`),
the same one the command line and the notebooks use; this module only supplies the school the
user chose, a fixed seed sequence, progress and cancellation, and the wording.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inclusion_sim.analysis.compare import Comparison, compare_policies, mean_ci
from inclusion_sim.delivery.policies import Policy
from inclusion_sim.faces.dashboard.schools import SchoolChoice
from inclusion_sim.model.outcomes import METRICS

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


@dataclass(frozen=True)
class Phrase:
    """How one outcome's difference is said.

    Attributes:
        template: The sentence, with ``{amount}`` (a number with its unit, e.g. "3 hours",
            "$150,000", with the word up or down: "50 fewer hours").
        up: The word when the policy's value is higher ("more").
        down: The word when it is lower ("fewer", "less").
        unit: The unit's noun, singular and plural ("" for money, written as $).
        scale: Converts the model's unit to the one people read (0-1 scale to points out of
            100, a share to percentage points).
        before: Put the word before the unit ("50 fewer hours") rather than after it
            ("3 points less").
    """

    template: str
    up: str
    down: str
    unit: tuple[str, str] = ("", "")
    scale: float = 1.0
    before: bool = False

    @property
    def money(self) -> bool:
        """Whether the amount is dollars (no unit noun; written with $)."""
        return self.unit == ("", "")


_HOURS, _POINTS, _PP = ("hour", "hours"), ("point", "points"), ("percentage point",
                                                                 "percentage points")
_PHRASES: dict[str, Phrase] = {
    "iep_core_hours_missed": Phrase("Students with IEPs miss {amount} of core instruction "
                                    "a year each", "more", "fewer", _HOURS, before=True),
    "iep_other_hours_missed": Phrase("Students with IEPs miss {amount} of specials, lunch "
                                     "and recess a year each", "more", "fewer", _HOURS, before=True),
    "cost_usd": Phrase("Related services and co-planning cost {amount} a year", "more",
                       "less"),
    "cost_per_delivered_hour": Phrase("Each student-hour of service delivered costs {amount}",
                                      "more", "less"),
    "mandate_compliance": Phrase("{amount} of the mandated minutes are delivered", "more",
                                 "fewer", _PP, 100.0),
    "unmet_minutes_per_week": Phrase("{amount} of mandated time a week cannot be "
                                     "scheduled", "more", "fewer", _HOURS, 1 / 60, before=True),
    "iep_mastery": Phrase("Students with IEPs master their IEP goals {amount} (0-100 "
                          "scale)", "more", "less", _POINTS, 100.0),
    "iep_generalization": Phrase("Students with IEPs use {amount} of what they have "
                                 "mastered in class", "more", "less", _PP, 100.0),
    "iep_carryover": Phrase("Students with IEPs use their IEP skills in class {amount} "
                            "(0-100 scale)", "more", "less", _POINTS, 100.0),
    "iep_stigma": Phrase("Students with IEPs feel {amount} stigma (0-100 scale)", "more",
                         "less", _POINTS, 100.0),
    "iep_belonging": Phrase("Students with IEPs feel {amount} belonging (0-100 scale)",
                            "more", "less", _POINTS, 100.0),
    "iep_academic_growth_sd": Phrase("Students with IEPs grow {amount} academically",
                                     "more", "less", ("standard deviation",
                                                      "standard deviations")),
    "peer_academic_growth_sd": Phrase("Classmates without IEPs grow {amount} "
                                      "academically", "more", "less", ("standard deviation",
                                                                       "standard deviations")),
    "teacher_strategy_use": Phrase("Teachers use therapy strategies {amount} where they "
                                   "apply (0-100 scale)", "more", "less", _POINTS, 100.0),
    "coordination_hours": Phrase("Co-planning takes {amount} of staff time a year",
                                 "more", "fewer", _HOURS, before=True),
    "wasted_minutes_per_iep_student": Phrase("{amount} of session time per student are "
                                             "lost to refusals and absences", "more", "fewer",
                                             ("minute", "minutes"), before=True),
}

#: The outcomes shown as cards, in order; the rest are in the table and the export. Core and
#: non-core lessons missed go together, as do mastery, generalization and carry-over (carry-over
#: alone would mix a smaller dose with better transfer) and the total cost with its cost per
#: delivered student-hour.
CARD_METRICS: tuple[str, ...] = (
    "iep_core_hours_missed", "iep_other_hours_missed", "iep_mastery", "iep_generalization",
    "iep_carryover", "iep_academic_growth_sd", "iep_belonging", "iep_stigma",
    "mandate_compliance", "cost_usd", "cost_per_delivered_hour", "coordination_hours",
)  # fmt: skip

#: Outcomes in standard deviations, and whose growth a week of typical learning is measured on.
SD_METRICS: dict[str, str] = {"iep_academic_growth_sd": "iep", "peer_academic_growth_sd": "peer"}

#: How a week of typical learning is computed, said once on the page and in the report.
WEEKS_OF_LEARNING_NOTE = (
    "A week of typical learning is a typical student's academic growth in a school week for the "
    "same grades: the published growth of a school year for each grade (Hill, Bloom, Black & "
    "Lipsey 2008, the mean of reading and mathematics), times the model's setting for a typical "
    "year's growth, divided by the 36 weeks of a school year, averaged over the students "
    "concerned.")


@dataclass
class OutcomeCard:
    """One outcome of one policy against the baseline, said in a sentence."""

    metric: str
    policy: str
    title: str
    sentence: str
    ci_text: str
    verdict: str  # "better", "worse", "unclear" or "neither"
    mean: float
    low: float
    high: float
    note: str = ""  # how an everyday reading in the sentence was computed


def _exponent(x: float) -> int:
    return math.floor(math.log10(abs(x)))


def rounding_step(mean: float, low: float = math.nan, high: float = math.nan,
                  money: bool = False) -> int:
    """The power of ten a difference and its interval are rounded to.

    Fine enough that the two ends of the interval differ (the step is below the interval's
    half-width), coarse enough that no number shows more than three significant figures (two
    for money: "$150,000", not "$150,030"), and never so coarse that the difference itself
    rounds to zero.

    Returns:
        The exponent e: values are rounded to multiples of 10**e (e = -2: two decimals).
    """
    values = [abs(v) for v in (mean, low, high) if math.isfinite(v) and v != 0]
    if not values:
        return 0
    top = _exponent(max(values))
    half = (high - low) / 2 if math.isfinite(low) and math.isfinite(high) else math.nan
    # (a hair above the half-width, so 0.1 computed as 0.09999... still gives one decimal)
    e = _exponent(half * (1 + 1e-9)) if math.isfinite(half) and half > 0 else top - 1
    e = max(e, top - (1 if money else 2))
    if math.isfinite(mean) and mean != 0:
        e = min(e, _exponent(mean))
    return max(e, -3)


def rounded(value: float, e: int, money: bool = False) -> str:
    """``|value|`` rounded to 10**e, with thousands separated ("$" for money)."""
    if not math.isfinite(value):
        return "n/a"
    text = f"{round(abs(value), -e):,.{max(0, -e)}f}"
    return f"${text}" if money else text


def _amount(phrase: Phrase, value: float, e: int, word: str = "") -> str:
    """A difference as said in a sentence: "1 fewer hour", "3 points less", "$150,000 more"."""
    number = rounded(value, e, phrase.money)
    singular, plural = phrase.unit
    unit = singular if number == "1" else plural
    parts = [number, word, unit] if phrase.before else [number, unit, word]
    return " ".join(part for part in parts if part)


def _ci_words(phrase: Phrase, low: float, high: float, e: int, mean: float) -> str:
    """The 95% interval in the sentence's own words and precision."""
    lo_text, hi_text = rounded(low, e, phrase.money), rounded(high, e, phrase.money)
    if low < 0 < high:
        return (f"95% interval: from {_amount(phrase, low, e, phrase.down)} to "
                f"{_amount(phrase, high, e, phrase.up)}")
    word = phrase.up if mean > 0 else phrase.down
    near, far = sorted((abs(low), abs(high)))
    near_text, far_text = rounded(near, e, phrase.money), rounded(far, e, phrase.money)
    if lo_text == hi_text or near_text == far_text:
        half = (high - low) / 2
        he = _exponent(half) if half > 0 else e
        return (f"95% interval: {_amount(phrase, mean, e, word)}, give or take "
                f"{rounded(half, he, phrase.money)}")
    return f"95% interval: {near_text} to {_amount(phrase, far, e, word)}"


def _in_weeks(m: float, lo: float, hi: float, week_growth: float, has_ci: bool) -> str:
    """A difference in SD said as weeks of a typical student's learning, in whole weeks."""
    w, wlo, whi = m / week_growth, lo / week_growth, hi / week_growth
    if round(abs(w)) < 1:
        return "less than one week of a typical student's learning"
    weeks = Phrase("", "more", "fewer", ("week", "weeks"), before=True)
    said = f"about {_amount(weeks, w, 0, 'more' if w > 0 else 'fewer')} of a typical student's learning"
    if has_ci and lo * hi > 0 and round(abs(wlo)) != round(abs(whi)):
        near, far = sorted((abs(wlo), abs(whi)))
        said += f" ({near:.0f} to {far:.0f} in the 95% interval)"
    return said


def weeks_of_learning(comparison: Comparison, group: str = "iep") -> float:
    """A typical student's growth (SD) in one school week, for a group's grades.

    Args:
        comparison: A comparison run with ``keep_models`` (its first model gives the school and
            the parameters).
        group: ``"iep"`` for students with IEPs, ``"peer"`` for their classmates without.

    Returns:
        The mean over the group's students of the published annual growth for their grade,
        times ``annual_growth_scale``, over a 36-week year; NaN without a kept model.
    """
    from inclusion_sim.model.mechanisms.instruction import YEAR_WEEKS, annual_growth

    model = next((pr.model for pr in comparison.runs.values() if pr.model is not None), None)
    if model is None:
        return math.nan
    students = [s for s in model.school.students if s.has_iep == (group == "iep")]
    if not students:
        return math.nan
    grades = np.array([s.grade for s in students])
    return float(np.mean(annual_growth(grades, model.params)) / YEAR_WEEKS)


def outcome_card(metric: str, policy_label: str, baseline_label: str, mean: float, low: float,
                 high: float, policy_key: str = "", week_growth: float = math.nan
                 ) -> OutcomeCard:
    """Say one paired difference in plain language, with its 95% interval.

    The sentence and the interval use one precision (`rounding_step`) and the same words, so
    the number in the sentence lies inside the interval as written. When the interval spans
    zero the sentence says "about the same": the runs cannot tell the policies apart.

    Args:
        metric: The outcome's key in `METRICS`.
        policy_label: The policy's plain name.
        baseline_label: The plain name of the policy it is compared with.
        mean: The mean paired difference (policy minus baseline), in the model's unit.
        low: Lower end of its 95% interval (NaN with one replicate).
        high: Upper end.
        policy_key: The policy's key, kept on the card.
        week_growth: For outcomes in standard deviations, a typical student's growth in one
            school week (`weeks_of_learning`): the sentence then also says the difference in
            weeks of typical learning.
    """
    info = METRICS.get(metric)
    title = info.label if info else metric.replace("_", " ").capitalize()
    better = info.better if info else "neither"
    phrase = _PHRASES.get(metric) or Phrase(
        title + ": {amount}", "higher", "lower", (info.unit if info else "",) * 2)
    m, lo, hi = mean * phrase.scale, low * phrase.scale, high * phrase.scale
    has_ci = math.isfinite(lo) and math.isfinite(hi)
    e = rounding_step(m, lo, hi, phrase.money)
    note = ""
    if not math.isfinite(m):
        sentence = f"{title}: not measured in this comparison."
    elif (has_ci and lo <= 0 <= hi) or float(rounded(m, e).replace(",", "")) == 0:
        sentence = f"{title}: about the same as with {baseline_label}."
    else:
        text = phrase.template.format(amount=_amount(phrase, m, e, phrase.up if m > 0
                                                     else phrase.down))
        sentence = f"{text[0].upper()}{text[1:]} than with {baseline_label}."
        if metric in SD_METRICS and math.isfinite(week_growth) and week_growth > 0:
            sentence = f"{sentence[:-1]}: {_in_weeks(m, lo, hi, week_growth, has_ci)}."
            note = WEEKS_OF_LEARNING_NOTE
    if has_ci:
        ci_text = _ci_words(phrase, lo, hi, e, m)
    else:
        ci_text = "Run two or more replicates to see the uncertainty."
    if better == "neither" or not math.isfinite(m):
        verdict = "neither"
    elif has_ci and lo <= 0 <= hi:
        verdict = "unclear"
    else:
        verdict = "better" if (m > 0) == (better == "higher") else "worse"
    return OutcomeCard(metric, policy_key or policy_label, title, sentence, ci_text, verdict,
                       mean, low, high, note)


def outcome_cards(comparison: Comparison, metrics: tuple[str, ...] = CARD_METRICS
                  ) -> dict[str, list[OutcomeCard]]:
    """Cards for every policy other than the baseline, keyed by policy."""
    paired = comparison.paired().set_index(["policy", "metric"])
    base_label = comparison.runs[comparison.baseline].label
    growth = {metric: weeks_of_learning(comparison, group)
              for metric, group in SD_METRICS.items() if metric in metrics}
    cards: dict[str, list[OutcomeCard]] = {}
    for key, pr in comparison.runs.items():
        if key == comparison.baseline:
            continue
        cards[key] = []
        for metric in metrics:
            if (key, metric) in paired.index:
                row = paired.loc[(key, metric)]
                values = (row["difference"], row["ci_low"], row["ci_high"])
            else:
                values = (math.nan, math.nan, math.nan)
            cards[key].append(outcome_card(metric, pr.label, base_label, *values,
                                           policy_key=key,
                                           week_growth=growth.get(metric, math.nan)))
    return cards


def _plain(value: float, like: float | None = None) -> str:
    """A number as people write it: thousands separated, no exponent, sensible decimals.

    Args:
        value: The number.
        like: Format with the precision suited to this number instead (for a ± half-width,
            so it has as many decimals as the mean it belongs to).
    """
    size = abs(like if like is not None else value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:,.1f}"
    if size >= 0.1 or size == 0:
        return f"{value:,.2f}"
    return f"{value:.3f}"


def means_table(comparison: Comparison) -> pd.DataFrame:
    """Mean and 95% interval of every outcome under every policy, for the table and export."""
    summary = comparison.summary()
    rows = []
    for metric, info in METRICS.items():
        if metric not in summary:
            continue
        # 0-1 scales and shares are shown out of 100, as on the outcome cards
        scale = 100.0 if info.unit in ("0-1 scale", "share") else 1.0
        unit = {"0-1 scale": "0-100 scale", "share": "%"}.get(info.unit, info.unit)
        row = {"Outcome": info.label, "Unit": unit}
        for key, pr in comparison.runs.items():
            values = scale * summary.loc[summary["policy"] == key, metric].to_numpy(float)
            mean, low, high = mean_ci(values)
            if not np.isfinite(mean):
                row[pr.label] = "n/a"
            elif np.isfinite(low):
                row[pr.label] = f"{_plain(mean)} ± {_plain(high - mean, mean)}"
            else:
                row[pr.label] = _plain(mean)
        rows.append(row)
    return pd.DataFrame(rows)
