"""Exported tables: machine-readable columns, sensible precision and a data dictionary.

A CSV keeps its identifiers (``iep_core_hours_missed``, ``push_in``) so scripts and
spreadsheets can use it, and ships ``data_dictionary.csv`` next to it saying what each column
is, in which unit, in plain words. Floats are written with the precision they carry (six
significant digits, never an exponent or fifteen digits of simulation noise); Parquet files
keep full precision for anyone who needs it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.model.outcomes import ALL_METRICS as METRICS

#: Significant digits kept in exported CSV floats.
CSV_DIGITS = 6

#: Columns that are not outcomes or parameters: (label, unit, description).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "policy": ("Policy", "", "The delivery policy's identifier (e.g. pull_out, push_in)."),
    "policy_label": ("Policy (name)", "", "The delivery policy's plain name."),
    "baseline": ("Baseline policy", "", "The policy the others are compared with."),
    "reference": ("Reference policy", "", "The policy the others are compared with."),
    "replicate": ("Replicate", "number", "Replicate number; replicate k uses the same seed "
                  "under every policy, so results are paired."),
    "seed": ("Seed", "", "The random seed of the run."),
    "week": ("School week", "week", "Week of the school year (0 = the start)."),
    "school_week": ("School week", "week", "Week of the school year the make-up was held in "
                    "(1 = the first week)."),
    "day": ("Day", "", "Day of the week."),
    "period": ("Period", "number", "Period of the school day (1 = the first)."),
    "replaces_day": ("Day of the lost session", "", "Day the session made up had in the "
                     "weekly timetable."),
    "replaces_period": ("Period of the lost session", "number", "Period the session made up "
                        "had in the weekly timetable."),
    "kind": ("Kind of make-up", "", "'same week': later in the week the session was lost; "
             "'make-up week': in the indirect week of the 3:1 model, at the session's period."),
    "held": ("Held", "true/false", "False where the student refused the make-up session."),
    "made_up_refused_minutes": ("Make-up minutes refused", "minutes", "Minutes of make-up "
                                "sessions the student refused (the session they replaced is "
                                "already counted as lost)."),
    "metric": ("Outcome", "", "The outcome's identifier; its label and unit are in this "
               "dictionary."),
    "baseline_mean": ("Baseline mean", "the outcome's unit", "Mean of the outcome under the "
                      "baseline policy, over the paired replicates."),
    "reference_mean": ("Reference mean", "the outcome's unit", "Mean of the outcome under the "
                       "reference policy."),
    "policy_mean": ("Policy mean", "the outcome's unit", "Mean of the outcome under the policy, "
                    "over the paired replicates."),
    "difference": ("Difference from the baseline", "the outcome's unit",
                   "Mean paired difference, policy minus baseline."),
    "ci_low": ("95% interval, low end", "the outcome's unit", "Lower end of the 95% confidence "
               "interval of the difference."),
    "ci_high": ("95% interval, high end", "the outcome's unit", "Upper end of the 95% confidence "
                "interval of the difference."),
    "replicates": ("Paired replicates", "number", "Replicates the difference is computed from."),
    "n_pairs": ("Paired runs", "number", "Runs the difference is computed from."),
    "scheduled_minutes_per_week": ("Scheduled minutes a week", "minutes per week",
                                   "Weekly therapy minutes the timetable schedules, summed over "
                                   "students (mean over replicates)."),
    "delivered_minutes_per_week": ("Delivered minutes a week", "minutes per week",
                                   "Weekly therapy minutes delivered after refusals and "
                                   "absences, summed over students."),
    "withheld_minutes_per_week": ("Withheld minutes a week", "minutes per week",
                                  "Minutes held back to give every policy the same dose (0 "
                                  "unless compared at equal dose)."),
    "unmet_by_schedule_minutes_per_week": ("Minutes the timetable could not fit",
                                           "minutes per week", "Mandated minutes a week with no "
                                           "place in the timetable."),
    "largest_gap_minutes_per_week": ("Largest dose gap", "minutes per week",
                                     "Largest difference from the baseline in one student's "
                                     "weekly minutes of one service."),
    "student_id": ("Student", "", "The student's identifier."),
    "class_id": ("Class", "", "The class's identifier."),
    "grade": ("Grade", "", "Grade: -1 pre-kindergarten, 0 kindergarten, 1 to 12."),
    "has_iep": ("Has an IEP", "true/false", "Whether the student has an IEP."),
    "baseline_sd": ("Starting achievement", "SD", "Achievement at the start of the year, "
                    "relative to the grade's average."),
    "academic_growth_sd": ("Academic growth", "SD", "Academic growth over the run."),
    "spillover_sd": ("Gain from a second adult or a smaller class", "SD",
                     "Growth from a pushed-in therapist or a smaller class."),
    "core_minutes_missed": ("Core instruction missed", "minutes", "Minutes of core lessons "
                            "missed in the run."),
    "other_minutes_missed": ("Non-core lessons missed", "minutes", "Minutes of specials, lunch "
                             "and recess missed in the run."),
    "backlog_minutes": ("Missed material not yet caught up", "minutes", "Core minutes missed "
                        "and not yet caught up at the end of the run."),
    "stigma": ("Felt stigma", "0-1 scale", "Felt stigma at the end of the run."),
    "belonging": ("Belonging", "0-1 scale", "Belonging at the end of the run."),
    "engagement": ("Engagement", "0-1 scale", "Engagement at the end of the run."),
    "refusals": ("Sessions refused", "sessions", "Sessions the student refused in the run."),
    "service": ("Service", "", "Related service: speech, ot, pt, counseling or setss."),
    "mandated_minutes": ("Mandated minutes", "minutes", "Minutes the IEP mandates over the run."),
    "scheduled_minutes": ("Scheduled minutes", "minutes", "Minutes the timetable schedules over "
                          "the run."),
    "delivered_minutes": ("Delivered minutes", "minutes", "Minutes delivered over the run."),
    "wasted_minutes": ("Minutes lost to refusals", "minutes", "Session minutes lost to "
                       "refusals."),
    "absent_minutes": ("Minutes lost to absences", "minutes", "Session minutes lost to "
                       "absences."),
    "teacher_practice_minutes": ("Teacher practice", "minutes", "Minutes the class teacher "
                                 "practised the skill in lessons."),
    "mastery": ("Mastery of the IEP goal", "0-1 scale", "Goal mastery at the end of the run."),
    "carryover": ("Classroom use of the skill", "0-1 scale", "Use of the skill in class at the "
                  "end of the run."),
    "generalization": ("Generalization", "share", "Carry-over ÷ mastery."),
    "therapist_id": ("Therapist", "", "The therapist's identifier."),
    "discipline": ("Discipline", "", "The therapist's service."),
    "employment": ("Employment", "", "School-employed or agency."),
    "contracted_minutes_per_week": ("Contracted time", "minutes per week",
                                    "The therapist's contracted weekly minutes at the school."),
    "direct_minutes": ("Time in sessions", "minutes", "Minutes in sessions over the run."),
    "travel_minutes": ("Travel between rooms", "minutes", "Minutes moving between classrooms."),
    "coplanning_minutes": ("Co-planning", "minutes", "Minutes co-planning with teachers."),
    "consultation_minutes": ("Consultation", "minutes", "Minutes consulting teachers."),
    "utilization": ("Share of contracted time used", "share", "Direct, travel, co-planning and "
                    "consultation time ÷ contracted time."),
    "setting": ("Setting", "", "Where the session would have happened."),
    "sessions": ("Sessions", "sessions", "Number of sessions."),
    "minutes": ("Minutes", "minutes", "Minutes concerned."),
    "reason": ("Reason", "", "Why the minutes were not scheduled."),
    "teacher_strategy_knowledge": ("Teachers' knowledge of therapy strategies", "0-1 scale",
                                   "Mean over teachers and services where practice is "
                                   "possible."),
    "delivered_hours": ("Therapy delivered", "hours", "Session hours delivered, summed over "
                        "students, that week."),
    "wasted_hours": ("Therapy lost", "hours", "Session hours lost to refusals and absences."),
    "scope": ("Scope", "", "'overall' (every design point) or 'point' (one design point)."),
    "point": ("Design point", "number", "The design point's number (-1 for overall rows)."),
    "target": ("Target", "", "A policy's outcome, or the difference between two policies "
               "('push_in - pull_out')."),
    "parameter": ("Parameter", "", "The parameter's identifier; its label is in the parameter "
                  "reference."),
    "method": ("Method", "", "Sensitivity method: sobol or morris."),
    "index": ("Index", "", "S1 (first order), ST (total), mu_star or sigma (Morris)."),
    "value": ("Index value", "share of variance (Sobol) or outcome units (Morris)",
              "The sensitivity index."),
    "conf": ("95% half-width", "as the index", "Bootstrap 95% half-width of the index."),
    "flag": ("Flag", "", "Why the index should not be read as an effect (empty when it can)."),
}


def describe_column(column: str) -> tuple[str, str, str]:
    """A column's (label, unit, description): known columns, outcomes, then parameters.

    A column no table knows is described by its name made readable, with no unit, so a
    dictionary never silently leaves a column out.
    """
    if column in COLUMNS:
        return COLUMNS[column]
    if column in METRICS:
        info = METRICS[column]
        return info.label, info.unit, info.doc or info.label + "."
    if column in PARAMETERS:
        p = PARAMETERS[column]
        return p.label, p.unit, p.doc
    text = column.replace("_", " ").strip()
    return text[:1].upper() + text[1:], "", ""


def data_dictionary(tables: Mapping[str, Iterable[str]],
                    overrides: Mapping[str, tuple[str, str, str]] | None = None) -> pd.DataFrame:
    """One row per (file, column): label, unit and description.

    Args:
        tables: File name -> its columns (e.g. ``{"runs.csv": frame.columns}``).
        overrides: Column -> (label, unit, description) for tables whose columns mean something
            other than a run's columns of the same name (the feasibility report's are weekly).
    """
    overrides = overrides or {}
    rows = []
    for file, columns in tables.items():
        for column in columns:
            label, unit, description = overrides.get(str(column)) or describe_column(str(column))
            rows.append({"file": file, "column": column, "label": label, "unit": unit,
                         "description": description})
    return pd.DataFrame(rows, columns=["file", "column", "label", "unit", "description"])


def _round_significant(values: np.ndarray, digits: int) -> np.ndarray:
    finite = np.isfinite(values) & (values != 0)
    out = values.copy()
    magnitude = np.floor(np.log10(np.abs(values[finite])))
    scale = 10.0 ** (digits - 1 - magnitude)
    out[finite] = np.round(values[finite] * scale) / scale
    return out


def tidy_floats(frame: pd.DataFrame, digits: int = CSV_DIGITS) -> pd.DataFrame:
    """A copy with float columns rounded to ``digits`` significant digits (for CSV export)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = _round_significant(out[column].to_numpy(float), digits)
    return out


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return ""
    return np.format_float_positional(value, trim="-")


def csv_text(frame: pd.DataFrame, digits: int = CSV_DIGITS) -> str:
    """A table as CSV text: floats at ``digits`` significant digits, never in exponent form."""
    tidy = tidy_floats(frame, digits)
    for column in tidy.columns:
        if pd.api.types.is_float_dtype(tidy[column]):
            tidy[column] = [_float_text(v) for v in tidy[column].to_numpy(float)]
    return tidy.to_csv(index=False)


def write_tables(directory: str | Path, tables: Mapping[str, pd.DataFrame], *,
                 parquet: bool = True, dictionary: str = "data_dictionary.csv") -> list[Path]:
    """Write tables as CSV (and Parquet) with a data dictionary next to them.

    Args:
        directory: Folder to write into (created if needed).
        tables: Name (without extension) -> table.
        parquet: Also write each table as Parquet at full precision.
        dictionary: File name of the data dictionary ("" for none).

    Returns:
        The CSV paths written, the dictionary last.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        if parquet:
            table.to_parquet(out / f"{name}.parquet", index=False)
        path = out / f"{name}.csv"
        path.write_text(csv_text(table), encoding="utf-8")
        paths.append(path)
    if dictionary:
        path = out / dictionary
        path.write_text(csv_text(data_dictionary(
            {f"{name}.csv": table.columns for name, table in tables.items()})), encoding="utf-8")
        paths.append(path)
    return paths
