"""Every outcome reaches people with its label, its unit and sensible rounding, never its name.

Covers the faces that list outcomes: the dashboard's cards and table, the sweep report and its
figures, and the shared rounding.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from inclusion_sim.faces import sweep_figures
from inclusion_sim.faces.dashboard import figures, runs
from inclusion_sim.faces.school_words import UNIT_DECIMALS, outcome_text
from inclusion_sim.faces.sweep_report import readable_differences
from inclusion_sim.model.outcomes import METRICS

NEW = ("iep_generalization", "iep_other_hours_missed", "cost_per_delivered_hour")


def test_every_unit_has_a_rounding_and_values_read_as_written():
    assert {m.unit for m in METRICS.values()} <= set(UNIT_DECIMALS)
    assert outcome_text("USD", 348210.4) == "348,210"
    assert outcome_text("USD per student-hour", 79.087) == "79.09"
    assert outcome_text("hours", 26.43, signed=True) == "+26.4"
    assert outcome_text("0-1 scale", -0.0004, signed=True) == "+0.000"  # no negative zero
    assert outcome_text("share", math.nan) == "n/a"


def test_cards_put_the_split_outcomes_next_to_their_counterparts():
    cards = list(runs.CARD_METRICS)
    assert set(cards) <= set(METRICS)
    for first, second in (("iep_core_hours_missed", "iep_other_hours_missed"),
                          ("iep_mastery", "iep_generalization"),
                          ("iep_generalization", "iep_carryover"),
                          ("cost_usd", "cost_per_delivered_hour")):
        assert cards.index(second) == cards.index(first) + 1


@pytest.mark.parametrize("metric", runs.CARD_METRICS)
def test_every_card_says_its_outcome_in_a_sentence(metric):
    size = 0.2 if METRICS[metric].unit in ("0-1 scale", "share", "SD") else 20.0
    card = runs.outcome_card(metric, "Push-in", "Pull-out", size, size / 2, size * 1.5)
    assert card.title == METRICS[metric].label
    assert "_" not in card.sentence and "than with Pull-out" in card.sentence
    assert card.verdict == ("better" if METRICS[metric].better == "higher" else "worse")


def test_new_cards_in_plain_words():
    say = {m: runs.outcome_card(m, "Push-in", "Pull-out", d, d - w, d + w).sentence
           for m, d, w in (("iep_generalization", 0.08, 0.03), ("iep_other_hours_missed", -59.1, 3),
                           ("cost_per_delivered_hour", 26.4, 1))}
    assert say["iep_generalization"] == ("Students with IEPs use 8 percentage points more of "
                                         "what they have mastered in class than with Pull-out.")
    assert say["iep_other_hours_missed"].startswith("Students with IEPs miss 59 fewer hours of "
                                                    "specials, lunch and recess")
    assert say["cost_per_delivered_hour"] == ("Each student-hour of service delivered costs $26 "
                                              "more than with Pull-out.")


def test_new_outcomes_have_weekly_charts_and_a_spread_across_students():
    for metric in NEW[:2] + ("iep_mastery",):
        label, _ = figures.WEEKLY_CHARTS[metric]
        assert "_" not in label
    assert "other_minutes_missed" in figures.STUDENT_DISTRIBUTIONS


def test_sweep_report_names_outcomes_by_label_and_rounds_by_unit():
    overall = pd.DataFrame([
        {"metric": "cost_per_delivered_hour", "policy": "push_in", "reference": "pull_out",
         "n_pairs": 10, "reference_mean": 42.41, "policy_mean": 44.26, "difference": 1.853,
         "ci_low": -0.004, "ci_high": 3.7},
        {"metric": "cost_usd", "policy": "push_in", "reference": "pull_out", "n_pairs": 10,
         "reference_mean": 103545.0, "policy_mean": 118530.0, "difference": 14985.0,
         "ci_low": 2769.3, "ci_high": 27201.2},
        {"metric": "made_up_outcome", "policy": "push_in", "reference": "pull_out",
         "n_pairs": 10, "reference_mean": 0.123456, "policy_mean": 0.2, "difference": 0.076544,
         "ci_low": 0.05, "ci_high": 0.1},
    ])
    table = readable_differences(overall)
    first, cost, unknown = table.to_dict("records")
    assert first["Outcome"] == METRICS["cost_per_delivered_hour"].label
    assert (first["Unit"], first["Policy"], first["Reference"]) == (
        "$ per student-hour", "Push-in (alongside the lesson)", "Pull-out")
    # rounded to what the interval supports: $0 to $4 wide is whole dollars
    assert (first["Difference"], first["95% interval"]) == ("+$2", "$0 to +$4")
    assert (cost["Reference mean"], cost["95% interval"]) == ("$104,000", "+$3,000 to +$27,000")
    assert (unknown["Outcome"], unknown["Reference mean"]) == ("made_up_outcome", "0.1235")
    assert "e+" not in table.to_string()


def test_sweep_figures_title_panels_by_label():
    title = sweep_figures.metric_title("iep_other_hours_missed")
    assert "iep_" not in title and "(hours)" in title
    assert all(len(line) <= 34 for line in title.splitlines())
    assert sweep_figures.metric_title("made_up_outcome") == "made_up_outcome"
