"""A comparison's results as people read them: one card per outcome, and a table of means.

The dashboard shows the cards and the table, the command line prints the same sentences, and
the exported report repeats them, so every face says a result in the same words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from inclusion_sim.analysis.compare import Comparison, mean_ci
from inclusion_sim.model.outcomes import ALL_METRICS as METRICS
from inclusion_sim.present.outcomes import (
    describe_difference,
    interval_decimals,
    mean_and_interval,
    verdict,
)
from inclusion_sim.present.parameters import refusals_sentence
from inclusion_sim.present.words import metric_label, metric_unit, policy_label

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
    """One outcome of one policy against the baseline, said in a sentence.

    Attributes:
        metric: The outcome's identifier.
        policy: The policy's key.
        title: The outcome's plain name.
        sentence: The difference in words ("... than with Pull-out.").
        ci_text: Its 95% interval in the same words and rounding.
        verdict: "better", "worse", "unclear" (the interval spans zero) or "neither".
        mean: Mean paired difference, in the model's unit.
        low: Lower end of the 95% interval.
        high: Upper end.
        note: A sentence read with the outcome (on "served in full": the sessions refusals
            cost, and that the refusal rates are estimates); "" for none.
    """

    metric: str
    policy: str
    title: str
    sentence: str
    ci_text: str
    verdict: str
    mean: float
    low: float
    high: float
    note: str = ""


def outcome_card(metric: str, policy_label: str, baseline_label: str, mean: float, low: float,
                 high: float, policy_key: str = "") -> OutcomeCard:
    """Say one paired difference in plain language, with its 95% interval."""
    said = describe_difference(metric, mean, low, high, baseline_label)
    return OutcomeCard(metric, policy_key or policy_label, metric_label(metric), said.sentence,
                       said.interval, verdict(metric, mean, low, high), mean, low, high)


def run_label(comparison: Comparison, key: str) -> str:
    """A compared policy's name: the one it was given, or a preset's plain name for its key."""
    label = comparison.runs[key].label
    return policy_label(key) if label == key else label


def outcome_cards(comparison: Comparison, metrics: tuple[str, ...] = CARD_METRICS
                  ) -> dict[str, list[OutcomeCard]]:
    """Cards for every policy other than the baseline, keyed by policy."""
    paired = comparison.paired().set_index(["policy", "metric"])
    base_label = run_label(comparison, comparison.baseline)
    cards: dict[str, list[OutcomeCard]] = {}
    for key in comparison.runs:
        if key == comparison.baseline:
            continue
        cards[key] = []
        for metric in metrics:
            if (key, metric) in paired.index:
                row = paired.loc[(key, metric)]
                values = (row["difference"], row["ci_low"], row["ci_high"])
            else:
                values = (math.nan, math.nan, math.nan)
            card = outcome_card(metric, run_label(comparison, key), base_label, *values,
                                policy_key=key)
            if metric == "share_full_services":
                card = replace(card, note=refusal_note(comparison, key))
            cards[key].append(card)
    return cards


def refusal_note(comparison: Comparison, key: str) -> str:
    """The sessions refusals cost under a policy and under the baseline, per student a year.

    Said beside "served in full", since refusals (an estimated rate) can account for much of
    what a policy does not deliver. "" when no run recorded a refusal.
    """
    summary = comparison.summary()
    if "sessions_lost_refusal" not in summary:
        return ""
    means = summary.groupby("policy")["sessions_lost_refusal"].mean()
    lost = {run_label(comparison, k): float(means.get(k, math.nan))
            for k in (comparison.baseline, key)}
    return refusals_sentence(lost, f"per student with an IEP in the {comparison.weeks}-week "
                             "year, mean of the runs",
                             decimals=1, values=comparison.params)


def means_table(comparison: Comparison) -> pd.DataFrame:
    """Mean ± 95% half-width of every outcome under every policy, with labels and units.

    Each outcome is rounded to the precision its widest interval supports, the same for every
    policy in the row, so values in a row can be compared digit by digit.
    """
    summary = comparison.summary()
    rows = []
    for metric in METRICS:
        if metric not in summary:
            continue
        stats = {}
        for key in comparison.runs:
            values = summary.loc[summary["policy"] == key, metric].to_numpy(float)
            stats[key] = mean_ci(values)
        widths = [hi - lo for _, lo, hi in stats.values() if np.isfinite(hi - lo)]
        # one precision per row, from its widest interval, so values compare digit by digit
        decimals = interval_decimals(metric, 0.0, max(widths)) if widths else None
        row = {"Outcome": metric_label(metric), "Unit": metric_unit(metric)}
        for key in comparison.runs:
            row[run_label(comparison, key)] = mean_and_interval(metric, *stats[key],
                                                                decimals=decimals)
        rows.append(row)
    return pd.DataFrame(rows)
