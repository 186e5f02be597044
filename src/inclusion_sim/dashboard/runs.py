"""Run policies side by side and put the differences into plain words.

Every policy is run on the same seeds (common random numbers: the same school roster, the same
refusal and attendance draws), so the difference between two policies on one seed is a paired
difference and its spread across seeds is the honest uncertainty of the comparison. The runs
themselves are `inclusion_sim.model.SchoolModel` calls; this module only loops, keeps what the
pages need, and summarises.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inclusion_sim.compare import mean_ci
from inclusion_sim.model import SchoolModel
from inclusion_sim.outcomes import METRICS, RunResult
from inclusion_sim.params import Params
from inclusion_sim.policies import Policy

from .schools import SchoolChoice

#: Seeds used when the user does not choose: the same for every comparison, so a principal
#: who runs the comparison twice sees the same numbers.
BASE_SEED = 20250901


@dataclass
class PolicyRuns:
    """All replicates of one policy.

    Attributes:
        key: Short name (preset name or ``your_plan``).
        label: What the user sees.
        policy: The policy run.
        results: One `RunResult` per seed, in seed order.
        model: The finished model of the first seed, kept for the Student and Classroom pages
            (its weekly per-student history and its timetable).
    """

    key: str
    label: str
    policy: Policy
    results: list[RunResult] = field(default_factory=list)
    model: SchoolModel | None = None


@dataclass
class Comparison:
    """Policies run on the same seeds, with the school and settings they ran under."""

    school_label: str
    seeds: list[int]
    weeks: int
    params: dict[str, float]
    runs: dict[str, PolicyRuns]

    @property
    def baseline(self) -> str:
        """The policy others are compared with: the first one chosen (usually pull-out)."""
        return next(iter(self.runs))

    def summary(self) -> pd.DataFrame:
        """One row per policy and seed with every summary outcome."""
        rows = []
        for key, pr in self.runs.items():
            for seed, result in zip(self.seeds, pr.results, strict=False):
                rows.append({"policy": key, "policy_label": pr.label, "seed": seed,
                             **result.summary})
        return pd.DataFrame(rows)

    def weekly(self) -> pd.DataFrame:
        """Weekly series of every run, stacked, with policy and seed columns."""
        frames = []
        for key, pr in self.runs.items():
            for seed, result in zip(self.seeds, pr.results, strict=False):
                frames.append(result.weekly.assign(policy=key, policy_label=pr.label, seed=seed))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def table(self, name: str) -> pd.DataFrame:
        """A per-run table (``students``, ``services``, ``therapists``, ``unmet``), stacked."""
        frames = []
        for key, pr in self.runs.items():
            for seed, result in zip(self.seeds, pr.results, strict=False):
                frames.append(getattr(result, name).assign(policy=key, policy_label=pr.label,
                                                           seed=seed))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def seeds_for(replicates: int, base_seed: int = BASE_SEED) -> list[int]:
    """The seeds of a comparison: the sweep runner's replicate seeds, so results agree."""
    try:
        from inclusion_sim.seeds import replicate_seed
    except ImportError:  # pragma: no cover - the sweep package is part of the core
        return [base_seed + r for r in range(replicates)]
    return [replicate_seed(base_seed, r) for r in range(replicates)]


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
    """Run every policy on the same seeds.

    Args:
        choice: The school.
        policies: ``(key, label, policy)`` for each policy, the baseline first.
        overrides: Parameter values that differ from the defaults.
        replicates: Seeds per policy.
        weeks: School weeks per run (default: the scenario's year, or 36).
        base_seed: First seed of the sequence.
        on_progress: Called with (runs done, runs planned, what is running).
        should_stop: Polled between runs; when it returns True the comparison is abandoned
            (the user started another one) and None is returned.

    Returns:
        The comparison, or None when stopped.
    """
    params = Params(overrides or {}, source="dashboard")
    seeds = seeds_for(replicates, base_seed)
    total = len(policies) * len(seeds)
    runs: dict[str, PolicyRuns] = {}
    done = 0
    for key, label, policy in policies:
        pr = PolicyRuns(key, label, policy)
        for i, seed in enumerate(seeds):
            if should_stop is not None and should_stop():
                return None
            if on_progress is not None:
                on_progress(done, total, f"{label}, run {i + 1} of {len(seeds)}")
            model = SchoolModel(**choice.model_kwargs(), policy=policy, params=params, seed=seed,
                                weeks=weeks)
            pr.results.append(model.run())
            if i == 0:
                pr.model = model
            done += 1
        runs[key] = pr
    if on_progress is not None:
        on_progress(done, total, "done")
    actual_weeks = int(next(iter(runs.values())).results[0].meta.get("weeks", weeks or 0))
    return Comparison(choice.label, seeds, actual_weeks, params.changed(), runs)


# --------------------------------------------------------------------------- uncertainty


def paired_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Mean of ``b - a`` over seeds with a 95% confidence interval (paired t)."""
    return mean_ci(np.asarray(b, float) - np.asarray(a, float))


# --------------------------------------------------------------------------- plain words

#: How each outcome is said: (template, word if up, word if down, scale, number format).
#: The template has ``{amount}`` and ``{word}``; "scale" converts the model's unit to the one
#: people use (a 0-1 scale to points out of 100, a share to percentage points).
_PHRASES: dict[str, tuple[str, str, str, float, str]] = {
    "iep_core_hours_missed": ("Students with IEPs miss {amount} {word} hours of core instruction "
                              "a year each", "more", "fewer", 1.0, "{:.0f}"),
    "cost_usd": ("Related services and co-planning cost {amount} {word} a year", "more", "less",
                 1.0, "${:,.0f}"),
    "mandate_compliance": ("{amount} percentage points {word} of the mandated minutes are "
                           "delivered", "more", "fewer", 100.0, "{:.0f}"),
    "unmet_minutes_per_week": ("{amount} {word} mandated minutes a week cannot be scheduled",
                               "more", "fewer", 1.0, "{:.0f}"),
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
    "teacher_strategy_use": ("Teachers use therapy strategies {amount} points {word} "
                             "(0-100 scale)", "more", "less", 100.0, "{:.0f}"),
    "coordination_hours": ("Co-planning takes {amount} {word} staff hours a year", "more",
                           "fewer", 1.0, "{:,.0f}"),
    "wasted_minutes_per_iep_student": ("{amount} {word} session minutes per student are lost to "
                                       "refusals and absences", "more", "fewer", 1.0, "{:.0f}"),
}

#: The outcomes shown as cards, in order; the rest are in the table and the export.
CARD_METRICS: tuple[str, ...] = (
    "iep_core_hours_missed", "iep_carryover", "iep_belonging", "iep_stigma", "mandate_compliance",
    "cost_usd", "iep_academic_growth_sd", "coordination_hours",
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
    base = comparison.runs[comparison.baseline]
    cards: dict[str, list[OutcomeCard]] = {}
    for key, pr in comparison.runs.items():
        if key == comparison.baseline:
            continue
        cards[key] = []
        for metric in metrics:
            a = np.array([r.summary.get(metric, math.nan) for r in base.results])
            b = np.array([r.summary.get(metric, math.nan) for r in pr.results])
            cards[key].append(outcome_card(metric, pr.label, base.label,
                                           *paired_difference(a, b), policy_key=key))
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
