"""Small helpers shared by the workshop notebooks.

Everything here uses the public inclusion_sim API (``load_scenario``, ``run``, ``SchoolModel``,
``compare_policies``) and returns tables or matplotlib ``Figure`` objects, so a notebook cell
stays one or two lines long. Participants never need to open this file; facilitators can.

Every name and number a participant reads comes from the library's presentation layer
(`inclusion_sim.faces.present`): policies, services, grades, outcomes and parameters in plain
words, 0-1 scales shown out of 100, money in round dollars. Whatever a participant types (a
student's id, a policy's name) is read the forgiving way ("169", "S00169" and "s169" are the
same student) and, when it matches nothing, answered with a short message that lists what
exists, never a traceback.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from ipywidgets import Dropdown, FloatSlider, Layout
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from inclusion_sim import MECHANISMS, PARAMETERS, SchoolModel, load_scenario, run
from inclusion_sim.analysis.compare import compare_policies
from inclusion_sim.delivery.policies import POLICY_PRESETS, Policy
from inclusion_sim.faces import present
from inclusion_sim.faces.plots import POLICY_COLOURS
from inclusion_sim.faces.present import SUBJECT_LABELS
from inclusion_sim.model.outcomes import METRICS
from inclusion_sim.school.world import CORE_SUBJECTS, DAYS, SERVICES

#: The school used in every notebook (about 250 students, one therapist per discipline).
SCENARIO_PATH = "../scenarios/small_elementary.toml"

#: One colour per policy, the same in every figure of the workshop.
COLOURS = {**POLICY_COLOURS, "hybrid_parallel": "#8c8c8c"}

PLACE_COLOURS = {
    "in class": "#e8f1fb",
    "in class, therapist in the room": "#a8dba8",
    "in the therapy room": "#f4a582",
    "after school": "#c2a5cf",
}

#: What a participant reads for each mechanism of `inclusion_sim.MECHANISMS`.
MECHANISM_NAMES = {
    "resistance": "refusals", "setting_efficacy": "setting efficacy",
    "missed_instruction": "missed instruction", "teacher_practice": "teacher practice",
    "teacher_learning": "teacher learning", "consultation": "consultation",
    "peer_modeling": "peer modeling", "spillover": "spill-over to classmates",
    "stigma": "stigma",
}


#: Names of the policies the notebooks build themselves.
NOTEBOOK_POLICIES = {"my_policy": "Your policy",
                     "pull_out_outside_core": "Pull-out, never in core lessons"}


def school():
    """The workshop's school scenario."""
    return load_scenario(SCENARIO_PATH)


# -- words ---------------------------------------------------------------------------------------
def policy_name(policy, short: bool = False) -> str:
    """A policy's plain name, for a preset key or a `Policy` built in a notebook."""
    key = policy.name if isinstance(policy, Policy) else policy
    return NOTEBOOK_POLICIES.get(key) or present.policy_label(key, short=short)


#: How a service is delivered, in words, by (model, collaboration) of a `ServicePolicy`.
_DELIVERY_WORDS = {("pull_out", "parallel"): "pull-out", ("pull_out", "collaborative"): "pull-out",
                   ("push_in", "parallel"): "push-in alongside the lesson",
                   ("push_in", "collaborative"): "push-in, co-taught",
                   ("hybrid", "parallel"): "hybrid, half out, half in alongside",
                   ("hybrid", "collaborative"): "hybrid, half out, half co-taught in",
                   ("after_school", "parallel"): "after school",
                   ("after_school", "collaborative"): "after school"}


def describe(policy: Policy) -> str:
    """A policy service by service, in words ("Speech: push-in, co-taught; OT: pull-out; ...")."""
    parts = []
    for service in SERVICES:
        sp = policy.for_service(service)
        words = _DELIVERY_WORDS.get((sp.model, sp.collaboration), sp.model.replace("_", " "))
        parts.append(f"{present.service_label(service, short=True)}: {words}")
    return "; ".join(parts)


def policy_key(policy) -> str:
    """The key a result table uses for a policy (a preset's name or a `Policy`'s name)."""
    return policy.name if isinstance(policy, Policy) else policy


def policy_menu(policies: Iterable[str], value: str, description: str = "Policy") -> Dropdown:
    """A drop-down that shows plain policy names and gives the policy's key."""
    return menu(description, [(present.policy_label(p), p) for p in policies], value)


def metric_label(metric: str) -> str:
    """An outcome's plain name with the unit it is shown in ("Mastery of IEP goals (0-100)")."""
    unit = present.metric_unit(metric).replace("points (0-100 scale)", "0-100")
    return f"{present.metric_label(metric)} ({unit})" if unit else present.metric_label(metric)


def shown(metric: str, value):
    """An outcome value on the scale people read (0-1 scales and shares out of 100)."""
    return value * present.metric_scale(metric)


def value(metric: str, number: float) -> str:
    """An outcome value as a participant reads it: on its shown scale, sensibly rounded."""
    return present.value_text(metric, number)


def _sentence(text: str) -> str:
    """Text with its first letter capitalized (and the rest as written: "IEP" stays)."""
    return text[:1].upper() + text[1:]


def yes_no(flag) -> str:
    """'yes' or 'no'."""
    return "yes" if bool(flag) else "no"


def _readable(frame: pd.DataFrame, formats: Mapping[str, str] | str = "{:,.0f}") -> pd.DataFrame:
    """A table with its numbers written out (thousands separated, fixed decimals)."""
    out = frame.copy().astype(object)
    for column in frame.columns:
        fmt = formats if isinstance(formats, str) else formats.get(column)
        if fmt is not None:
            out[column] = [fmt.format(v) if pd.notna(v) else "" for v in frame[column]]
    return out


# -- what a participant types -------------------------------------------------------------------
class NotFound(LookupError):
    """Something a participant typed matches nothing; the message says what exists.

    Jupyter shows the message alone (`_render_traceback_`), without a traceback: the mistake is
    in what was typed, not in the code.
    """

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def _id_number(text: str) -> int | None:
    """The number in a student id typed any way: "169", "S00169", "s169", " S-00169 "."""
    match = re.fullmatch(r"\s*[sS]?[\s\-_#]*0*(\d+)\s*", str(text))
    return int(match.group(1)) if match else None


def student_index(model: SchoolModel, student) -> int:
    """The position of a student in the model, from the id a participant typed.

    Args:
        model: Any model of the workshop's school (every policy has the same students).
        student: The student's id as shown ("S00169"), or typed with or without the "S" and
            the zeros ("169", "s169", 169).

    Raises:
        NotFound: No student has that id; the message lists the students with an IEP.
    """
    records = [agent.record for agent in model.student_agents]
    by_id = {r.id.upper(): k for k, r in enumerate(records)}
    text = str(student).strip().upper()
    if text in by_id:
        return by_id[text]
    number = _id_number(text)
    if number is not None:
        matches = [k for k, r in enumerate(records) if _id_number(r.id) == number]
        if len(matches) == 1:
            return matches[0]
    iep = ", ".join(records[k].id for k in iep_students(model))
    raise NotFound(
        f"There is no student {str(student).strip()!r} in this school. Type a student's id as "
        f"the menu shows it, with or without the S and the zeros (S00050, s50 or 50 are the "
        f"same student). Students with an IEP: {iep}.")


#: Earlier short names of policies, still understood when typed: printed handouts and
#: participants' notes may use them.
FORMER_POLICY_NAMES = {"Co-taught push-in": "push_in_collaborative"}


def find_policy(policy):
    """A policy's key from what a participant typed: "pull_out", "Pull-out", "pull out" alike.

    A policy's key, long name, short name or former short name (`FORMER_POLICY_NAMES`) all
    work. `Policy` objects (built in a notebook) pass through unchanged.

    Raises:
        NotFound: No policy has that name; the message lists the policies.
    """
    if isinstance(policy, Policy):
        return policy

    def folded(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()

    names = {folded(text): key for text, key in FORMER_POLICY_NAMES.items()}
    for key in POLICY_PRESETS:
        for text in (key, present.policy_label(key), present.policy_label(key, short=True)):
            names[folded(text)] = key
    key = names.get(folded(policy))
    if key is None:
        listed = "; ".join(f'"{k}" ({present.policy_label(k)})' for k in POLICY_PRESETS)
        raise NotFound(f"There is no policy called {str(policy).strip()!r}. The policies: "
                       f"{listed}.")
    return key


# -- controls ------------------------------------------------------------------------------------
#: Sliders and menus show their whole label on a line of their own width.
_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "100%", "max_width": "760px"}


def slider(description: str, value: float, low: float, high: float, step: float,
           readout_format: str = ".0f") -> FloatSlider:
    """A slider whose label is shown whole; it recomputes when released, not while dragged."""
    return FloatSlider(value=value, min=low, max=high, step=step, description=description,
                       readout_format=readout_format, continuous_update=False, style=_STYLE,
                       layout=Layout(**_LAYOUT))


def menu(description: str, options, value, label_width: str | None = None) -> Dropdown:
    """A drop-down with a whole label; `options` are (what is shown, value) pairs.

    ``label_width`` (CSS, e.g. ``"280px"``) gives menus shown together one label width, so
    their boxes line up instead of starting wherever each label ends.
    """
    style = {"description_width": label_width} if label_width else _STYLE
    return Dropdown(options=options, value=value, description=description, style=style,
                    layout=Layout(**_LAYOUT))


def parameter_table(names: Iterable[str]) -> pd.DataFrame:
    """Default, plausible range, how sure we are and meaning of some model parameters."""
    rows = []
    for name in names:
        p = PARAMETERS[name]
        rows.append({"Parameter": p.label, "Default": present.format_parameter(name, p.default),
                     "Plausible range": present.format_range(name),
                     "How sure": present.STATUS_LABELS.get(p.status, p.status),
                     "Meaning": p.doc})
    return pd.DataFrame(rows).set_index("Parameter")


# -- one student ----------------------------------------------------------------------------------
def class_index(model: SchoolModel, student: int) -> int:
    """Index of a student's homeroom class (`student` is a position in the model)."""
    ids = [c.id for c in model.school.classes]
    return ids.index(model.student_agents[student].record.class_id)


def iep_students(model: SchoolModel) -> list[int]:
    """Positions of the students who have an IEP."""
    return [s.index for s in model.student_agents if s.has_iep]


def pick_student(model: SchoolModel, services: int = 3) -> str:
    """The id of the first student with at least `services` different related services."""
    for s in model.student_agents:
        if len({m.service for m in s.record.mandates}) >= services:
            return s.record.id
    return model.student_agents[iep_students(model)[0]].record.id


def about(model: SchoolModel, student) -> str:
    """One line on a student: id, grade, class and services."""
    rec = model.student_agents[student_index(model, student)].record
    services = ", ".join(dict.fromkeys(present.service_label(m.service, short=True)
                                       for m in rec.mandates))
    return (f"{rec.id}, {present.grade_label(rec.grade, long=True).lower()}, class "
            f"{rec.class_id}" + (f": {services}" if services else ": no IEP services"))


def student_menu(model: SchoolModel, value) -> Dropdown:
    """A drop-down of the students with an IEP, shown as id, grade and services."""
    options = [(about(model, model.student_agents[k].record.id),
                model.student_agents[k].record.id) for k in iep_students(model)]
    return menu("Student", options, model.student_agents[student_index(model, value)].record.id)


def student_card(model: SchoolModel, student) -> pd.DataFrame:
    """A student's IEP mandates as a small table."""
    rec = model.student_agents[student_index(model, student)].record
    rows = [{"Service": present.service_label(m.service), "Sessions a week": m.sessions_per_week,
             "Minutes a session": m.minutes_per_session, "Minutes a week": m.weekly_minutes,
             "Largest group allowed": m.max_group} for m in rec.mandates]
    return pd.DataFrame(rows).set_index("Service")


def friends_card(model: SchoolModel, student) -> pd.DataFrame:
    """A student's friends: class and whether they also have an IEP."""
    me = model.student_agents[student_index(model, student)]
    return pd.DataFrame([{"Friend": f.record.id, "Grade": present.grade_label(f.record.grade),
                          "Class": f.record.class_id, "Also has an IEP": yes_no(f.has_iep),
                          "Same class": yes_no(f.record.class_id == me.record.class_id)}
                         for f in me.friends]).set_index("Friend")


def sessions_of(model: SchoolModel, student) -> list:
    """The weekly sessions a student is in."""
    k = student_index(model, student)
    return [s for s in model.schedule.sessions if k in s.students]


def _service(code: str) -> str:
    return present.service_label(code, short=True)


def week_table(model: SchoolModel, student) -> pd.DataFrame:
    """Where a student is each period of the week, in words (rows: periods; columns: days)."""
    k = student_index(model, student)
    tt = model.school.timetable
    table = {}
    for day in range(tt.days):
        column = []
        for slot in range(model.schedule.periods):
            here = model.location(k, day, slot)
            lesson = SUBJECT_LABELS[here.subject]
            if not here.in_session:
                column.append(lesson)
            elif here.setting == "push_in":
                column.append(f"{lesson} + {_service(here.service)} therapist in class")
            else:
                column.append(f"OUT: {_service(here.service)} ({here.minutes} min), "
                              f"misses {lesson}")
        table[DAYS[day]] = column
    frame = pd.DataFrame(table, index=[f"Period {p + 1}" for p in range(model.schedule.periods)])
    extra = {DAYS[d]: "" for d in range(tt.days)}
    for day in range(tt.days):
        for slot in range(model.schedule.periods, model.slots_per_day):
            here = model.location(k, day, slot)
            if here.in_session:
                extra[DAYS[day]] = f"after school: {_service(here.service)} ({here.minutes} min)"
    if any(extra.values()):
        frame.loc["After school"] = pd.Series(extra)
    return frame


#: How each answer of `SchoolModel.location` is coloured in the week pictures.
_PLACE_WORDS = {"push_in": "in class, therapist in the room", "pull_out": "in the therapy room",
                "after_school": "after school"}


def plot_weeks(models: Mapping[str, SchoolModel], student) -> Figure:
    """One coloured timetable per policy: where the student is each period of the week."""
    fig = Figure(figsize=(12, 3.6 * len(models)), constrained_layout=True)
    axes = np.atleast_1d(fig.subplots(len(models), 1))
    for ax, (name, model) in zip(axes, models.items(), strict=True):
        k = student_index(model, student)
        tt = model.school.timetable
        periods = model.schedule.periods
        for day in range(tt.days):
            for slot in range(periods):
                here = model.location(k, day, slot)
                place = _PLACE_WORDS[here.setting] if here.in_session else "in class"
                ax.add_patch(Rectangle((day, slot), 1, 1, facecolor=PLACE_COLOURS[place],
                                       edgecolor="white", lw=2))
                text = SUBJECT_LABELS[here.subject].replace(" (", "\n(")
                if here.in_session:
                    text += f"\n{_service(here.service)}, {here.minutes} min"
                ax.text(day + 0.5, slot + 0.5, text, ha="center", va="center", fontsize=7.5)
        ax.set_xlim(0, tt.days)
        ax.set_ylim(periods, 0)
        ax.set_xticks(np.arange(tt.days) + 0.5, DAYS[:tt.days])
        ax.set_yticks(np.arange(periods) + 0.5, [f"Period {p + 1}" for p in range(periods)])
        ax.tick_params(length=0)
        ax.set_title(f"{policy_name(name)}: {about(model, student)}", loc="left", fontsize=11)
    handles = [Patch(facecolor=colour, edgecolor="#999999", label=place.capitalize())
               for place, colour in PLACE_COLOURS.items() if place != "after school"]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9)
    return fig


def missed_lessons(model: SchoolModel, student) -> pd.DataFrame:
    """Each pulled-out session of a week: the lesson it lands on and the class time lost."""
    c = class_index(model, student_index(model, student))
    walk = model.params.transition_minutes
    rows = []
    for s in sorted(sessions_of(model, student), key=lambda x: (x.day, x.slot)):
        if s.setting != "pull_out":
            continue
        k = s.day * model.slots_per_day + s.slot
        subject = model.plans[k].subject[c]
        period = float(model.school.timetable.period_minutes[s.day, s.slot])
        rows.append({"Day": DAYS[s.day], "Period": s.slot + 1, "Service": _service(s.service),
                     "Lesson missed": SUBJECT_LABELS[subject],
                     "Core lesson": yes_no(subject in CORE_SUBJECTS),
                     "Session (minutes)": s.minutes,
                     "Class time lost, with the walk (minutes)":
                         round(min(period, s.minutes + 2 * walk))})
    return pd.DataFrame(rows).set_index(["Day", "Period"])


def core_minutes_lost(table: pd.DataFrame) -> float:
    """Minutes of core lessons lost in a week, from a `missed_lessons` table."""
    core = table["Core lesson"] == "yes"
    return float(table.loc[core, "Class time lost, with the walk (minutes)"].sum())


def _day_rows(scenario, policy, student, days: int, seed: int = 1) -> list[dict]:
    model = SchoolModel.from_scenario(scenario, policy=policy, seed=seed)
    s = model.student_agents[student_index(model, student)]
    rows = []
    for day in range(days + 1):
        if day:
            model.run_day()
        rows.append({"Day": day, "policy": policy_name(policy),
                     "Felt stigma (0-100)": 100 * float(s.stigma),
                     "Belonging (0-100)": 100 * float(s.belonging),
                     "Core lesson minutes missed": float(s.core_minutes_missed)})
    return rows


def follow_days(scenario, policies: Iterable[str], student, days: int = 5) -> pd.DataFrame:
    """Run day by day and show how one student feels at the end of each day, per policy."""
    policies = [find_policy(p) for p in policies]
    frame = pd.DataFrame([row for p in policies for row in _day_rows(scenario, p, student, days)])
    table = frame.pivot(index="Day", columns="policy")
    table = table[[(m, policy_name(p)) for m in frame.columns[2:] for p in policies]]
    formats = {c: "{:.1f}" if "0-100" in c[0] else "{:.0f}" for c in table.columns}
    table = _readable(table, formats)
    table.columns.names = [None, None]
    return table


#: The panels of `plot_student_year`: history column, title, factor to the shown scale.
YEAR_PANELS = (("carryover", "Uses the IEP skills in class (0-100)", 100.0),
               ("mastery", "Mastery of IEP goals (0-100)", 100.0),
               ("core_hours_missed", "Core lesson time missed (hours)", 1.0),
               ("academic_growth", "Academic growth (SD)", 1.0),
               ("stigma", "Feels singled out: stigma (0-100)", 100.0))


def student_year(scenario, policy, student, seed: int = 1, weeks: int = 36,
                 parameters: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One student's weekly story over a year: skills, missed hours, stigma, belonging.

    Args:
        scenario: The school.
        policy: A policy's name, typed any way ("pull_out", "Pull-out").
        student: The student's id, typed any way ("S00050", "50").
        seed: The random seed (the same seed gives the same school and draws).
        weeks: School weeks to run.
        parameters: Parameter values that differ from the defaults.
    """
    key = find_policy(policy)
    model = SchoolModel.from_scenario(scenario, policy=key, seed=seed, weeks=weeks,
                                      parameters=parameters)
    k = student_index(model, student)
    model.run()
    return model.student_agents[k].history().assign(policy=policy_key(key),
                                                    student=model.student_agents[k].record.id)


def plot_student_year(frames: Iterable[pd.DataFrame]) -> Figure:
    """Five panels of one student's year, one line per policy (0-1 scales shown out of 100)."""
    fig = Figure(figsize=(14, 3.6), constrained_layout=True)
    axes = fig.subplots(1, len(YEAR_PANELS))
    students = []
    for k, frame in enumerate(frames):
        name = frame["policy"].iloc[0]
        students.append(frame["student"].iloc[0])
        for ax, (column, title, factor) in zip(axes, YEAR_PANELS, strict=True):
            ax.plot(frame["week"], frame[column] * factor, label=policy_name(name),
                    color=COLOURS.get(name, f"C{k}"))
            ax.set_title(title, fontsize=9)
            ax.set_xlabel("School week")
            ax.grid(alpha=0.3)
    for ax, (_, _, factor) in zip(axes, YEAR_PANELS, strict=True):
        if factor == 100.0:
            ax.set_ylim(0, 100)
    fig.suptitle(f"Student {', '.join(dict.fromkeys(students))} over a school year",
                 x=0.01, ha="left", fontsize=11)
    fig.legend(*axes[0].get_legend_handles_labels(), fontsize=8, loc="outside lower center",
               ncols=3)
    return fig


def year_of(scenario, student, policies=("pull_out", "push_in", "hybrid")) -> Figure:
    """The year figure for any student, under the policies named (a shortcut for exercises)."""
    return plot_student_year([student_year(scenario, p, student) for p in policies])


# -- minutes -------------------------------------------------------------------------------------
def minutes_ledger(result) -> pd.Series:
    """Where a year's mandated minutes went, in student hours for the whole school."""
    s = result.services.sum(numeric_only=True)
    return pd.Series({
        "Delivered": s["delivered_minutes"],
        "Lost to refusals": s["wasted_minutes"],
        "Missed (absent after school)": s["absent_minutes"],
        "Never scheduled": s["mandated_minutes"] - s["scheduled_minutes"],
    }) / 60.0


def ledger_table(results: Mapping[str, object]) -> pd.DataFrame:
    """`minutes_ledger` for each policy, one row each, in whole hours."""
    table = pd.DataFrame({policy_name(p): minutes_ledger(r) for p, r in results.items()}).T
    table = table.loc[:, (table != 0).any()]
    table.columns = [f"{c} (hours)" for c in table.columns]
    return table


def staff_ledger(result) -> pd.Series:
    """Where a year's staff hours went (therapists and teachers), in hours."""
    t = result.therapists.sum(numeric_only=True)
    therapist_coplanning = t["coplanning_minutes"] / 60.0
    return pd.Series({
        "Therapy sessions": t["direct_minutes"] / 60.0,
        "Therapist travel": t["travel_minutes"] / 60.0,
        "Co-planning (therapists)": therapist_coplanning,
        "Co-planning (teachers)": result.summary["coordination_hours"] - therapist_coplanning,
    })


def staff_table(results: Mapping[str, object]) -> pd.DataFrame:
    """`staff_ledger` and staff cost for each policy, hours and round dollars."""
    hours = pd.DataFrame({policy_name(p): staff_ledger(r) for p, r in results.items()}).T
    table = _readable(hours.rename(columns=lambda c: f"{c} (hours)"))
    table["Staff cost"] = [present.money(r.summary["cost_usd"]) for r in results.values()]
    return table


def readable(table: pd.DataFrame, decimals: int = 0) -> pd.DataFrame:
    """A table of numbers written with thousands separated and `decimals` decimals."""
    return _readable(table, f"{{:,.{decimals}f}}")


def plot_stacked(table: pd.DataFrame, title: str, unit: str = "Student hours in a year",
                 ax=None) -> Figure:
    """Horizontal stacked bars: one bar per row of `table`, one colour per column.

    Columns that are zero in every row are left out, so the legend names only what is drawn.
    Row labels that are policy keys are shown by name; "(hours)" is dropped from column names,
    since the axis says the unit.
    """
    table = table.loc[:, (table != 0).any()]
    if ax is None:
        fig = Figure(figsize=(10, 0.7 * len(table) + 1.8), constrained_layout=True)
        ax = fig.subplots()
    fig = ax.figure
    left = np.zeros(len(table))
    labels = [policy_name(i) if i in POLICY_PRESETS else i for i in table.index]
    colours = ["#4c78a8", "#e45756", "#f2a541", "#9d9d9d", "#72b7b2", "#b279a2"]
    for k, column in enumerate(table.columns):
        values = table[column].to_numpy(float)
        ax.barh(labels, values, left=left, label=column.replace(" (hours)", ""),
                color=colours[k % len(colours)])
        left += values
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(unit)
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=4,
              frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig


def plot_walk_and_refusals(result, title: str) -> Figure:
    """Two panels for one pull-out year: where the mandated hours went, and class time lost.

    The left panel moves with refusals (minutes lost, sessions not delivered); the right one
    with both refusals and the walk (each attended session costs the session plus the walk,
    split into core lessons and art/music/gym or other lessons).
    """
    fig = Figure(figsize=(12, 3.2), constrained_layout=True)
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    ledger = minutes_ledger(result).to_frame("Pull-out").T
    plot_stacked(ledger, "Mandated student hours in a year", ax=left)
    summary = result.summary
    lost = pd.Series({"Core lessons": summary["iep_core_hours_missed"],
                      "Other lessons": summary["iep_other_hours_missed"]})
    bars = right.barh(lost.index, lost.to_numpy(float), color=["#e45756", "#f2a541"])
    right.bar_label(bars, labels=[f"{v:.1f} h" for v in lost], padding=3, fontsize=9)
    right.set_xlim(0, max(40.0, 1.25 * float(lost.max())))
    right.invert_yaxis()
    right.set_xlabel("Hours a year, per student with an IEP")
    right.set_title("Class time lost by pulled-out students", loc="left", fontsize=11)
    right.grid(axis="x", alpha=0.3)
    fig.suptitle(title, x=0.01, ha="left", fontsize=10)
    return fig


def unmet_table(results: Mapping[str, object]) -> pd.DataFrame:
    """Minutes a week that could not be scheduled, by reason (rows) and policy (columns)."""
    from inclusion_sim.delivery.scheduling import UNMET_REASONS

    reasons = pd.concat({policy_name(p): r.unmet.groupby("reason")["minutes"].sum()
                         for p, r in results.items()}, axis=1).fillna(0)
    reasons.index = [_sentence(UNMET_REASONS.get(code, code)) for code in reasons.index]
    reasons.index.name = "Why (minutes a week)"
    return readable(reasons)


def unmet_sessions(result) -> pd.DataFrame:
    """The sessions a week that could not be scheduled under one policy, in words."""
    from inclusion_sim.delivery.scheduling import UNMET_REASONS

    frame = result.unmet
    return pd.DataFrame({"Student": frame["student_id"],
                         "Service": [present.service_label(s) for s in frame["service"]],
                         "Sessions a week": frame["sessions"],
                         "Minutes a week": frame["minutes"],
                         "Why": [UNMET_REASONS.get(r, r) for r in frame["reason"]]})


def core_hours_table(results: Mapping[str, object]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Core lesson hours missed in a year per student with an IEP: per-student hours, summary."""
    missed = pd.DataFrame({p: r.students.query("has_iep")["core_minutes_missed"] / 60
                           for p, r in results.items()})
    summary = missed.agg(["mean", "median", "max"]).T
    summary.index = [policy_name(p) for p in summary.index]
    summary.columns = ["Average (hours)", "Median (hours)", "Most (hours)"]
    return missed, readable(summary)


def pull_out_minutes_by_lesson(model: SchoolModel, weeks: int = 36) -> pd.Series:
    """Class hours a year that pulled-out students lose, by the lesson the session lands on."""
    walk = model.params.transition_minutes
    lost: dict[str, float] = {}
    for s in model.schedule.sessions:
        if s.setting != "pull_out":
            continue
        period = float(model.school.timetable.period_minutes[s.day, s.slot])
        for i in s.students:
            subject = model.plans[s.day * model.slots_per_day + s.slot].subject[
                class_index(model, i)]
            name = SUBJECT_LABELS[subject]
            lost[name] = lost.get(name, 0.0) + min(period, s.minutes + 2 * walk)
    return (pd.Series(lost, dtype=float) * weeks / 60.0).sort_values(ascending=False)


# -- comparisons ----------------------------------------------------------------------------------
def compare(scenario, policies, metrics, replicates: int = 3,
            parameters: Mapping[str, float] | None = None, weeks: int | None = None):
    """Run paired replicates of each policy; the library's `Comparison` of them."""
    policies = [find_policy(p) for p in policies]
    return compare_policies(scenario, policies, replicates=replicates,
                            parameters=dict(parameters or {}) or None, weeks=weeks)


def means(comparison, metrics, decimals: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Mean of each outcome per policy (rows: outcomes with units; columns: policies).

    Args:
        comparison: The library's `Comparison`.
        metrics: Outcomes to show, in order.
        decimals: Rounding for some outcomes, where the notebook discusses differences finer
            than the presentation layer's default resolution (e.g. 0.006 SD).
    """
    decimals = dict(decimals or {})
    table = comparison.summary().groupby("policy", sort=False)[list(metrics)].mean().T
    for m in metrics:  # hundreds of hours are not read to the tenth
        if METRICS[m].unit == "hours" and table.loc[m].abs().max() >= 100:
            decimals.setdefault(m, 0)
    out = pd.DataFrame({policy_name(c): [present.value_text(m, table.loc[m, c],
                                                            decimals.get(m))
                                         for m in metrics] for c in table.columns},
                       index=[metric_label(m) for m in metrics])
    out.index.name = "Outcome (mean over repetitions)"
    return out


def compare_table(scenario, policies, metrics, replicates: int = 3,
                  parameters: Mapping[str, float] | None = None, weeks: int | None = None,
                  decimals: Mapping[str, int] | None = None):
    """Mean of each metric per policy over paired replicates, and the comparison itself."""
    comparison = compare(scenario, policies, metrics, replicates, parameters, weeks)
    return means(comparison, metrics, decimals), comparison


def by_grade(students: pd.DataFrame) -> pd.DataFrame:
    """Year-end stigma, belonging and refusals of students with an IEP, by grade."""
    frame = students.query("has_iep")
    table = frame.groupby("grade").agg(
        students=("stigma", "size"), stigma=("stigma", "mean"),
        belonging=("belonging", "mean"), refusals=("refusals", "mean"))
    table.index = [present.grade_label(g) for g in table.index]
    table.index.name = "Grade"
    return _readable(table.rename(columns={
        "students": "Students with an IEP", "stigma": "Felt stigma (0-100)",
        "belonging": "Belonging (0-100)", "refusals": "Sessions refused in the year"}).assign(
        **{"Felt stigma (0-100)": lambda t: 100 * t["Felt stigma (0-100)"],
           "Belonging (0-100)": lambda t: 100 * t["Belonging (0-100)"]}),
        {"Students with an IEP": "{:.0f}", "Felt stigma (0-100)": "{:.1f}",
         "Belonging (0-100)": "{:.1f}", "Sessions refused in the year": "{:.1f}"})


def switch_off(scenario, baseline: str, other: str, metrics: list[str],
               seeds: Iterable[int] = (1, 2, 3), weeks: int | None = None) -> pd.DataFrame:
    """Difference (other - baseline) with every mechanism on, and with each one switched off.

    Each row is the mean over `seeds` of the paired difference, on the shown scale (0-1
    scales out of 100); the same seed gives the same school and the same random draws under
    both policies.
    """
    seeds = list(seeds)
    rows = {}
    for off in (None, *MECHANISMS):
        on = [m for m in MECHANISMS if m != off]
        diffs = []
        for seed in seeds:
            a = run(scenario, seed=seed, policy=baseline, mechanisms=on, weeks=weeks).summary
            b = run(scenario, seed=seed, policy=other, mechanisms=on, weeks=weeks).summary
            diffs.append([shown(m, b[m] - a[m]) for m in metrics])
        rows["Everything on" if off is None else f"{MECHANISM_NAMES[off]} off".capitalize()] = \
            np.mean(diffs, axis=0)
    return pd.DataFrame.from_dict(rows, orient="index", columns=metrics)


def switch_off_table(table: pd.DataFrame) -> pd.DataFrame:
    """`switch_off` for reading: outcomes by name and unit, differences with a sign."""
    # differences of a few thousandths of an SD are the point of the table: shown, not rounded
    out = pd.DataFrame({metric_label(m): [present.number(v, 3 if present.metric_unit(m) ==
                                                         "SD" else 1, signed=True)
                                          for v in table[m]] for m in table.columns},
                       index=table.index)
    out.index.name = "Difference"
    return out


#: Smallest half-width of each panel of `plot_switch_off`, in shown units, so that tiny
#: differences look tiny: 2 points on a 0-100 scale, 0.02 SD.
SWITCH_OFF_MIN_SPAN = {"SD": 0.02}
SWITCH_OFF_DEFAULT_SPAN = 2.0


def plot_switch_off(table: pd.DataFrame, baseline: str, other: str) -> Figure:
    """One panel per metric: the difference with everything on and with each mechanism off.

    Every panel spans at least 2 points either side of zero (0.02 for SD), so a difference of
    a few thousandths is drawn as the small difference it is.
    """
    metrics = list(table.columns)
    fig = Figure(figsize=(4.4 * len(metrics), 4.6), constrained_layout=True)
    axes = np.atleast_1d(fig.subplots(1, len(metrics), sharey=True))
    y = np.arange(len(table))
    for ax, metric in zip(axes, metrics, strict=True):
        values = table[metric].to_numpy(float)
        colours = ["#333333"] + ["#6a9fd4"] * (len(table) - 1)
        ax.barh(y, values, color=colours)
        ax.axvline(values[0], color="#333333", ls="--", lw=1)
        ax.axvline(0, color="#999999", lw=1)
        span = SWITCH_OFF_MIN_SPAN.get(present.metric_unit(metric), SWITCH_OFF_DEFAULT_SPAN)
        low = min(values.min(), 0.0, -span)
        high = max(values.max(), 0.0, span)
        pad = 0.05 * (high - low)
        ax.set_xlim(low - pad, high + pad)
        ax.set_yticks(y, list(table.index), fontsize=8)
        ax.set_title(metric_label(metric), fontsize=9)
        ax.set_xlabel(f"{policy_name(other, short=True)} minus {policy_name(baseline)}",
                      fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    axes[0].invert_yaxis()
    return fig


def teacher_curves(scenario, policy, seed: int = 1, weeks: int = 36,
                   parameters: Mapping[str, float] | None = None,
                   off: Iterable[str] = ()) -> pd.DataFrame:
    """Week by week: how much teachers know of the therapists' strategies, and how much they use.

    Both on a 0-100 scale, averaged over every (class, service) pair where practice is
    possible: the class has a student who needs the service and its teacher teaches a lesson
    relevant to it (so PT, practised only in specials and recess, is left out). A third
    column follows the students: their classroom use of the IEP skills (carry-over).

    Args:
        scenario: The school.
        policy: A policy's name, typed any way.
        seed: The random seed.
        weeks: School weeks to run.
        parameters: Parameter values that differ from the defaults.
        off: Mechanisms to switch off, by name ("consultation", "teacher practice").
    """
    key = find_policy(policy)
    mechanisms = None
    if off:
        names = {m: m for m in MECHANISMS} | {v: k for k, v in MECHANISM_NAMES.items()}
        unknown = [m for m in off if m not in names]
        if unknown:
            raise NotFound(f"No mechanism called {unknown[0]!r}. The mechanisms: "
                           f"{', '.join(MECHANISM_NAMES.values())}.")
        mechanisms = [m for m in MECHANISMS if m not in {names[o] for o in off}]
    result = run(scenario, seed=seed, policy=key, weeks=weeks, parameters=parameters,
                 mechanisms=mechanisms)
    weekly = result.weekly
    return pd.DataFrame({"Week": weekly["week"],
                         "Teachers know the strategies (0-100)":
                             100 * weekly["teacher_strategy_knowledge"],
                         "Teachers use them (0-100)": 100 * weekly["teacher_strategy_use"],
                         "Students use IEP skills in class (0-100)":
                             100 * weekly["iep_carryover"],
                         "policy": policy_key(key)})


def practice_table(scenario, policies, seed: int = 1) -> pd.DataFrame:
    """Teachers' extra practice with students and the students' carry-over, per service."""
    rows = []
    for policy in policies:
        services = run(scenario, seed=seed, policy=find_policy(policy)).services
        means = services.groupby("service", sort=False)[
            ["teacher_practice_minutes", "carryover"]].mean()
        for service, row in means.iterrows():
            rows.append({"Policy": policy_name(policy),
                         "Service": present.service_label(service),
                         "Teacher practice (hours a year per student)":
                             f"{row['teacher_practice_minutes'] / 60:.1f}",
                         "Use of the skill in class (0-100)": f"{100 * row['carryover']:.1f}"})
    return pd.DataFrame(rows).set_index(["Policy", "Service"])


def year_end(curves: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The last week of several `teacher_curves`, one row per policy, to one decimal."""
    rows = {policy_name(c["policy"].iloc[0]): c.iloc[-1].drop(["Week", "policy"])
            for c in curves}
    return _readable(pd.DataFrame(rows).T.astype(float), "{:.1f}")


def paired_table(paired: pd.DataFrame, metrics: Iterable[str], baseline: str = "pull_out"
                 ) -> pd.DataFrame:
    """Paired differences from the baseline in words, with their 95% intervals."""
    rows = []
    for _, row in paired[paired["metric"].isin(list(metrics))].iterrows():
        said = present.describe_difference(row["metric"], row["difference"], row["ci_low"],
                                           row["ci_high"], policy_name(baseline))
        rows.append({"Policy": policy_name(row["policy"]),
                     "Outcome": metric_label(row["metric"]),
                     policy_name(baseline): value(row["metric"], row["baseline_mean"]),
                     "This policy": value(row["metric"], row["policy_mean"]),
                     "Difference": said.sentence, "95% interval": said.interval})
    return pd.DataFrame(rows).set_index(["Policy", "Outcome"])


def sweep_table(outcomes: pd.DataFrame, parameter: str, metric: str) -> pd.DataFrame:
    """Mean of one outcome per parameter value (rows) and policy (columns), and the best."""
    table = outcomes.pivot_table(index=parameter, columns="policy", values=metric,
                                 aggfunc="mean")[list(outcomes["policy"].unique())]
    best = table.idxmax(axis=1).map(policy_name)
    out = pd.DataFrame({policy_name(c): [value(metric, v) for v in table[c]]
                        for c in table.columns}, index=table.index)
    out.index = [present.format_parameter(parameter, v) for v in table.index]
    out.index.name = PARAMETERS[parameter].label
    out["Best"] = best.to_numpy()
    return out


def plot_sweep(outcomes: pd.DataFrame, parameter: str, metrics: Iterable[str],
               policies: Iterable[str]) -> Figure:
    """Mean outcome against one parameter, per policy, with the middle 95% of runs as a band."""
    metrics, policies = list(metrics), list(policies)
    fig = Figure(figsize=(4.3 * len(metrics), 3.8), constrained_layout=True)
    axes = np.atleast_1d(fig.subplots(1, len(metrics)))
    for ax, metric in zip(axes, metrics, strict=True):
        for k, policy in enumerate(policies):
            part = outcomes[outcomes["policy"] == policy_key(policy)]
            stats = part.groupby(parameter)[metric].agg(
                mean="mean", low=lambda s: s.quantile(0.025), high=lambda s: s.quantile(0.975))
            colour = COLOURS.get(policy_key(policy), f"C{k}")
            ax.plot(stats.index, shown(metric, stats["mean"]), marker="o", color=colour,
                    label=policy_name(policy))
            ax.fill_between(stats.index, shown(metric, stats["low"]),
                            shown(metric, stats["high"]), color=colour, alpha=0.15)
        ax.set_title(metric_label(metric), fontsize=9)
        ax.set_xlabel(f"{PARAMETERS[parameter].label}\n({PARAMETERS[parameter].unit})",
                      fontsize=8)
        ax.grid(alpha=0.3)
    fig.legend(*axes[0].get_legend_handles_labels(), fontsize=8, loc="outside lower center",
               ncols=len(policies))
    return fig


# -- the library's own figures --------------------------------------------------------------------
def plot_year(comparison, metrics: Iterable[str], title: str = "") -> Figure:
    """A few outcomes over the school year, one panel each, large enough to read in a notebook.

    The library's weekly figure draws eight panels; in a notebook column its words shrink to a
    few pixels. Two rows of two keep axis labels and ticks at a readable size.

    Args:
        comparison: A `Comparison` (`compare_policies`).
        metrics: Up to four weekly outcomes (ids of `METRICS`).
        title: The figure's title.
    """
    metrics = list(metrics)
    weekly = comparison.weekly()
    rows = (len(metrics) + 1) // 2
    fig = Figure(figsize=(10, 3.3 * rows + 0.9), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, 2, squeeze=False).ravel())
    policies = list(dict.fromkeys(weekly["policy"]))
    styles = ("-", "--", "-.", ":")
    for ax, metric in zip(axes, metrics, strict=False):
        scale = present.metric_scale(metric)
        for k, policy in enumerate(policies):
            by_week = weekly.loc[weekly["policy"] == policy].groupby("week")[metric]
            colour = COLOURS.get(policy, "#555555")
            ax.plot(by_week.mean().index, by_week.mean() * scale, color=colour,
                    linestyle=styles[k % len(styles)], lw=2.4 - 0.3 * k,
                    label=policy_name(policy, short=True))
            ax.fill_between(by_week.mean().index, by_week.quantile(0.1) * scale,
                            by_week.quantile(0.9) * scale, color=colour, alpha=0.15, lw=0)
        ax.set_title(present.metric_label(metric), loc="left", fontsize=11)
        ax.set_ylabel(present.metric_unit(metric), fontsize=10)
        ax.set_xlabel("School week", fontsize=10)
        present.scale_axis(ax, metric, "y", ticks=5)
        ax.grid(alpha=0.3)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper right", frameon=False,
               ncols=len(policies), fontsize=10)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    present.caption(fig, f"Lines: the average of {len(comparison.seeds)} school years per "
                    "policy, on the same seeds; shaded bands: the middle 80% of those years.",
                    width=140)
    return fig


def bigger_text(fig: Figure, factor: float = 1.4) -> Figure:
    """Enlarge every text of a wide figure, for a notebook column.

    JupyterLab shrinks a figure wider than the notebook to fit, and its words with it: the
    library's eight-panel figures, 15 inches wide, came out with 6-pixel labels. Larger type at
    the same size keeps them readable after the shrink.
    """
    for text in fig.findobj(lambda artist: hasattr(artist, "set_fontsize")
                            and hasattr(artist, "get_text")):
        text.set_fontsize(text.get_fontsize() * factor)
    caption = getattr(fig, "_supxlabel", None)  # the caption: wrapped again to the new size
    if caption is not None and caption.get_text():
        lines = caption.get_text().split("\n")
        width = int(max(len(line) for line in lines) / factor)
        caption.set_text(textwrap.fill(" ".join(lines), width))
    return fig


def plain_names(fig: Figure, names: Mapping[str, str] | None = None) -> Figure:
    """Replace the model's codes for policies, metrics and parameters with plain words.

    Used on the library's own figures (sweeps, paired comparisons, weekly series), which may
    label lines, panels and rows with codes such as ``push_in_collaborative``. Policies get
    their short names and lines drawn for a policy its colour (`COLOURS`); `names` adds or
    overrides words.
    """
    words = {**{name: spec.label for name, spec in PARAMETERS.items()},
             **{m: present.metric_label(m) for m in METRICS},
             **{p: present.policy_label(p, short=True) for p in POLICY_PRESETS},
             **(names or {})}
    codes = sorted((code for code in words if "_" in code), key=len, reverse=True)

    def plain(text: str) -> str:
        if text in words:
            return words[text]
        for code in codes:
            text = text.replace(code, words[code])
        return text

    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_label() in COLOURS:
                line.set_color(COLOURS[line.get_label()])
        ax.set_title(plain(ax.get_title()), fontsize=ax.title.get_fontsize())
        ax.set_xlabel(plain(ax.get_xlabel()))
        labels = [t.get_text() for t in ax.get_yticklabels()]
        if any(label != plain(label) for label in labels):
            ax.set_yticks(ax.get_yticks(), [plain(label) for label in labels])
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                text.set_text(plain(text.get_text()))
    for legend in fig.legends:
        for text in legend.get_texts():
            text.set_text(plain(text.get_text()))
    if fig.get_suptitle():
        fig.suptitle(plain(fig.get_suptitle()))
    return fig


def services() -> tuple[str, ...]:
    """The five related services, in the model's order."""
    return SERVICES
