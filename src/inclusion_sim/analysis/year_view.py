"""The year view of the staffing report: what a timetable delivers once the year happens.

The feasibility report answers "does the week fit?"; a school year answers "what do students
get?". For each policy this runs the school for a year on one seed, with the disruptions of the
school year switched on (student and therapist absences, events and testing days, heavy duty
weeks), and tabulates per policy the year's mandated, scheduled, delivered and made-up hours,
the sessions lost by cause, the share of students served in full, in part or not at all in a
month (the way districts report it), and the staff cost. The same seed gives every policy the
same absences and events, so the differences are the policies'.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from inclusion_sim import present
from inclusion_sim.analysis.feasibility_text import policy_name
from inclusion_sim.base.params import DISRUPTIONS, Params
from inclusion_sim.delivery.policies import Policy
from inclusion_sim.delivery.schedulers import SchedulingOptions
from inclusion_sim.model.mechanisms.disruptions import CAUSES
from inclusion_sim.model.run import run
from inclusion_sim.school.world import School

#: Rows of the year view, in order, with the words people read.
ROWS: dict[str, str] = {
    "mandated_hours": "Mandated hours (all students, the year)",
    "scheduled_hours": "Scheduled hours",
    "delivered_hours": "Delivered hours (make-ups included)",
    "made_up_hours": "Made-up hours",
    "cancelled_hours": "Hours cancelled by absences, events and duties",
    **{f"sessions_lost_{c}": f"Sessions lost: {c.replace('_', ' ')}" for c in CAUSES},
    "share_full_services": "Students served in full, monthly share",
    "share_partial_services": "Students served in part, monthly share",
    "share_no_services": "Students not served, monthly share",
    "cost_usd": "Staff cost",
}


def year_view(school: School, policies: Mapping[str, Policy], params: Params, seed: int,
              scheduling: SchedulingOptions, weeks: int = 36,
              disruptions: tuple[str, ...] = DISRUPTIONS) -> pd.DataFrame:
    """One row per policy: the year's minutes, losses by cause, services and cost.

    Args:
        school: The school.
        policies: The policies to run, by the name to show.
        params: Parameters (disruption rates among them).
        seed: The seed of every run (the same absences and events under every policy).
        scheduling: The scheduler's options.
        weeks: School weeks in the year.
        disruptions: The disruptions switched on (default: all).
    """
    rows = []
    for name, policy in policies.items():
        result = run(school=school, policy=policy, parameters=params.changed(), seed=seed,
                     weeks=weeks, scheduling=scheduling, disruptions=disruptions)
        year = result.year
        row = {"policy": name}
        for column in ("mandated", "scheduled", "delivered", "made_up", "cancelled"):
            row[f"{column}_hours"] = float(year[f"{column}_minutes"].sum()) / 60.0
        for cause in CAUSES:
            row[f"sessions_lost_{cause}"] = float(year[f"sessions_lost_{cause}"].sum())
        for key in ("share_full_services", "share_partial_services", "share_no_services"):
            row[key] = result.year_summary[key]
        row["cost_usd"] = result.summary["cost_usd"]
        rows.append(row)
    return pd.DataFrame(rows, columns=["policy", *ROWS])


def year_text(table: pd.DataFrame, weeks: int, disruptions: tuple[str, ...],
              changed: Mapping[str, float] | None = None) -> str:
    """The year view as a plain-text table, policies across by name, in 100 columns.

    Policies that do not fit beside each other continue in a second block below. When
    students refused sessions, a sentence below the table says how many under each policy and
    that the refusal rates are estimates: refusals can cost a policy much of its "served in
    full", on a number nobody has measured.

    Args:
        table: The year view (`year_view`).
        weeks: School weeks in the year.
        disruptions: The disruptions switched on.
        changed: Parameter values that differ from the defaults (the refusal rates among them).
    """
    names = {row.policy: policy_name(str(row.policy)) for row in table.itertuples()}
    shown = pd.DataFrame({names[row.policy]: [_fmt(key, getattr(row, key)) for key in ROWS]
                          for row in table.itertuples()}, index=list(ROWS.values()))
    on = ", ".join(d.replace("_", " ") for d in disruptions) or "none"
    label = max(len(text) for text in ROWS.values())
    blocks, block, used = [], [], label
    for column in shown.columns:
        width = max(len(column), *(len(v) for v in shown[column])) + 2
        if block and used + width > present.WIDTH:
            blocks.append(block)
            block, used = [], label
        block.append(column)
        used += width
    blocks.append(block)
    text = "\n\n".join(shown[block].to_string() for block in blocks if block)
    refusals = present.refusals_sentence(
        {names[row.policy]: row.sessions_lost_refusal for row in table.itertuples()},
        "sessions in the year, all students", values=changed)
    return (present.wrap(f"The year ({weeks} weeks, one seed; disruptions: {on}):", hang="")
            + "\n" + text + ("\n\n" + present.wrap(refusals, hang="") if refusals else ""))


def _fmt(key: str, value: float) -> str:
    if key == "cost_usd":
        return present.money(value)  # a simulated cost is not known to the dollar
    if key.startswith("share_"):
        return f"{value:.0%}"
    if key.startswith("sessions_"):
        return f"{value:,.0f}"
    return f"{value:,.0f}"
