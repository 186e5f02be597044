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
from inclusion_sim.faces.present import value_text
from inclusion_sim.faces.sweep_report import readable_differences
from inclusion_sim.model.outcomes import ALL_METRICS, METRICS
from inclusion_sim.present.numbers import SHOWN_DECIMALS
from inclusion_sim.present.words import metric_unit

NEW = ("iep_generalization", "iep_other_hours_missed", "cost_per_delivered_hour")


def test_every_unit_has_a_rounding_and_values_read_as_written():
    assert {metric_unit(m) for m in METRICS} <= set(SHOWN_DECIMALS)
    assert value_text("cost_usd", 348210.4) == "$348,000"  # a simulated cost is not known to $1
    assert value_text("cost_per_delivered_hour", 79.087) == "$79"
    assert value_text("iep_core_hours_missed", 26.43, signed=True) == "+26.4"
    assert value_text("iep_mastery", -0.0004, signed=True) == "0.0"  # no negative zero
    assert value_text("iep_mastery", 0.291, unit=True) == "29.1 points (0-100 scale)"
    assert value_text("mandate_compliance", math.nan) == "n/a"


def test_cards_put_the_split_outcomes_next_to_their_counterparts():
    cards = list(runs.CARD_METRICS)
    assert set(cards) <= set(ALL_METRICS)
    assert cards.index("share_full_services") == cards.index("mandate_compliance") + 1
    for first, second in (("iep_core_hours_missed", "iep_other_hours_missed"),
                          ("iep_mastery", "iep_generalization"),
                          ("iep_generalization", "iep_carryover"),
                          ("cost_usd", "cost_per_delivered_hour")):
        assert cards.index(second) == cards.index(first) + 1


@pytest.mark.parametrize("metric", runs.CARD_METRICS)
def test_every_card_says_its_outcome_in_a_sentence(metric):
    info = ALL_METRICS[metric]
    size = 0.2 if info.unit in ("0-1 scale", "share", "SD") else 20.0
    card = runs.outcome_card(metric, "Push-in", "Pull-out", size, size / 2, size * 1.5)
    assert card.title == info.label
    assert "_" not in card.sentence and "than with Pull-out" in card.sentence
    assert card.verdict == {"higher": "better", "lower": "worse",
                            "neither": "neither"}[info.better]


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


def test_student_year_says_minutes_and_losses_in_plain_words():
    from pathlib import Path

    from inclusion_sim import load_scenario
    from inclusion_sim.analysis.compare import compare_policies

    small = load_scenario(Path(__file__).resolve().parents[2] / "scenarios"
                          / "small_school_year.toml")
    comparison = compare_policies(small, ["pull_out", "push_in"], replicates=1, weeks=3,
                                  scheduling="greedy")
    year = comparison.runs["pull_out"].results[0].year
    student = year.loc[year["sessions_lost_student_absent"] > 0, "student_id"].iloc[0]
    table = runs.student_year(comparison, student)
    labels = [pr.label for pr in comparison.runs.values()]
    assert list(table["Policy"].unique()) == labels
    assert "_" not in " ".join(table["Service"]) and "_" not in " ".join(table["Sessions lost"])
    assert any("absent" in text for text in table["Sessions lost"])
    assert runs.student_year(comparison, "nobody").empty


def test_a_difference_the_same_in_every_run_is_said_so_to_three_digits():
    from inclusion_sim.present.outcomes import describe_difference

    # a school read from CSV files: the co-planning hours do not vary between runs
    said = describe_difference("coordination_hours", 1368.0, 1368.0, 1368.0, "Pull-out")
    assert "1,370" in said.sentence and "1,368" not in said.sentence
    assert said.interval == "95% interval: 1,370 hours more in every run"
    spread = describe_difference("coordination_hours", 1368.0, 1300.0, 1436.0, "Pull-out")
    assert "every run" not in spread.interval
