"""With every mechanism that tells the settings apart switched off, pull-out and push-in give
the same student outcomes.

Session timing within the week differs between the two schedules, so the feedback of skills on
academic learning (``skill_gap_drag``) is set to 0 as well: it is not a setting difference, but
it would make growth depend on *when* in the week a session falls.
"""

import numpy as np

from inclusion_sim import SchoolModel

SETTING_NEUTRAL = frozenset({"teacher_practice"})


def test_symmetry(one_class_per_grade):
    models = {p: SchoolModel.from_scenario(one_class_per_grade, policy=p, seed=9,
                                           parameters={"skill_gap_drag": 0.0},
                                           mechanisms=SETTING_NEUTRAL)
              for p in ("pull_out", "push_in")}
    for model in models.values():
        assert model.schedule.unmet == []
    results = {p: m.run() for p, m in models.items()}
    a, b = results["pull_out"], results["push_in"]
    for column in ("academic_growth_sd", "core_minutes_missed", "stigma", "belonging"):
        np.testing.assert_allclose(a.students[column], b.students[column], rtol=1e-12, atol=1e-12)
    for column in ("delivered_minutes", "mastery", "carryover"):
        np.testing.assert_allclose(a.services[column], b.services[column], rtol=1e-12, atol=1e-12)


def test_symmetry_breaks_when_a_mechanism_is_on(one_class_per_grade):
    """The symmetry test is not vacuous: turning one mechanism back on separates the settings."""
    out = {}
    for p in ("pull_out", "push_in"):
        model = SchoolModel.from_scenario(one_class_per_grade, policy=p, seed=9,
                                          parameters={"skill_gap_drag": 0.0},
                                          mechanisms=SETTING_NEUTRAL | {"setting_efficacy"})
        out[p] = model.run().services["carryover"].to_numpy()
    assert not np.allclose(out["pull_out"], out["push_in"])
