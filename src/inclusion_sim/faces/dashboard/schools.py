"""Schools the dashboard can offer, and the summary an administrator sees first.

A *school choice* is either a ready scenario (``scenarios/*.toml``), a ready folder of the three
CSV files (``scenarios/schools/<name>/``), or the files a user uploaded. All three end up as the
arguments `inclusion_sim.SchoolModel` takes, so the rest of the dashboard does not care where a
school came from.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inclusion_sim.base.params import Params
from inclusion_sim.delivery.policies import POLICY_PRESETS, Policy
from inclusion_sim.delivery.schedulers import SchedulingOptions, make_schedule
from inclusion_sim.delivery.scheduling import WeeklySchedule
from inclusion_sim.school.csv_loader import (
    SCHOOL_FILES,
    load_school_folder,
    school_name_from_folder,
)
from inclusion_sim.school.world import SERVICE_LABELS, SERVICES, School

#: Environment variable naming a folder of ready scenarios and schools.
SCENARIOS_ENV = "INCLUSION_SIM_SCENARIOS"


@dataclass
class SchoolChoice:
    """A school the user picked, ready to simulate.

    Attributes:
        key: A stable identifier (the file or folder name, or ``upload``).
        label: What the user sees.
        school: The school as plain data (for a scenario, the roster drawn with its seed).
        scenario: The loaded scenario, when the choice is one; None for CSV folders and uploads.
        note: One line on where the school comes from.
    """

    key: str
    label: str
    school: School
    scenario: Any = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)



def scenario_dirs() -> list[Path]:
    """Folders searched for ready scenarios, most specific first."""
    candidates = []
    if os.environ.get(SCENARIOS_ENV):
        candidates.append(Path(os.environ[SCENARIOS_ENV]))
    candidates.append(Path.cwd() / "scenarios")
    candidates.append(Path(__file__).resolve().parents[3] / "scenarios")
    candidates.append(Path(__file__).resolve().parents[1] / "data" / "scenarios")
    seen, out = set(), []
    for c in candidates:
        resolved = c.resolve()
        if resolved.is_dir() and resolved not in seen:
            seen.add(resolved)
            out.append(resolved)
    return out


def _title(stem: str) -> str:
    return stem.replace("_", " ").replace("-", " ").strip().capitalize()


def _scenario_label(path: Path, text: str) -> str:
    """The school's name as its scenario file gives it (``[scenario] name``).

    The file's name ("k8_school") is only the fallback, for a file without a name or one that
    is not valid TOML (loading it then reports the problem).
    """
    import tomllib

    try:
        name = tomllib.loads(text).get("scenario", {}).get("name")
    except (tomllib.TOMLDecodeError, AttributeError):
        name = None
    return " ".join(name.split()) if isinstance(name, str) and name.strip() else _title(path.stem)


def _unique(label: str, key: str, taken: set[str]) -> str:
    """The label, told apart by its key when another ready school already has it."""
    return label if label not in taken else f"{label} ({key})"


def list_ready() -> dict[str, tuple[str, Path]]:
    """Ready schools: key -> (label, path). Scenario files first, then CSV folders.

    A scenario is labelled with its school's name (``[scenario] name``), a folder of school
    files with a readable form of its name; the drop-down shows these labels, never file names.
    """
    found: dict[str, tuple[str, Path]] = {}
    for base in scenario_dirs():
        texts = []
        for path in sorted(base.glob("*.toml")):
            text = path.read_text(encoding="utf-8", errors="ignore")
            texts.append(text)
            if path.stem not in found:
                taken = {label for label, _ in found.values()}
                found[path.stem] = (_unique(_scenario_label(path, text), path.stem, taken), path)
        schools = base / "schools"
        if schools.is_dir():
            for folder in sorted(p for p in schools.iterdir() if p.is_dir()):
                # A folder a scenario already uses is offered through that scenario.
                if any(f"schools/{folder.name}" in text for text in texts):
                    continue
                key = f"schools/{folder.name}"
                if key not in found and all((folder / f).is_file() for f in SCHOOL_FILES):
                    taken = {label for label, _ in found.values()}
                    label = f"{school_name_from_folder(folder)} (school files)"
                    found[key] = (_unique(label, folder.name, taken), folder)
    return found


def load_ready(key: str) -> SchoolChoice:
    """Load one ready school by key (see `list_ready`).

    Raises:
        InputError: When the scenario or the files are invalid.
        KeyError: When no ready school has this key.
    """
    label, path = list_ready()[key]
    if path.suffix == ".toml":
        from inclusion_sim.scenario.files import load_scenario

        scenario = load_scenario(path)
        school = scenario.school_for_seed(int(scenario.seed))
        title = getattr(scenario, "name", "") or label
        description = getattr(scenario, "description", "") or ""
        return SchoolChoice(key, str(title), school, scenario, str(description).strip())
    school = load_school_folder(path, name=school_name_from_folder(path))
    return SchoolChoice(key, label, school, None, f"School files in {path.name}/")


def master_schedule_labels(choice: SchoolChoice) -> dict[str, str]:
    """The two master-schedule choices the School page offers for this school, as worded there.

    ``realistic`` is the staggered layout; ``aligned`` is the old generated layout, or, for a
    school from CSV files, the school's own timetable.
    """
    if choice.scenario is not None and choice.scenario.spec.school.data is None:
        return {"realistic": "Staggered by grade: core blocks, specials, lunch waves",
                "aligned": "Reading and math at the same times in every class"}
    return {"aligned": "Your school's own timetable",
            "realistic": "Laid out anew, staggered by grade (a what-if)"}


def with_master_schedule(choice: SchoolChoice, layout: str) -> SchoolChoice:
    """The same school with its lessons laid out as `layout` (``realistic`` or ``aligned``).

    A generated school is rebuilt from its scenario with the other layout (same students and
    staff). A school from CSV files keeps its own timetable for ``aligned``; ``realistic`` lays
    its classes' lessons out anew as a what-if ("would a staggered schedule help?").
    """
    from dataclasses import replace

    from inclusion_sim.experiments.knobs import MASTER_SCHEDULES
    from inclusion_sim.school.master_schedule import restaggered

    if choice.scenario is not None and choice.scenario.spec.school.data is None:

        scenario = choice.scenario.with_master_schedule(
            MASTER_SCHEDULES[1 if layout == "realistic" else 0])
        school = scenario.school_for_seed(int(scenario.seed))
        return replace(choice, school=school, scenario=scenario)
    original = choice.extra.get("original_school", choice.school)
    school = (restaggered(original) or original) if layout == "realistic" else original
    return replace(choice, school=school, extra={**choice.extra, "original_school": original})


#: The School page's middle-bell choices, as worded there (`with_middle_bell`).
MIDDLE_BELL_LABELS: dict[str, str] = {
    "own": "Grades 6-8 ring their own bell (other times than the elementary grades)",
    "shared": "One bell for every grade",
}


def middle_bell_of(choice: SchoolChoice) -> str | None:
    """The generated school's middle-bell lever, ``own`` or ``shared``.

    None when the lever has no effect here: a school from CSV files (one bell, as the school
    gives it), or no middle grades beside elementary ones.
    """
    from dataclasses import replace

    if choice.scenario is None or choice.scenario.spec.school.data is not None:
        return None
    settings = choice.scenario.school_settings()
    if not replace(settings.master_schedule, middle_bell="own").middle_grades(
            settings.grades):
        return None
    return settings.master_schedule.middle_bell


def with_middle_bell(choice: SchoolChoice, middle_bell: str) -> SchoolChoice:
    """The same generated school with its middle grades on their own bell or the shared one.

    Same students, staff and lessons; only the middle grades' period times and lengths change.
    """
    from dataclasses import replace

    scenario = choice.scenario.with_changes({"school.master_schedule.middle_bell": middle_bell})
    return replace(choice, school=scenario.school_for_seed(int(scenario.seed)), scenario=scenario)


def master_schedule_of(choice: SchoolChoice) -> str:
    """Which layout (``realistic`` or ``aligned``) the chosen school has now."""
    if choice.scenario is not None and choice.scenario.spec.school.data is None:
        staggered = choice.scenario.spec.school.master_schedule.core_blocks == "staggered"
        return "realistic" if staggered else "aligned"
    return "realistic" if "original_school" in choice.extra and \
        choice.school is not choice.extra["original_school"] else "aligned"


# --------------------------------------------------------------------------- summaries


def students_by_service(school: School) -> pd.DataFrame:
    """One row per service: students mandated, weekly sessions and hours (as people plan)."""
    rows = []
    for service in SERVICES:
        mandates = [m for s in school.students for m in s.mandates if m.service == service]
        rows.append({
            "Service": SERVICE_LABELS[service],
            "Students": len(mandates),
            "Sessions a week": sum(m.sessions_per_week for m in mandates),
            "Mandated hours a week": round(sum(m.weekly_minutes for m in mandates) / 60, 1),
        })  # fmt: skip
    return pd.DataFrame(rows)


def capacity_table(school: School, schedule: WeeklySchedule) -> pd.DataFrame:
    """Therapist time a real timetable needs against time contracted, per service.

    Comparing students' mandated minutes with therapists' minutes would ignore that one session
    serves a whole group, and that travel and co-planning also take therapist time. So the
    page schedules the week (pull-out, the simplest policy, with the optimizing scheduler) and
    compares the therapist time that timetable uses with the time contracted, next to the
    mandated minutes it cannot fit.
    """
    capacity = school.therapist_minutes_by_service()
    mandated = school.mandated_minutes_by_service()
    unmet = dict.fromkeys(SERVICES, 0)
    for u in schedule.unmet:
        unmet[u.service] += u.minutes
    rows = []
    for service in SERVICES:
        loads = [load for load in schedule.load if load.discipline == service]
        used, have = sum(load.used for load in loads), capacity[service]
        rows.append({
            "Service": SERVICE_LABELS[service],
            "service": service,
            "Therapists": len(loads),
            "Mandated hours a week": mandated[service] / 60,
            "Therapist hours a week": have / 60,
            "Hours the timetable uses": used / 60,
            "Unmet minutes a week": unmet[service],
            "Used / contracted": (used / have) if have else (np.inf if mandated[service] else 0.0),
        })  # fmt: skip
    return pd.DataFrame(rows)


def capacity_schedule(school: School) -> WeeklySchedule:
    """The pull-out week the School page's capacity is read from (optimized, cached)."""
    return make_schedule(school, POLICY_PRESETS["pull_out"], Params(), np.random.default_rng(0),
                         SchedulingOptions())


#: What a staffing check depends on besides the school: each policy's key and what it was.
CheckedPolicies = tuple[tuple[str, str], ...]


def checked_policies(policies: list[tuple[str, str, Policy]]) -> CheckedPolicies:
    """Each policy of a staffing check as it was checked, to tell later whether it changed.

    A policy is kept as its full description (every service's delivery model and settings),
    so a change to any of them, not only to the policy's name, counts.
    """
    return tuple((key, repr(policy)) for key, _, policy in policies)


def changed_since_check(checked: CheckedPolicies,
                        now: list[tuple[str, str, Policy]]) -> list[str]:
    """The labels of the checked policies that are no longer what the check scheduled.

    "Your plan" is edited on the Policy page after a check; the check's numbers are then for a
    plan that no longer exists, and the School page must say so (see `checked_policies`).

    Args:
        checked: The policies as checked (`checked_policies`).
        now: The same policies, by key, as they are now: (key, label, policy).
    """
    then = dict(checked)
    return [label for key, label, policy in now if then.get(key) != repr(policy)]


def staffing_check(choice: SchoolChoice, policies: list[tuple[str, str, Policy]],
                   on_progress: Callable[[int, int, str], None] | None = None,
                   should_stop: Callable[[], bool] | None = None) -> pd.DataFrame | None:
    """What the therapists can deliver under each policy, and what it would take to do more.

    The dashboard's view of `inclusion_sim.analysis.feasibility.feasibility_report` (without
    naming a fix for each unmet session, which re-solves the week once per change tried): per
    policy, the share of mandated minutes the optimizer schedules, the most any timetable under
    the policy's rules can schedule (its proven bound), what the quick greedy scheduler manages,
    and the fewest extra therapist hours a week that meet what more staff can meet. Scheduled as
    `inclusion-sim feasibility` schedules it: the scenario's parameters, scheduling settings and
    seed (1 for an uploaded school).

    Args:
        choice: The school.
        policies: (key, label, policy) of each policy to check.
        on_progress: Called with (done, total, label of the policy now scheduled) before each
            policy, and with (total, total, "") at the end.
        should_stop: Polled between policies; True abandons the check (returns None).
    """
    from inclusion_sim import present
    from inclusion_sim.analysis.feasibility import feasibility_report

    scenario = choice.scenario
    params = scenario.params() if scenario is not None else Params()
    scheduling = scenario.scheduling() if scenario is not None else SchedulingOptions()
    seed = int(scenario.seed) if scenario is not None else 1
    rows = []
    for n, (key, label, policy) in enumerate(policies):
        if should_stop is not None and should_stop():
            return None
        if on_progress is not None:
            on_progress(n, len(policies), label)
        report = feasibility_report(choice.school, {key: policy}, params, seed, scheduling,
                                    explain=False)
        r = report.summary().iloc[0]
        rows.append({
            "Policy": label,
            "Minutes a week scheduled": f"{present.number(r['scheduled_minutes'])} of "
                                        f"{present.number(r['mandated_minutes'])}",
            "Share scheduled": present.percent(r["met_percent"] / 100, 1),
            "Most any timetable could": present.percent(r["bound_percent"] / 100, 1),
            "Quick greedy timetable": present.percent(r["greedy_met_percent"] / 100, 1),
            "Students served in full": f"{r['students_fully_served']:,} of "
                                       f"{r['students_with_mandates']:,}",
            "Extra therapist hours a week": _extra_words(report.extra),
            "Minutes more staff cannot fix": present.number(
                r["unmet_minutes_staffing_cannot_fix"]),
        })
    if on_progress is not None:
        on_progress(len(policies), len(policies), "")
    return pd.DataFrame(rows)


def _extra_words(extra: pd.DataFrame) -> str:
    """Extra therapist time in words: "22.75 (2 therapists): Speech 6.75, OT 8.75, ..."."""
    from inclusion_sim import present

    extra = extra[extra["extra_minutes"] > 0]
    if extra.empty:
        return "none"
    people = int(extra["extra_therapists"].sum())
    each = ", ".join(f"{present.service_label(e.discipline, short=True)} "
                     f"{present.hours(e.extra_minutes)}" for e in extra.itertuples())
    if len(extra) == 1:
        return f"{each} ({present.counted(str(people), 'therapist')})"
    return (f"{present.hours(extra['extra_minutes'].sum())} "
            f"({present.counted(str(people), 'therapist')}): {each}")


def therapist_table(school: School) -> pd.DataFrame:
    """One row per therapist, as the school described them."""
    days = "Mon Tue Wed Thu Fri".split()
    return pd.DataFrame([
        {
            "Therapist": t.id,
            "Service": SERVICE_LABELS.get(t.discipline, t.discipline),
            "Hours a week": f"{t.minutes_per_week / 60:g}",
            "Days on site": " ".join(days[d] for d in t.days_on_site if d < len(days)),
            "Employed by": "an agency" if t.employment == "agency" else "the school",
        }
        for t in school.therapists
    ])  # fmt: skip


def headline(school: School) -> dict[str, int]:
    """Counts for the top of the School page."""
    with_iep = sum(s.has_iep for s in school.students)
    return {
        "students": len(school.students),
        "with_iep": with_iep,
        "classes": len(school.classes),
        "therapists": len(school.therapists),
    }
