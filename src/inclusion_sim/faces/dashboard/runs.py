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
from inclusion_sim.model.outcomes import ALL_METRICS as METRICS
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

#: How each outcome is said: (template, word if up, word if down, scale, number format).
#: The template has ``{amount}`` and ``{word}``; "scale" converts the model's unit to the one
#: people use (a 0-1 scale to points out of 100, a share to percentage points).
_PHRASES: dict[str, tuple[str, str, str, float, str]] = {
    "iep_core_hours_missed": ("Students with IEPs miss {amount} {word} hours of core instruction "
                              "a year each", "more", "fewer", 1.0, "{:.0f}"),
    "iep_other_hours_missed": ("Students with IEPs miss {amount} {word} hours of specials, lunch "
                               "and recess a year each", "more", "fewer", 1.0, "{:.0f}"),
    "cost_usd": ("Related services and co-planning cost {amount} {word} a year", "more", "less",
                 1.0, "${:,.0f}"),
    "cost_per_delivered_hour": ("Each student-hour of service delivered costs {amount} {word}",
                                "more", "less", 1.0, "${:,.0f}"),
    "mandate_compliance": ("{amount} percentage points {word} of the mandated minutes are "
                           "delivered", "more", "fewer", 100.0, "{:.0f}"),
    "unmet_minutes_per_week": ("{amount} {word} mandated minutes a week cannot be scheduled",
                               "more", "fewer", 1.0, "{:.0f}"),
    "iep_mastery": ("Students with IEPs master their IEP goals {amount} points {word} "
                    "(0-100 scale)", "more", "less", 100.0, "{:.0f}"),
    "iep_generalization": ("Students with IEPs use {amount} percentage points {word} of what "
                           "they have mastered in class", "more", "less", 100.0, "{:.0f}"),
    "iep_carryover": ("Students with IEPs use their IEP skills in class {amount} points {word} "
                      "(0-100 scale)", "more", "less", 100.0, "{:.0f}"),
    "iep_stigma": ("Students with IEPs feel {amount} points {word} stigma (0-100 scale)", "more",
                   "less", 100.0, "{:.0f}"),
    "iep_belonging": ("Students with IEPs feel {amount} points {word} belonging (0-100 scale)",
                      "more", "less", 100.0, "{:.0f}"),
    "iep_academic_growth_sd": ("Students with IEPs grow {amount} standard deviations {word} "
                               "academically", "more", "less", 1.0, "{:.2f}"),
    "peer_academic_growth_sd": ("Classmates without IEPs grow {amount} standard deviations "
                                "{word} academically", "more", "less", 1.0, "{:.2f}"),
    "teacher_strategy_use": ("Teachers use therapy strategies {amount} points {word} where "
                             "they apply (0-100 scale)", "more", "less", 100.0, "{:.0f}"),
    "share_full_services": ("{amount} percentage points {word} of students with IEPs get every "
                            "mandated minute in a month", "more", "fewer", 100.0, "{:.0f}"),
    "sessions_lost_student_absent": ("Students with IEPs lose {amount} {word} sessions a year "
                                     "each to absence", "more", "fewer", 1.0, "{:.1f}"),
    "made_up_minutes_per_iep_student": ("Students with IEPs get {amount} {word} minutes of "
                                        "make-up sessions a year each", "more", "fewer", 1.0,
                                        "{:.0f}"),
    "coordination_hours": ("Co-planning takes {amount} {word} staff hours a year", "more",
                           "fewer", 1.0, "{:,.0f}"),
    "wasted_minutes_per_iep_student": ("{amount} {word} session minutes per student are lost to "
                                       "refusals and absences", "more", "fewer", 1.0, "{:.0f}"),
}

#: The outcomes shown as cards, in order; the rest are in the table and the export. Core and
#: non-core lessons missed go together, as do mastery, generalization and carry-over (carry-over
#: alone would mix a smaller dose with better transfer) and the total cost with its cost per
#: delivered student-hour.
CARD_METRICS: tuple[str, ...] = (
    "iep_core_hours_missed", "iep_other_hours_missed", "iep_mastery", "iep_generalization",
    "iep_carryover", "iep_academic_growth_sd", "iep_belonging", "iep_stigma",
    "mandate_compliance", "share_full_services", "made_up_minutes_per_iep_student", "cost_usd",
    "cost_per_delivered_hour", "coordination_hours",
)  # fmt: skip


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


def _fmt(fmt: str, value: float) -> str:
    return fmt.format(abs(value)) if math.isfinite(value) else "n/a"


def outcome_card(metric: str, policy_label: str, baseline_label: str, mean: float, low: float,
                 high: float, policy_key: str = "") -> OutcomeCard:
    """Say one paired difference in plain language, with its 95% interval."""
    info = METRICS.get(metric)
    title = info.label if info else metric.replace("_", " ").capitalize()
    better = info.better if info else "neither"
    unit = info.unit if info else ""
    template, up, down, scale, fmt = _PHRASES.get(
        metric, (title + ": {amount} " + unit + " {word}", "higher", "lower", 1.0, "{:.3g}"))
    m, lo, hi = mean * scale, low * scale, high * scale
    if not math.isfinite(m):
        sentence = f"{title}: not measured in this comparison."
    elif _fmt(fmt, m) in ("0", "$0", "0.00"):
        sentence = f"{title}: about the same as with {baseline_label}."
    else:
        text = template.format(amount=_fmt(fmt, m), word=up if m > 0 else down)
        sentence = f"{text[0].upper()}{text[1:]} than with {baseline_label}."
    if math.isfinite(lo) and math.isfinite(hi):
        def signed(v: float) -> str:
            text = _fmt(fmt, v)
            return text if v >= 0 or text in ("0", "$0", "0.00") else "-" + text
        low_text, high_text = signed(lo), signed(hi)
        ci_text = (f"95% interval: {low_text} to {high_text}" if low_text != high_text else
                   f"95% interval: {low_text}, too narrow to show at this precision")
    else:
        ci_text = "Run two or more replicates to see the uncertainty."
    if better == "neither" or not math.isfinite(m):
        verdict = "neither"
    elif math.isfinite(lo) and math.isfinite(hi) and lo <= 0 <= hi:
        verdict = "unclear"
    else:
        verdict = "better" if (m > 0) == (better == "higher") else "worse"
    return OutcomeCard(metric, policy_key or policy_label, title, sentence, ci_text, verdict,
                       mean, low, high)


def outcome_cards(comparison: Comparison, metrics: tuple[str, ...] = CARD_METRICS
                  ) -> dict[str, list[OutcomeCard]]:
    """Cards for every policy other than the baseline, keyed by policy."""
    paired = comparison.paired().set_index(["policy", "metric"])
    base_label = comparison.runs[comparison.baseline].label
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
                                           policy_key=key))
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
