"""Equal-dose comparisons: the same weekly minutes for every policy, and what follows from it."""

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inclusion_sim import SchoolModel, resolve
from inclusion_sim.analysis.compare import compare_policies
from inclusion_sim.delivery.equal_dose import (
    EQUAL_DOSE_REASON,
    common_dose,
    dose_gap,
    trim_to_dose,
    weekly_dose,
    withheld_minutes,
)
from inclusion_sim.delivery.schedule_check import check_schedule
from inclusion_sim.scenario import from_dict

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
POLICIES = ("pull_out", "push_in", "push_in_collaborative", "hybrid")


@pytest.fixture
def scarce():
    """One class per grade and one short-staffed therapist per discipline: doses differ."""
    return from_dict({
        "scenario": {"name": "scarce staff", "seed": 3, "weeks": 4},
        "school": {"grades": ["K", 1, 2, 3], "classes_per_grade": 1, "class_size": 20,
                   "iep_prevalence": 0.3},
        "staff": [{"discipline": d, "count": 1, "minutes_per_week": 400}
                  for d in ("speech", "ot", "pt", "counseling", "setss")],
    })


def models(scenario, policies, scheduling="greedy", **choices):
    return {p: SchoolModel(resolve(scenario, policy=p, seed=9, scheduling=scheduling, **choices))
            for p in policies}


@pytest.mark.parametrize("scheduling", ["greedy", "optimal"])
def test_every_policy_gets_the_least_dose_and_the_week_stays_valid(scarce, scheduling):
    full = models(scarce, POLICIES, scheduling)
    school = full["pull_out"].school
    target = common_dose([m.schedule for m in full.values()], school)
    assert dose_gap([m.schedule for m in full.values()], school) > 0  # not vacuous
    equal = models(scarce, POLICIES, scheduling, equal_dose=POLICIES)
    schedules = [m.schedule for m in equal.values()]
    assert dose_gap(schedules, school) == 0
    for policy, model in equal.items():
        np.testing.assert_array_equal(weekly_dose(model.schedule, school), target)
        assert check_schedule(school, model.policy, model.params, model.schedule) == []
        withheld = withheld_minutes(model.schedule)
        cut = weekly_dose(full[policy].schedule, school).sum() - target.sum()
        assert withheld == cut
        # the scheduler's own shortfall is still there, with its reasons
        assert (model.schedule.unmet_minutes() - withheld
                == full[policy].schedule.unmet_minutes())


def test_trimming_keeps_a_hybrid_s_mix_of_settings(scarce):
    full = models(scarce, ["hybrid", "push_in_collaborative"])
    school = full["hybrid"].school
    target = common_dose([m.schedule for m in full.values()], school)
    before, after = (Counter(), Counter())
    trimmed = trim_to_dose(full["hybrid"].schedule, school, full["hybrid"].params, target)
    for counts, schedule in ((before, full["hybrid"].schedule), (after, trimmed)):
        for s in schedule.sessions:
            for i in s.students:
                counts[(i, s.service, s.setting)] += 1
    assert sum(before.values()) > sum(after.values())
    for i, service in {(i, s) for i, s, _ in before}:
        pulled = [c[(i, service, "pull_out")] for c in (before, after)]
        pushed = [c[(i, service, "push_in")] for c in (before, after)]
        assert abs(pulled[1] - pushed[1]) <= max(1, abs(pulled[0] - pushed[0]))


def test_an_untrimmed_week_is_left_as_it_is(scarce):
    model = models(scarce, ["pull_out"])["pull_out"]
    dose = weekly_dose(model.schedule, model.school)
    assert trim_to_dose(model.schedule, model.school, model.params, dose) is model.schedule
    alone = models(scarce, ["pull_out"], equal_dose=["pull_out"])["pull_out"]
    assert alone.schedule.sessions == model.schedule.sessions


def test_at_equal_dose_neutral_settings_give_equal_outcomes(scarce):
    """The symmetry test on a school where the policies' timetables fit different minutes.

    With every setting-specific mechanism off, the only difference left between pull-out and
    push-in is how many minutes each timetable fits; at equal dose it is gone too.
    """
    choices = {"mechanisms": {"teacher_practice"}}
    runs = {}
    for equal_dose in (None, ("pull_out", "push_in")):
        built = models(scarce, ["pull_out", "push_in"], "optimal", equal_dose=equal_dose,
                       **choices)
        runs[equal_dose] = {p: m.run() for p, m in built.items()}
    apart = runs[None]
    assert not np.allclose(apart["pull_out"].services["delivered_minutes"],
                           apart["push_in"].services["delivered_minutes"])
    a, b = runs[("pull_out", "push_in")].values()
    for column in ("delivered_minutes", "mastery", "carryover"):
        np.testing.assert_allclose(a.services[column], b.services[column], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.students["academic_growth_sd"], b.students["academic_growth_sd"],
                               rtol=1e-12, atol=1e-12)
    assert a.summary["unmet_minutes_per_week"] == b.summary["unmet_minutes_per_week"]


def test_compare_reports_the_doses(scarce):
    normal = compare_policies(scarce, ["pull_out", "push_in"], 2, weeks=2, scheduling="greedy")
    equal = compare_policies(scarce, ["pull_out", "push_in"], 2, weeks=2, scheduling="greedy",
                             equal_dose=True)
    assert equal.equal_dose and not normal.equal_dose
    assert normal.doses()["largest_gap_minutes_per_week"].max() > 0
    doses = equal.doses().set_index("policy")
    assert (doses["largest_gap_minutes_per_week"] == 0).all()
    assert doses["scheduled_minutes_per_week"].nunique() == 1
    assert doses["withheld_minutes_per_week"].sum() > 0
    unmet = equal.table("unmet")
    assert EQUAL_DOSE_REASON in set(unmet["reason"])
    # unmet minutes = what the timetable could not fit + what was withheld
    summary = equal.summary().groupby("policy")["unmet_minutes_per_week"].mean()
    np.testing.assert_allclose(
        summary[doses.index],
        doses["withheld_minutes_per_week"] + doses["unmet_by_schedule_minutes_per_week"])


def test_compare_command_with_equal_dose(tmp_path, capsys):
    from inclusion_sim.faces.cli import main

    out = tmp_path / "cmp"
    assert main(["compare", str(SCENARIOS / "small_elementary.toml"),
                 "--policies", "pull_out", "push_in_collaborative", "--replicates", "2",
                 "--weeks", "2", "--scheduler", "greedy", "--equal-dose", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Equal dose" in printed and "withheld" in printed
    assert "largest remaining difference in one student's weekly minutes is 0" in printed
    doses = pd.read_csv(out / "doses.csv")
    assert (doses.largest_gap_minutes_per_week == 0).all()
    assert main(["compare", str(SCENARIOS / "small_elementary.toml"), "--policies", "pull_out",
                 "--equal-dose"]) == 2
    err = capsys.readouterr().err
    assert "--equal-dose" in err and "Traceback" not in err
