"""The presentation layer says every number and name the way a principal reads it."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pandas as pd
import pytest

from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.delivery.policies import POLICY_PRESETS
from inclusion_sim.faces import present
from inclusion_sim.model.outcomes import METRICS


def test_money_is_rounded_as_people_say_it():
    assert present.money(180306) == "$180,000"
    assert present.money(14883.2) == "$14,900"
    assert present.money(92.37) == "$92"
    assert present.money(-3.4) == "-$3.40"
    assert present.money(14985, signed=True) == "+$15,000"
    assert present.money(1.488e4) == "$14,900"  # never an exponent
    assert present.money_k(150000) == "$150k" and present.money_k(1.25e6) == "$1.25M"


def test_nouns_agree_with_the_number_shown():
    assert present.counted("1", "point") == "1 point"
    assert present.counted("1.0", "point") == "1.0 points"
    assert present.counted("2", "hour") == "2 hours"
    card = present.outcome_card("unmet_minutes_per_week", "Push-in", "Pull-out", -1.2,
                                math.nan, math.nan)
    assert card.sentence == ("1 fewer mandated minute a week cannot be scheduled than with "
                             "Pull-out.")
    assert card.ci_text == "Run two or more replicates to see the uncertainty."


def test_an_interval_across_zero_reads_about_the_same():
    card = present.outcome_card("iep_stigma", "Push-in", "Pull-out", 0.004, -0.01, 0.02)
    assert card.sentence == "Felt stigma, students with IEPs: about the same as with Pull-out."
    assert card.verdict == "unclear"
    assert card.ci_text == "95% interval: from 1.0 points less to 2.0 points more"


def test_the_sentence_and_its_interval_agree():
    said = present.describe_difference("iep_core_hours_missed", -50.2, -53.1, -47.3, "Pull-out")
    assert said.sentence.startswith("Students with IEPs miss 50 fewer hours of core")
    assert said.interval == "95% interval: 47 to 53 hours fewer"
    # an interval narrower than the default resolution shows more digits, never "4 to 4"
    narrow = present.describe_difference("iep_core_hours_missed", 4.01, 3.7, 4.3, "Pull-out")
    assert narrow.interval == "95% interval: 3.7 to 4.3 hours more"
    money = present.describe_difference("cost_usd", 180306, 170102, 190511, "Pull-out")
    assert "$180,000 more a year" in money.sentence
    assert money.interval == "95% interval: $170,000 to $191,000 more"


def test_precision_follows_the_interval_width():
    assert present.interval_decimals("iep_core_hours_missed", -53, -47) == 0
    assert present.interval_decimals("iep_core_hours_missed", 3.8, 4.2) == 1
    assert present.interval_decimals("cost_usd", 2769, 27201) == -3
    assert present.interval_decimals("iep_academic_growth_sd", 0.05, 0.09) == 2
    assert present.interval_decimals("iep_mastery", 0.20, 0.30) == 0  # 10 points wide
    assert present.mean_and_interval("iep_mastery", 0.2903, 0.2863, 0.2943) == "29.0 ± 0.4"
    # however narrow the interval, no more than three significant digits of a large amount
    assert present.interval_decimals("iep_core_hours_missed", 143.96, 144.04) == 0
    steady = present.describe_difference("iep_core_hours_missed", 144.0, 143.96, 144.04, "Pull-out")
    assert "144 more hours" in steady.sentence
    assert steady.interval == "95% interval: 144 hours more (narrower than this rounding)"


def test_zero_to_one_scales_are_shown_out_of_100():
    assert present.value_text("iep_mastery", 0.2903, unit=True) == "29.0 points (0-100 scale)"
    assert present.value_text("mandate_compliance", 0.87, unit=True) == "87.0%"
    assert present.metric_unit("cost_per_delivered_hour") == "$ per student-hour"


def test_every_name_has_a_plain_label():
    for key in POLICY_PRESETS:
        assert "_" not in present.policy_label(key) and "_" not in present.policy_label(key, True)
    assert present.policy_label("push_in_collaborative") == "Push-in (co-taught)"
    assert [present.grade_label(g) for g in (-1, 0, 3, "K")] == ["Pre-K", "K", "3", "K"]
    assert present.grade_label(0, long=True) == "Kindergarten"
    assert present.service_label("ot") == "Occupational therapy"
    for metric in METRICS:
        assert "_" not in present.metric_label(metric)
        assert metric in present.PHRASES


def _words(label: str) -> list[str]:
    return re.findall(r"[a-z]+(?:-[a-z]+)*", label.lower())


def _in_order(short: list[str], long: list[str]) -> bool:
    """Whether every word of `short` appears in `long`, in the same order."""
    rest = iter(long)
    return all(word in rest for word in short)


def test_short_policy_names_say_what_the_long_ones_say():
    """A legend's or report's short name is its long name cut down, never reworded or reordered,
    and fits no other policy: a bare "Push-in" would fit both kinds of push-in."""
    long = {key: _words(present.policy_label(key)) for key in POLICY_PRESETS}
    for key in POLICY_PRESETS:
        short = _words(present.policy_label(key, short=True))
        assert _in_order(short, long[key]), key
        assert [other for other in POLICY_PRESETS if _in_order(short, long[other])] == [key]
    assert present.policy_label("push_in", short=True) == "Push-in, alongside"
    assert present.policy_label("push_in_collaborative", short=True) == "Push-in, co-taught"


def test_sources_name_works_not_codes():
    for p in PARAMETERS.values():
        text = present.plain_source(p.source)
        assert "lit." not in text and not any(f"C F{k}" in text for k in range(1, 6)), text
    assert present.plain_source("lit. C F2 (demonstration: 30% know)") == \
        "Joyce & Showers 2002 (demonstration: 30% know)"
    assert present.plain_source("lit. A14: CT SERC 2016 co-teaching survey") == \
        "CT SERC 2016 co-teaching survey"


def test_changed_parameters_in_plain_words():
    lines = present.changed_parameters({"transition_minutes": 6, "pull_out_refusal_rate": 0.1,
                                        "push_in_travel_minutes": 5.0})
    assert lines == ["Walk to and from the therapy room: 6 minutes each way (default 5)",
                     "Students refusing a pull-out session: 10% of sessions (default 5%)"]
    assert present.changes_summary({}) == ""
    assert present.changes_summary({"transition_minutes": 6}).startswith(
        "Changed from the defaults: Walk to and from")
    for name in PARAMETERS:  # the range reads in the units of the default beside it
        assert present.format_range(name).endswith(
            present.format_parameter(name, PARAMETERS[name].high))


def test_a_stigma_gain_says_what_its_points_are_points_of():
    shown = present.format_parameter("stigma_per_removal", 0.004)
    assert shown == "+0.4 points of felt stigma per visible removal, on a 0-100 scale"
    assert present.format_range("stigma_per_removal") == (
        "+0 to +2 points of felt stigma per visible removal, on a 0-100 scale")
    assert present.parameter_unit("stigma_per_push_in") == (
        "points of felt stigma per in-class session, on a 0-100 scale")
    note = present.parameter_note("stigma_per_removal")
    assert "0 (none) to 100 (the most a student can feel)" in note
    assert "one visible removal adds" in note
    assert present.parameter_note("transition_minutes") == ""


def test_exports_keep_ids_round_floats_and_ship_a_dictionary(tmp_path):
    frame = pd.DataFrame({"policy": ["pull_out", "push_in"],
                          "cost_usd": [180306.12345678901, 1.0 / 3.0],
                          "iep_mastery": [0.123456789012345, math.nan], "made_up": [1e-9, 2.0]})
    paths = present.write_tables(tmp_path, {"runs": frame})
    assert [p.name for p in paths] == ["runs.csv", "data_dictionary.csv"]
    text = (tmp_path / "runs.csv").read_text()
    assert "180306" in text and "0.333333," in text and "0.123457" in text
    assert "e-" not in text and "e+" not in text
    back = pd.read_csv(io.StringIO(text))
    assert np.allclose(back["cost_usd"], frame["cost_usd"], rtol=1e-5)
    dictionary = pd.read_csv(tmp_path / "data_dictionary.csv").set_index("column")
    assert list(dictionary.index) == list(frame.columns)
    assert dictionary.loc["cost_usd", "label"] == METRICS["cost_usd"].label
    assert dictionary.loc["cost_usd", "unit"] == "USD"
    assert dictionary.loc["made_up", "label"] == "Made up"
    assert (tmp_path / "runs.parquet").exists()


@pytest.mark.parametrize("value", [0.0, 5e-12, 123456789.0, -0.5])
def test_csv_floats_round_trip_closely(value):
    text = present.csv_text(pd.DataFrame({"x": [value]}))
    assert math.isclose(float(text.splitlines()[1]), value, rel_tol=1e-5, abs_tol=1e-300)


def test_a_sweeps_csv_export_is_tidy_and_described(reference_sweep, tmp_path):
    """SweepResults.to_csv (``report --csv``) writes like every other export: six significant
    digits and a data dictionary covering every column."""
    import re

    from inclusion_sim.experiments import open_results

    with open_results(reference_sweep) as results:
        paths = results.to_csv(tmp_path)
        outcomes = results.outcomes()
    assert [p.name for p in paths] == ["runs.csv", "outcomes.csv", "weekly.csv", "failures.csv",
                                       "data_dictionary.csv"]
    dictionary = pd.read_csv(paths[-1], keep_default_na=False)
    for path in paths[:-1]:
        columns = list(pd.read_csv(path, nrows=0).columns)
        assert list(dictionary.loc[dictionary["file"] == path.name, "column"]) == columns
    assert "chunk" not in set(dictionary.loc[dictionary["file"] == "outcomes.csv", "column"])
    text = (tmp_path / "outcomes.csv").read_text()
    numbers = re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", text)
    assert numbers and all(len(n.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) <= 6
                           for n in numbers)
    back = pd.read_csv(tmp_path / "outcomes.csv")
    assert len(back) == len(outcomes)
    np.testing.assert_allclose(back["carryover_mean"], outcomes["carryover_mean"], rtol=1e-5)
