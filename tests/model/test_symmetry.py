"""The symmetry audit: every difference between pull-out and push-in is in the asymmetry table.

A pull-out twin of a push-in run gets exactly the same sessions (same students, slots and
minutes), only taken out of the room. With every mechanism on and every row of
`inclusion_sim.model.asymmetries.ASYMMETRIES` at its symmetric values, the two must give the same
outcomes for every student; and each row alone, set back to a non-symmetric value, must separate
them, so the table hides nothing and no row is dead.
"""

import dataclasses

import numpy as np
import pytest

from inclusion_sim import MECHANISMS, PARAMETERS, Params, SchoolModel, resolve
from inclusion_sim.model.asymmetries import ASYMMETRIES, symmetric_parameters

STUDENT_COLUMNS = ("academic_growth_sd", "core_minutes_missed", "other_minutes_missed", "stigma",
                   "belonging")
SERVICE_COLUMNS = ("delivered_minutes", "mastery", "carryover")
#: Rows that change only staff time and cost (the table says so), not students' outcomes.
STAFF_ONLY = {"push_in_travel_minutes"}


def _pair(scenario, params: dict[str, float]):
    """A push-in run and its pull-out twin with the same sessions, under `params`."""
    config = resolve(scenario, policy="push_in", seed=9, mechanisms=MECHANISMS)
    config = dataclasses.replace(config, params=Params(params, check_ranges=False))
    push = SchoolModel(config)
    twin = SchoolModel(config)
    twin.schedule = dataclasses.replace(twin.schedule, sessions=[
        dataclasses.replace(s, setting="pull_out", collaboration="", class_index=-1)
        for s in twin.schedule.sessions])
    twin.build_plans()
    assert sum(p.member_setting.tolist().count(0) for p in twin.plans) > 0
    return push.run(), twin.run()


def _differences(a, b) -> list[str]:
    differ = [c for c in STUDENT_COLUMNS
              if not np.allclose(a.students[c], b.students[c], rtol=1e-12, atol=1e-12)]
    differ += [c for c in SERVICE_COLUMNS
               if not np.allclose(a.services[c], b.services[c], rtol=1e-12, atol=1e-12)]
    return differ


@pytest.fixture
def symmetric_school(one_class_per_grade):
    return one_class_per_grade


def test_settings_alike_at_symmetric_values_with_every_mechanism_on(symmetric_school):
    push, pull = _pair(symmetric_school, symmetric_parameters())
    assert push.students.core_minutes_missed.sum() > 0
    assert _differences(push, pull) == []


@pytest.mark.parametrize("name", sorted(set(symmetric_parameters()) - STAFF_ONLY))
def test_each_row_alone_separates_the_settings(symmetric_school, name):
    values = symmetric_parameters()
    spec = PARAMETERS[name]
    other = next(v for v in (spec.default, spec.high, spec.low) if v != values[name])
    values[name] = other
    push, pull = _pair(symmetric_school, values)
    assert _differences(push, pull), f"{name} = {other} did not separate the settings"


def test_every_table_row_names_real_parameters():
    for row in ASYMMETRIES:
        assert row.symmetric and set(row.symmetric) <= set(PARAMETERS), row.mechanism
        assert row.basis in {"sourced", "symmetric default", "physical"}
