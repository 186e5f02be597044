"""Outcomes: weekly time series, end-of-run summaries and tidy tables.

`collect` turns a finished (or paused) model into a `RunResult` of plain pandas tables, which is
what the store, the analysis, the plots and the dashboard consume. `METRICS` describes every
summary outcome once (label, unit, which direction is better) so every table and figure labels
it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from inclusion_sim.school.world import SERVICES

if TYPE_CHECKING:
    from inclusion_sim.model.school_model import SchoolModel


@dataclass(frozen=True)
class Metric:
    """How to present one summary outcome."""

    label: str
    unit: str
    better: str  # "higher", "lower" or "neither"


#: Summary outcomes of a run, in display order.
METRICS: dict[str, Metric] = {
    "iep_carryover": Metric("Classroom use of IEP skills (carry-over)", "0-1 scale", "higher"),
    "iep_mastery": Metric("Mastery of IEP goals", "0-1 scale", "higher"),
    "iep_academic_growth_sd": Metric("Academic growth, students with IEPs", "SD", "higher"),
    "peer_academic_growth_sd": Metric("Academic growth, classmates without IEPs", "SD", "higher"),
    "peer_spillover_sd": Metric("Spill-over gain to classmates", "SD", "higher"),
    "iep_core_hours_missed": Metric("Core instruction missed per student with an IEP", "hours",
                                    "lower"),
    "iep_stigma": Metric("Felt stigma, students with IEPs", "0-1 scale", "lower"),
    "iep_belonging": Metric("Belonging, students with IEPs", "0-1 scale", "higher"),
    "wasted_minutes_per_iep_student": Metric("Session minutes lost to refusals and absences",
                                             "minutes per student", "lower"),
    "teacher_strategy_use": Metric("Teachers' use of therapy strategies", "0-1 scale", "higher"),
    "mandate_compliance": Metric("Mandated minutes delivered", "share", "higher"),
    "unmet_minutes_per_week": Metric("Mandated minutes that could not be scheduled",
                                     "minutes per week", "lower"),
    "therapist_direct_hours": Metric("Therapist time in sessions", "hours", "neither"),
    "therapist_travel_hours": Metric("Therapist travel between classrooms", "hours", "lower"),
    "coordination_hours": Metric("Co-planning time (therapists and teachers)", "hours", "lower"),
    "cost_usd": Metric("Staff cost of services and co-planning", "USD", "lower"),
}

SUMMARY_METRICS: tuple[str, ...] = tuple(METRICS)


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")


def _needed_mean(matrix: np.ndarray, need: np.ndarray) -> float:
    return float(matrix[need].mean()) if need.any() else float("nan")


def weekly_row(model: SchoolModel) -> dict[str, float]:
    """The school-level numbers recorded at the end of each week (week 0 = the start)."""
    st, iep = model.state, model.iep
    peers = ~st.has_iep
    mandated = st.mandated.sum()
    return {
        "week": float(model.week),
        "iep_mastery": _needed_mean(st.mastery, st.need),
        "iep_carryover": _needed_mean(st.carryover, st.need),
        "iep_academic_growth_sd": _mean(st.academic_growth[iep]),
        "peer_academic_growth_sd": _mean(st.academic_growth[peers]),
        "iep_core_hours_missed": _mean(st.core_missed[iep]) / 60.0,
        "iep_stigma": _mean(st.stigma[iep]),
        "iep_belonging": _mean(st.belonging[iep]),
        "teacher_strategy_knowledge": _needed_mean(model.teacher_state.knowledge,
                                                   model.class_needs),
        "teacher_strategy_use": _needed_mean(model.teacher_state.use, model.class_needs),
        "delivered_hours": float(st.delivered.sum()) / 60.0,
        "wasted_hours": float(st.wasted.sum() + st.absent.sum()) / 60.0,
        "mandate_compliance": float(st.delivered.sum() / mandated) if mandated else float("nan"),
    }


def student_snapshot(model: SchoolModel) -> dict[str, np.ndarray]:
    """Per-student numbers for students with IEPs, kept weekly for following one student."""
    st, iep = model.state, model.iep
    need = st.need[iep]
    counts = np.maximum(need.sum(axis=1), 1)
    return {
        "mastery": (st.mastery[iep] * need).sum(axis=1) / counts,
        "carryover": (st.carryover[iep] * need).sum(axis=1) / counts,
        "academic_growth": st.academic_growth[iep].copy(),
        "core_hours_missed": st.core_missed[iep] / 60.0,
        "stigma": st.stigma[iep].copy(),
        "belonging": st.belonging[iep].copy(),
    }


@dataclass
class RunResult:
    """Everything one run produced, as tables.

    Attributes:
        summary: End-of-run outcomes by name (see `METRICS`).
        weekly: One row per week (week 0 is the start).
        students: One row per student.
        services: One row per student and mandated service: the minutes ledger and skills.
        therapists: One row per therapist: minutes and cost.
        unmet: One row per student, service and reason with unscheduled weekly minutes.
        meta: Seed, policy and scenario information.
    """

    summary: dict[str, float]
    weekly: pd.DataFrame
    students: pd.DataFrame
    services: pd.DataFrame
    therapists: pd.DataFrame
    unmet: pd.DataFrame
    meta: dict[str, object] = field(default_factory=dict)

    def summary_frame(self) -> pd.DataFrame:
        """The summary as a one-row DataFrame."""
        return pd.DataFrame([{**self.meta, **self.summary}])

    def write(self, directory: str | Path, formats: tuple[str, ...] = ("parquet", "csv")) -> Path:
        """Write every table as Parquet and/or CSV into `directory`."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        tables = {"summary": self.summary_frame(), "weekly": self.weekly,
                  "students": self.students, "services": self.services,
                  "therapists": self.therapists, "unmet": self.unmet}
        for name, table in tables.items():
            if "parquet" in formats:
                table.to_parquet(out / f"{name}.parquet", index=False)
            if "csv" in formats:
                table.to_csv(out / f"{name}.csv", index=False)
        return out


def collect(model: SchoolModel) -> RunResult:
    """Summarise a model's state into a `RunResult`."""
    st, school, p = model.state, model.school, model.params
    iep = model.iep
    peers = ~st.has_iep
    n_iep = max(len(iep), 1)
    minutes = model.therapist_minutes
    therapists = pd.DataFrame({
        "therapist_id": [t.id for t in school.therapists],
        "discipline": [t.discipline for t in school.therapists],
        "employment": [t.employment for t in school.therapists],
        "contracted_minutes_per_week": [t.minutes_per_week for t in school.therapists],
        "direct_minutes": minutes["direct"],
        "travel_minutes": minutes["travel"],
        "coplanning_minutes": minutes["coplanning"],
        "utilization": [load.utilization for load in model.schedule.load],
    })
    hourly = np.where(therapists["employment"] == "agency", p.agency_therapist_cost,
                      p.school_therapist_cost)
    therapist_hours = (therapists["direct_minutes"] + therapists["travel_minutes"]
                       + therapists["coplanning_minutes"]) / 60.0
    therapists["cost_usd"] = therapist_hours * hourly
    teacher_coplanning_hours = float(model.teacher_state.coplanning.sum()) / 60.0
    mandated = st.mandated.sum()
    summary = {
        "iep_carryover": _needed_mean(st.carryover, st.need),
        "iep_mastery": _needed_mean(st.mastery, st.need),
        "iep_academic_growth_sd": _mean(st.academic_growth[iep]),
        "peer_academic_growth_sd": _mean(st.academic_growth[peers]),
        "peer_spillover_sd": _mean(st.spillover_growth[peers]),
        "iep_core_hours_missed": _mean(st.core_missed[iep]) / 60.0,
        "iep_stigma": _mean(st.stigma[iep]),
        "iep_belonging": _mean(st.belonging[iep]),
        "wasted_minutes_per_iep_student": float(st.wasted.sum() + st.absent.sum()) / n_iep,
        "teacher_strategy_use": _needed_mean(model.teacher_state.use, model.class_needs),
        "mandate_compliance": float(st.delivered.sum() / mandated) if mandated else float("nan"),
        "unmet_minutes_per_week": float(model.schedule.unmet_minutes()),
        "therapist_direct_hours": float(minutes["direct"].sum()) / 60.0,
        "therapist_travel_hours": float(minutes["travel"].sum()) / 60.0,
        "coordination_hours": float(minutes["coplanning"].sum()) / 60.0 + teacher_coplanning_hours,
        "cost_usd": float(therapists["cost_usd"].sum()) + teacher_coplanning_hours * p.teacher_cost,
    }
    students = pd.DataFrame({
        "student_id": [s.id for s in school.students],
        "class_id": [s.class_id for s in school.students],
        "grade": st.grade,
        "has_iep": st.has_iep,
        "baseline_sd": st.baseline,
        "academic_growth_sd": st.academic_growth,
        "spillover_sd": st.spillover_growth,
        "core_minutes_missed": st.core_missed,
        "other_minutes_missed": st.other_missed,
        "backlog_minutes": st.backlog,
        "stigma": st.stigma,
        "belonging": st.belonging,
        "engagement": st.engagement,
        "refusals": st.refusals,
    })
    rows = []
    for i, rec in enumerate(school.students):
        for m in rec.mandates:
            d = SERVICES.index(m.service)
            rows.append((rec.id, m.service, st.mandated[i, d], st.scheduled[i, d],
                         st.delivered[i, d], st.wasted[i, d], st.absent[i, d], st.practice[i, d],
                         st.mastery[i, d], st.carryover[i, d]))
    services = pd.DataFrame(rows, columns=[
        "student_id", "service", "mandated_minutes", "scheduled_minutes", "delivered_minutes",
        "wasted_minutes", "absent_minutes", "teacher_practice_minutes", "mastery", "carryover"])
    unmet = pd.DataFrame([u.__dict__ for u in model.schedule.unmet],
                         columns=["student_id", "service", "setting", "sessions", "minutes",
                                  "reason"])
    meta = {"seed": model.seed, "policy": model.policy.name, "weeks": model.week}
    return RunResult(summary, pd.DataFrame(model.weekly), students, services, therapists,
                     unmet, meta)
