"""Small helpers shared by the workshop notebooks.

Everything here uses the public inclusion_sim API (``load_scenario``, ``run``, ``SchoolModel``,
``compare_policies``) and returns pandas tables or matplotlib ``Figure`` objects, so a notebook
cell stays one or two lines long. Participants never need to open this file; facilitators can.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from inclusion_sim import MECHANISMS, PARAMETERS, SchoolModel, load_scenario, run
from inclusion_sim.analysis.compare import compare_policies
from inclusion_sim.faces.plots import POLICY_COLOURS
from inclusion_sim.model.outcomes import METRICS
from inclusion_sim.school.world import CORE_SUBJECTS, DAYS, SERVICE_LABELS, SERVICES

#: The school used in every notebook (about 250 students, one therapist per discipline).
SCENARIO_PATH = "../scenarios/small_elementary.toml"

#: Plain names for the timetable's subjects.
SUBJECT_NAMES = {
    "ela": "Reading (ELA)", "writing": "Writing", "math": "Math", "science": "Science",
    "social_studies": "Social studies", "specials": "Art/music/gym", "lunch_recess": "Lunch/recess",
}

#: Plain names for the policy presets.
POLICY_NAMES = {
    "pull_out": "Pull-out",
    "push_in": "Push-in (therapist works alongside)",
    "push_in_collaborative": "Push-in (co-planned, co-taught)",
    "hybrid": "Hybrid (half pull-out, half co-taught push-in)",
    "hybrid_parallel": "Hybrid (half pull-out, half push-in alongside)",
    "after_school": "After school",
}

#: Short names for the policy presets, for legends and axis labels.
SHORT_NAMES = {
    "pull_out": "Pull-out",
    "push_in": "Push-in alongside",
    "push_in_collaborative": "Push-in co-taught",
    "hybrid": "Hybrid",
    "hybrid_parallel": "Hybrid alongside",
    "after_school": "After school",
}

#: One colour per policy, the same in every figure of the workshop.
COLOURS = {**POLICY_COLOURS, "hybrid_parallel": "#8c8c8c"}

PLACE_COLOURS = {
    "in class": "#e8f1fb",
    "in class, therapist in the room": "#a8dba8",
    "in the therapy room": "#f4a582",
    "after school": "#c2a5cf",
}


def school():
    """The workshop's school scenario."""
    return load_scenario(SCENARIO_PATH)


def parameter_table(names: Iterable[str]) -> pd.DataFrame:
    """Default, plausible range, status and meaning of some model parameters."""
    rows = []
    for name in names:
        p = PARAMETERS[name]
        rows.append({"parameter": name, "default": f"{p.default:g} {p.unit}",
                     "plausible range": f"{p.low:g} to {p.high:g}", "status": p.status,
                     "meaning": p.doc})
    return pd.DataFrame(rows).set_index("parameter")


def metric_label(name: str) -> str:
    """A metric's plain label with its unit."""
    meta = METRICS[name]
    return f"{meta.label} ({meta.unit})"


# -- one student ----------------------------------------------------------------------------------
def class_index(model: SchoolModel, student: int) -> int:
    """Index of a student's homeroom class."""
    ids = [c.id for c in model.school.classes]
    return ids.index(model.student_agents[student].record.class_id)


def iep_students(model: SchoolModel) -> list[int]:
    """Indices of the students who have an IEP."""
    return [s.index for s in model.student_agents if s.has_iep]


def pick_student(model: SchoolModel, services: int = 3) -> int:
    """The first student with at least `services` different related services."""
    for s in model.student_agents:
        if len({m.service for m in s.record.mandates}) >= services:
            return s.index
    return iep_students(model)[0]


def student_card(model: SchoolModel, student: int) -> pd.DataFrame:
    """A student's IEP mandates as a small table."""
    rec = model.student_agents[student].record
    rows = [{"service": SERVICE_LABELS[m.service], "sessions a week": m.sessions_per_week,
             "minutes a session": m.minutes_per_session,
             "minutes a week": m.weekly_minutes,
             "largest group allowed": m.max_group} for m in rec.mandates]
    return pd.DataFrame(rows)


def friends_card(model: SchoolModel, student: int) -> pd.DataFrame:
    """A student's friends: class and whether they also have an IEP."""
    me = model.student_agents[student]
    return pd.DataFrame([{"friend": f.record.id, "class": f.record.class_id,
                          "also has an IEP": f.has_iep,
                          "same class": f.record.class_id == me.record.class_id}
                         for f in me.friends])


def sessions_of(model: SchoolModel, student: int) -> list:
    """The weekly sessions a student is in."""
    return [s for s in model.schedule.sessions if student in s.students]


def week_table(model: SchoolModel, student: int) -> pd.DataFrame:
    """Where a student is each period of the week, in words (rows: periods; columns: days)."""
    tt = model.school.timetable
    table = {}
    for day in range(tt.days):
        column = []
        for slot in range(model.schedule.periods):
            here = model.location(student, day, slot)
            lesson = SUBJECT_NAMES[here.subject]
            if not here.in_session:
                column.append(lesson)
            elif here.setting == "push_in":
                column.append(f"{lesson} + {here.service} therapist in class")
            else:
                column.append(f"OUT: {here.service} ({here.minutes} min), misses {lesson}")
        table[DAYS[day]] = column
    frame = pd.DataFrame(table, index=[f"period {k + 1}" for k in range(model.schedule.periods)])
    extra = {DAYS[d]: "" for d in range(tt.days)}
    for day in range(tt.days):
        for slot in range(model.schedule.periods, model.slots_per_day):
            here = model.location(student, day, slot)
            if here.in_session:
                extra[DAYS[day]] = f"after school: {here.service} ({here.minutes} min)"
    if any(extra.values()):
        frame.loc["after school"] = pd.Series(extra)
    return frame


#: How each answer of `SchoolModel.location` is coloured in the week pictures.
_PLACE_WORDS = {"push_in": "in class, therapist in the room", "pull_out": "in the therapy room",
                "after_school": "after school"}


def _place(model: SchoolModel, student: int, day: int, slot: int) -> str:
    here = model.location(student, day, slot)
    return _PLACE_WORDS[here.setting] if here.in_session else "in class"


def plot_weeks(models: Mapping[str, SchoolModel], student: int) -> Figure:
    """One coloured timetable per policy: where the student is each period of the week."""
    fig = Figure(figsize=(12, 3.6 * len(models)), constrained_layout=True)
    axes = np.atleast_1d(fig.subplots(len(models), 1))
    for ax, (name, model) in zip(axes, models.items(), strict=True):
        tt = model.school.timetable
        periods = model.schedule.periods
        for day in range(tt.days):
            for slot in range(periods):
                here = model.location(student, day, slot)
                ax.add_patch(_cell(day, slot, PLACE_COLOURS[_place(model, student, day, slot)]))
                text = SUBJECT_NAMES[here.subject]
                if here.in_session:
                    text += f"\n{here.service}, {here.minutes} min"
                ax.text(day + 0.5, slot + 0.5, text, ha="center", va="center", fontsize=8)
        ax.set_xlim(0, tt.days)
        ax.set_ylim(periods, 0)
        ax.set_xticks(np.arange(tt.days) + 0.5, DAYS[:tt.days])
        ax.set_yticks(np.arange(periods) + 0.5, [f"period {k + 1}" for k in range(periods)])
        ax.tick_params(length=0)
        ax.set_title(POLICY_NAMES.get(name, name), loc="left", fontsize=11)
    handles = [Patch(facecolor=colour, edgecolor="#999999", label=place)
               for place, colour in PLACE_COLOURS.items() if place != "after school"]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9)
    return fig


def _cell(day: int, slot: int, colour: str):
    from matplotlib.patches import Rectangle

    return Rectangle((day, slot), 1, 1, facecolor=colour, edgecolor="white", lw=2)


def missed_lessons(model: SchoolModel, student: int) -> pd.DataFrame:
    """Each pulled-out session of a week: the lesson it lands on and the class time lost."""
    c = class_index(model, student)
    walk = model.params.transition_minutes
    rows = []
    for s in sorted(sessions_of(model, student), key=lambda x: (x.day, x.slot)):
        if s.setting != "pull_out":
            continue
        k = s.day * model.slots_per_day + s.slot
        subject = model.plans[k].subject[c]
        period = float(model.school.timetable.period_minutes[s.day, s.slot])
        rows.append({"day": DAYS[s.day], "period": s.slot + 1, "service": s.service,
                     "lesson missed": SUBJECT_NAMES[subject],
                     "core subject": subject in CORE_SUBJECTS,
                     "session minutes": s.minutes,
                     "class minutes lost (session + walking)": min(period, s.minutes + 2 * walk)})
    return pd.DataFrame(rows)


def follow_days(scenario, policy: str, student: int, seed: int = 1, days: int = 5,
                parameters: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Run day by day and record how one student feels at the end of each day."""
    model = SchoolModel.from_scenario(scenario, policy=policy, seed=seed,
                                      parameters=parameters)
    s = model.student_agents[student]
    rows = [{"day": 0, "stigma": float(s.stigma), "belonging": float(s.belonging),
             "core minutes missed": float(s.core_minutes_missed)}]
    for day in range(1, days + 1):
        model.run_day()
        rows.append({"day": day, "stigma": float(s.stigma), "belonging": float(s.belonging),
                     "core minutes missed": float(s.core_minutes_missed)})
    return pd.DataFrame(rows).assign(policy=policy)


def student_year(scenario, policy: str, student: int, seed: int = 1, weeks: int = 36,
                 parameters: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One student's weekly story over a year: skills, missed hours, stigma, belonging."""
    model = SchoolModel.from_scenario(scenario, policy=policy, seed=seed, weeks=weeks,
                                      parameters=parameters)
    model.run()
    return model.student_agents[student].history().assign(policy=policy)


def plot_student_year(frames: Iterable[pd.DataFrame]) -> Figure:
    """Five panels of one student's year, one line per policy."""
    panels = [("carryover", "Uses the IEP skills in class (0-1)"),
              ("mastery", "Mastery of IEP goals (0-1)"),
              ("core_hours_missed", "Core lesson hours missed"),
              ("academic_growth", "Academic growth (SD)"),
              ("stigma", "Feels singled out (stigma, 0-1)")]
    fig = Figure(figsize=(14, 3.4), constrained_layout=True)
    axes = fig.subplots(1, len(panels))
    for k, frame in enumerate(frames):
        name = frame["policy"].iloc[0]
        for ax, (column, title) in zip(axes, panels, strict=True):
            ax.plot(frame["week"], frame[column], label=POLICY_NAMES.get(name, name),
                    color=COLOURS.get(name, f"C{k}"))
            ax.set_title(title, fontsize=9)
            ax.set_xlabel("school week")
            ax.grid(alpha=0.3)
    fig.legend(*axes[0].get_legend_handles_labels(), fontsize=8, loc="outside lower center",
               ncols=3)
    return fig


# -- minutes -------------------------------------------------------------------------------------
def minutes_ledger(result) -> pd.Series:
    """Where a year's mandated minutes went, in hours for the whole school."""
    s = result.services.sum(numeric_only=True)
    return pd.Series({
        "delivered": s["delivered_minutes"],
        "lost to refusals": s["wasted_minutes"],
        "missed (absent after school)": s["absent_minutes"],
        "never scheduled": s["mandated_minutes"] - s["scheduled_minutes"],
    }) / 60.0


def staff_ledger(result) -> pd.Series:
    """Where a year's staff hours went (therapists and teachers), in hours."""
    t = result.therapists.sum(numeric_only=True)
    therapist_coplanning = t["coplanning_minutes"] / 60.0
    return pd.Series({
        "therapy sessions": t["direct_minutes"] / 60.0,
        "therapist travel": t["travel_minutes"] / 60.0,
        "co-planning (therapists)": therapist_coplanning,
        "co-planning (teachers)": result.summary["coordination_hours"] - therapist_coplanning,
    })


def plot_stacked(table: pd.DataFrame, title: str, unit: str = "hours per year") -> Figure:
    """Horizontal stacked bars: one bar per row of `table`, one colour per column.

    Columns that are zero in every row are left out, so the legend names only what is drawn.
    """
    table = table.loc[:, (table != 0).any()]
    fig = Figure(figsize=(10, 0.7 * len(table) + 1.6), constrained_layout=True)
    ax = fig.subplots()
    left = np.zeros(len(table))
    labels = [POLICY_NAMES.get(i, i) for i in table.index]
    for column in table.columns:
        values = table[column].to_numpy(float)
        ax.barh(labels, values, left=left, label=column)
        left += values
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.set_title(title, loc="left")
    fig.legend(*ax.get_legend_handles_labels(), fontsize=8, loc="outside lower center", ncols=4)
    ax.grid(axis="x", alpha=0.3)
    return fig


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
            name = SUBJECT_NAMES[subject]
            lost[name] = lost.get(name, 0.0) + min(period, s.minutes + 2 * walk)
    return (pd.Series(lost, dtype=float) * weeks / 60.0).sort_values(ascending=False)


# -- comparisons ----------------------------------------------------------------------------------
def compare_table(scenario, policies, metrics, replicates: int = 3,
                  parameters: Mapping[str, float] | None = None, weeks: int | None = None):
    """Mean of each metric per policy over paired replicates (rows: metrics, plain labels)."""
    comparison = compare_policies(scenario, policies, replicates=replicates,
                                  parameters=dict(parameters or {}) or None, weeks=weeks)
    means = comparison.summary().groupby("policy", sort=False)[list(metrics)].mean().T
    means.index = [metric_label(m) for m in means.index]
    means.columns = [POLICY_NAMES.get(c, c) for c in means.columns]
    return means, comparison


def switch_off(scenario, baseline: str, other: str, metrics: list[str],
               seeds: Iterable[int] = (1, 2, 3), weeks: int | None = None) -> pd.DataFrame:
    """Difference (other - baseline) with every mechanism on, and with each one switched off.

    Each row is the mean over `seeds` of the paired difference; the same seed gives the same
    school and the same random draws under both policies.
    """
    seeds = list(seeds)
    rows = {}
    for off in (None, *MECHANISMS):
        on = [m for m in MECHANISMS if m != off]
        diffs = []
        for seed in seeds:
            a = run(scenario, seed=seed, policy=baseline, mechanisms=on, weeks=weeks).summary
            b = run(scenario, seed=seed, policy=other, mechanisms=on, weeks=weeks).summary
            diffs.append([b[m] - a[m] for m in metrics])
        rows["everything on" if off is None else f"{off} off"] = np.mean(diffs, axis=0)
    return pd.DataFrame.from_dict(rows, orient="index", columns=metrics)


#: Smallest half-width of each panel of `plot_switch_off`, so that tiny differences look tiny.
SWITCH_OFF_MIN_SPAN = 0.02


def plot_switch_off(table: pd.DataFrame, baseline: str, other: str) -> Figure:
    """One panel per metric: the difference with everything on and with each mechanism off.

    Every panel spans at least -0.02 to +0.02 of its metric's unit (0-1 scales and SD), so a
    difference of a few thousandths is drawn as the small difference it is.
    """
    metrics = list(table.columns)
    fig = Figure(figsize=(4.2 * len(metrics), 4.4), constrained_layout=True)
    axes = np.atleast_1d(fig.subplots(1, len(metrics)))
    y = np.arange(len(table))
    for ax, metric in zip(axes, metrics, strict=True):
        values = table[metric].to_numpy(float)
        colours = ["#333333"] + ["#6a9fd4"] * (len(table) - 1)
        ax.barh(y, values, color=colours)
        ax.axvline(values[0], color="#333333", ls="--", lw=1)
        ax.axvline(0, color="#999999", lw=1)
        low = min(values.min(), 0.0, -SWITCH_OFF_MIN_SPAN)
        high = max(values.max(), 0.0, SWITCH_OFF_MIN_SPAN)
        pad = 0.05 * (high - low)
        ax.set_xlim(low - pad, high + pad)
        ax.set_yticks(y, [label.replace("_", " ") for label in table.index], fontsize=8)
        ax.invert_yaxis()
        ax.set_title(metric_label(metric), fontsize=9)
        ax.set_xlabel(f"{POLICY_NAMES.get(other, other)}\nminus {POLICY_NAMES.get(baseline, baseline)}",
                      fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    return fig


def teacher_curves(scenario, policy: str, seed: int = 1, weeks: int = 36,
                   parameters: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Week by week: how much teachers know of the therapists' strategies, and how much they use.

    Averaged over every (class, service) pair where practice is possible: the class has a student
    who needs the service and its teacher teaches a lesson relevant to it (so PT, practised only
    in specials and recess, is left out).
    """
    result = run(scenario, seed=seed, policy=policy, weeks=weeks, parameters=parameters)
    weekly = result.weekly.rename(columns={"teacher_strategy_knowledge": "knows",
                                           "teacher_strategy_use": "uses"})
    return weekly[["week", "knows", "uses"]].assign(policy=policy)


def _policy_colours(ax) -> None:
    """Give lines labelled with a policy code (and their bands) the workshop's policy colour."""
    from matplotlib.colors import to_rgb

    for line in ax.get_lines():
        new = COLOURS.get(line.get_label())
        if new is None:
            continue
        old = to_rgb(line.get_color())
        line.set_color(new)
        for band in ax.collections:
            faces = band.get_facecolor()
            if len(faces) and tuple(faces[0][:3]) == old:
                band.set_facecolor(new)
                band.set_alpha(faces[0][3])
    legend = ax.get_legend()
    if legend is not None:
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
            if text.get_text() in COLOURS and hasattr(handle, "set_color"):
                handle.set_color(COLOURS[text.get_text()])


def plain_names(fig: Figure, names: Mapping[str, str] | None = None) -> Figure:
    """Replace the model's codes for policies, metrics and parameters with plain words.

    Used on the library's own figures (sweeps, paired comparisons, weekly series), which label
    lines, panels and rows with codes such as ``push_in_collaborative`` or ``iep_carryover``.
    Policies get their short names (`SHORT_NAMES`) and lines drawn for a policy its colour
    (`COLOURS`); `names` adds or overrides words.
    """
    words = {**{name: spec.label for name, spec in PARAMETERS.items()},
             **{m: metric_label(m) for m in METRICS}, **SHORT_NAMES, **(names or {})}
    codes = sorted((code for code in words if "_" in code), key=len, reverse=True)

    def plain(text: str) -> str:
        if text in words:
            return words[text]
        for code in codes:
            text = text.replace(code, words[code])
        return text

    for ax in fig.axes:
        _policy_colours(ax)
        ax.set_title(plain(ax.get_title()), fontsize=ax.title.get_fontsize())
        ax.set_xlabel(plain(ax.get_xlabel()))
        labels = [t.get_text() for t in ax.get_yticklabels()]
        if any(label in words for label in labels):
            ax.set_yticks(ax.get_yticks(), [plain(label) for label in labels])
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                text.set_text(plain(text.get_text()))
    if fig.get_suptitle():
        fig.suptitle(plain(fig.get_suptitle()))
    return fig


def services() -> tuple[str, ...]:
    """The five related services, in the model's order."""
    return SERVICES
