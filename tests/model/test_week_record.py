"""The per-week session record: the very year the run had, session by session."""

import pytest
from test_makeup import policy_with

from inclusion_sim import SchoolModel
from inclusion_sim.analysis.week_record import session_record
from inclusion_sim.model.mechanisms.disruptions import CAUSES


@pytest.mark.parametrize("makeup", ["none", "same_week"])
def test_record_adds_up_to_the_years_ledger(small, makeup):
    """Every cancelled, refused and made-up session of the record is one the run booked."""
    model = SchoolModel.from_scenario(small, policy=policy_with(makeup, makeup=makeup), seed=5,
                                      weeks=3, scheduling="greedy", disruptions=True)
    year = model.run().year
    record = session_record(model)
    assert set(record["week"]) == {0, 1, 2}
    lost = record[record["status"] != "held"].groupby("cause").size()
    for cause in CAUSES:
        assert lost.get(cause, 0) == year[f"sessions_lost_{cause}"].sum(), cause
    made = record.loc[record["status"] == "made_up", "minutes"].sum()
    assert made == pytest.approx(year["made_up_minutes"].sum())
    assert (made > 0) == (makeup == "same_week")
    held = record["status"].isin(("held", "made_up"))
    assert record.loc[held, "minutes"].sum() >= year["delivered_minutes"].sum() - 1e-6
    # a session is cancelled for every cause the year has, and most sessions are held
    assert {"student_absent", "school_event"} <= set(record["cause"])
    assert 0.5 < (record["status"] == "held").mean() < 1.0
    # the record is the run's own year: built again, it is the same, row for row
    assert session_record(model).equals(record)
