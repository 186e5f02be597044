"""The dashboard's pages: School, Policy, Compare, Classroom, Student, About the model.

Served by ``inclusion-sim dashboard`` (``solara run`` on this file). Every page reads and
writes the per-session state in `state`; every number comes from a library call made through
`schools`, `runs` and `views`. Long comparisons run in a thread (`solara.lab.task`) that reports
progress, so the page stays responsive and a second click simply replaces the running one.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import threading
import zipfile

import solara
import solara.lab

from inclusion_sim.analysis import week_record
from inclusion_sim.base.errors import InputError
from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.delivery.scheduling import UNMET_REASONS
from inclusion_sim.faces import present, timetables
from inclusion_sim.faces.dashboard import figures, labels, learning, runs, schools, state, views
from inclusion_sim.faces.dashboard.picker import SchoolFilePicker
from inclusion_sim.faces.dashboard.uploads import MAX_FILE_BYTES, Upload, load_uploaded_school
from inclusion_sim.faces.present import sessions as present_sessions
from inclusion_sim.model import asymmetries, steps
from inclusion_sim.model.outcomes import METRICS
from inclusion_sim.school.world import DAYS, SERVICE_LABELS, SERVICES

TITLE = "Push-in or pull-out? A what-if tool for your school"
_CSS = """
.is-card { border-radius: 12px !important; }
.is-card .v-card__title { word-break: normal !important; overflow-wrap: break-word; }
.is-verdict-better { border-left: 6px solid #009E73 !important; }
.is-verdict-worse { border-left: 6px solid #D55E00 !important; }
.is-verdict-unclear, .is-verdict-neither { border-left: 6px solid #9E9E9E !important; }
.is-sentence { font-size: 1.05rem; line-height: 1.45; color: #222; }
.is-ci { font-size: 0.85rem; color: #555; margin-top: 4px; }
.is-ci-verdict { display: none; }
.is-number { font-size: 2rem; font-weight: 500; color: #0072B2; }
.is-muted { color: #555; }
.is-problems td { padding: 2px 10px 2px 0; vertical-align: top; }
.is-table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
.is-table th { text-align: left; font-weight: 500; color: #555; border-bottom: 2px solid #ddd;
  padding: 6px 10px 6px 0; }
.is-table td { border-bottom: 1px solid #eee; padding: 6px 10px 6px 0; vertical-align: top; }
.is-table td.is-num, .is-table th.is-num { text-align: right; }
.is-week { border-collapse: separate; border-spacing: 3px; font-size: 0.85rem; width: 100%;
  table-layout: fixed; }
.is-week th:first-child { width: 110px; }
.is-week th { color: #555; font-weight: 500; padding: 2px 6px; text-align: left; }
.is-week td { background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; padding: 4px 6px;
  vertical-align: top; }
.is-week td.is-here { border: 2px solid #12436D; background: #EAF1F8; }
.is-badge-out, .is-badge-in { display: inline-block; margin-left: 4px; padding: 0 6px;
  border-radius: 8px; font-size: 0.75rem; }
.is-badge-out { border: 1px dashed #777; color: #444; }
.is-badge-in { background: #E69F00; color: #fff; }
.is-badge-cancel, .is-badge-madeup { display: inline-block; margin-left: 4px; padding: 0 6px;
  border-radius: 8px; font-size: 0.75rem; }
.is-badge-cancel { background: #FBE3D6; color: #8A2E00; border: 1px solid #D55E00; }
.is-badge-madeup { background: #D6F0E6; color: #00573F; border: 1px solid #009E73; }
.is-legend { font-size: 0.85rem; color: #444; margin: 0; padding-left: 18px; }
.is-legend li { margin: 2px 0; }
.is-student-week td { min-width: 150px; }
.is-session { margin-top: 3px; padding: 3px 6px; border-radius: 5px; font-size: 0.8rem; }
.is-session-in { background: #D6F0E6; border-left: 4px solid #009E73; }
.is-session-out { background: #FCE7CF; border-left: 4px solid #E69F00; }
.is-session-after { background: #EADCF0; border-left: 4px solid #CC79A7; }
.is-missed { text-decoration: line-through; color: #888; }
.is-help { font-size: 0.85rem; color: #555; }
.is-card-note { font-size: 0.78rem; margin-top: 6px; line-height: 1.3; }
.is-file-picker-label { font-size: 0.95rem; color: #222; margin-bottom: 8px; }
.is-file-picker-names { font-size: 0.85rem; color: #555; overflow-wrap: anywhere; }
.is-slider-label { font-size: 0.95rem; color: #222; margin-top: 10px; }
.is-slider-label b { color: #0072B2; }
.is-about td { font-size: 0.82rem; overflow-wrap: break-word; }
.is-about td:nth-child(1) { font-weight: 500; }
.is-parameters { table-layout: fixed; }
.is-parameters th:nth-child(1) { width: 17%; } .is-parameters th:nth-child(2) { width: 13%; }
.is-parameters th:nth-child(3) { width: 14%; } .is-parameters th:nth-child(4) { width: 28%; }
.v-tabs { width: 100%; }  /* a tab bar as wide as the page, not scrolled to its last tab */
@media (max-width: 960px) {
  .v-tab { min-width: 0 !important; padding: 0 10px !important; }
  .is-outcome-grid .v-card__text { padding: 8px 12px !important; }
  .is-outcome-grid .is-sentence { font-size: 0.93rem; line-height: 1.3; }
  .is-outcome-grid .is-card-title { display: none; }
  .is-outcome-grid .is-ci-verdict { display: inline !important; font-weight: 500; }
  .is-outcome-grid .is-ci { font-size: 0.8rem; margin-top: 2px; }
}
.is-same { margin: 4px 0 0 0; padding-left: 18px; font-size: 0.92rem; columns: 2 300px;
  column-gap: 32px; }
.is-same li { margin: 0 0 4px 0; break-inside: avoid; } .is-same .is-ci { display: inline; }
.is-policy-tabs .v-tab { text-transform: none; letter-spacing: normal; font-size: 0.95rem; }
"""


def _problem_rows(err: InputError) -> list[dict[str, str]]:
    return [{"file": p.source, "where": p.where,
             "what": f"expected {p.expected}, found {p.found}" + (f" ({p.hint})" if p.hint else "")}
            for p in err.problems]


def _choose(choice: schools.SchoolChoice) -> None:
    """Make a school current; a comparison of another school no longer applies."""
    state.school_choice.set(choice)
    state.comparison.set(None)
    state.classroom_id.set(choice.school.classes[0].id if choice.school.classes else "")
    first_iep = next((s.id for s in choice.school.students if s.has_iep), "")
    state.student_id.set(first_iep)


def _load_ready(key: str) -> None:
    state.ready_key.set(key)
    try:
        _choose(schools.load_ready(key))
        state.load_problems.set([])
        state.load_message.set("")
    except InputError as err:
        state.load_problems.set(_problem_rows(err))
        state.load_message.set("This school could not be loaded; the previous school stays.")


# --------------------------------------------------------------------------- shared pieces


@solara.component
def Problems():
    """The located problems of the last load or upload, or nothing."""
    rows = state.load_problems.value
    if not rows:
        return
    body = "".join(
        f"<tr><td><b>{html.escape(r['file'])}</b></td><td>{html.escape(r['where'])}</td>"
        f"<td>{html.escape(r['what'])}</td></tr>" for r in rows[:40])
    more = f"<p>... and {len(rows) - 40} more.</p>" if len(rows) > 40 else ""
    with solara.Error(icon="mdi-file-alert-outline"):
        solara.Markdown(f"**{state.load_message.value}**")
        solara.HTML(tag="div", unsafe_innerHTML=f'<table class="is-problems">{body}</table>{more}')


@solara.component
def NeedSchool():
    """What a page shows before a school is chosen."""
    with solara.Info():
        solara.Markdown("Pick a school on the **School** page first.")


@solara.component
def Header(title: str, lead: str):
    """A page title with one line saying what the page is for."""
    solara.Style(_CSS)
    choice = state.school_choice.value
    solara.Title(TITLE)
    solara.Markdown(f"## {title}")
    text = lead + (f"  \n*School: {choice.label}*" if choice is not None else "")
    solara.Markdown(text, style={"color": "#444"})


@solara.component
def TaskProgress(task, text: str, failure: str):
    """A background task's progress bar and what it is doing, or why it failed."""
    if task.pending:
        solara.ProgressLinear(task.progress or True)
        solara.Text(text)
    if task.error:
        solara.Error(f"{failure}: {task.exception}")


@solara.component
def Stat(number: str, label: str):
    """A big number with a caption."""
    with solara.Card(classes=["is-card"], style={"min-width": "170px"}):
        solara.HTML(tag="div", unsafe_innerHTML=f'<div class="is-number">{html.escape(number)}'
                    f'</div><div class="is-muted">{html.escape(label)}</div>')


@solara.component
def Figure(fig, filename: str):
    """A chart with a button to save it as PNG."""
    with solara.Column(gap="0px"):
        solara.FigureMatplotlib(fig, format="png", dpi=110)
        with solara.Row():
            solara.FileDownload(lambda: figures.png_bytes(fig), filename=filename,
                                label="Save this chart (PNG)", mime_type="image/png")


@solara.component
def Table(frame, numeric: tuple[str, ...] = (), classes: str = ""):
    """A plain table without row numbers or paging: what a report would print.

    Solara's DataFrame widget shows the frame's index and a pager, which reads as a
    spreadsheet tool rather than a summary; our tables are short, so plain HTML is clearer.
    """
    head = "".join(f'<th class="{"is-num" if c in numeric else ""}">{html.escape(str(c))}</th>'
                   for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="{"is-num" if c in numeric else ""}">'
                         f"{html.escape(str(v))}</td>" for c, v in zip(frame.columns, row,
                                                                      strict=True)) + "</tr>"
        for row in frame.itertuples(index=False))
    solara.HTML(tag="div", unsafe_innerHTML=f'<table class="is-table {classes}"><tr>{head}</tr>'
                f"{body}</table>", style={"overflow-x": "auto", "width": "100%"})


# --------------------------------------------------------------------------- School


@solara.component
def FilePicker(on_files, label: str, button: str):
    """A file chooser whose files are handed to ``on_files`` from a worker thread.

    The browser sends a file's bytes only when they are read, in chunks answered through the
    widget's messages; reading on the thread that handles those messages would wait forever,
    hence the thread. The element must be this component's root so that its widget exists
    when the effect asks for it.
    """
    info, set_info = solara.use_state(None)
    files, set_files = solara.use_state(None)
    picker = SchoolFilePicker.element(label=label, button=button, multiple=True,
                                      accept=".csv,text/csv", on_file_info=set_info,
                                      show_progress=False)

    def wire():
        if not info:
            return
        widget = solara.get_widget(picker)
        widget.version += 1
        widget.reset_stats()
        set_files(widget.get_files())

    solara.use_effect(wire, [info])

    def hand_over(cancel: threading.Event):
        if files:
            on_files(files)

    solara.use_thread(hand_over, [files])
    return picker


def _load_upload(files) -> None:
    """Load uploaded files (in a worker thread); on any failure keep the previous school."""
    state.upload_busy.set(True)
    state.load_problems.set([])  # a new pick replaces the last pick's error at once
    state.load_message.set("")
    try:
        uploads = [Upload(f["name"], int(f["size"]), file_obj=f["file_obj"]) for f in files]
        school = load_uploaded_school(uploads, "Your school (uploaded)")
        _choose(schools.SchoolChoice("upload", "Your school (uploaded)", school, None,
                                     "From the files you uploaded"))
        state.ready_key.set("")
        state.load_problems.set([])
        state.load_message.set("")
    except InputError as err:
        previous = state.school_choice.value
        state.load_message.set("The files were not loaded. " + (
            f"'{previous.label}' is still loaded." if previous else "Fix them and retry."))
        state.load_problems.set(_problem_rows(err))
    except Exception as err:  # noqa: BLE001 - an upload must never take the page down
        state.load_message.set("The files could not be read; the previous school stays.")
        state.load_problems.set([{"file": "upload", "where": "reading the files",
                                  "what": f"{type(err).__name__}: {err}"}])
    finally:
        state.upload_busy.set(False)


@solara.component
def CsvUpload():
    """Choose the school's three CSV files."""
    with solara.Column():
        FilePicker(_load_upload, "Your school's three files: students.csv, staff.csv and "
                   "timetable.csv (choose all three at once)", "Choose the three files")
        if state.upload_busy.value:
            solara.ProgressLinear(True)
        solara.Markdown(
            f"The three files described in *docs/school-data.md* (templates in "
            f"*scenarios/templates/*), each at most {MAX_FILE_BYTES // (1024 * 1024)} MB. "
            "No names or birth dates are needed: use the ids your school already uses.",
            style={"font-size": "0.85rem", "color": "#555"})


@solara.component
def MasterSchedule(choice):
    """Choose how the school's lessons are laid out over the week, and say why it matters."""
    labels = schools.master_schedule_labels(choice)
    current = schools.master_schedule_of(choice)
    generated = choice.scenario is not None and choice.scenario.spec.school.data is None

    def choose(label: str) -> None:
        layout = next(k for k, v in labels.items() if v == label)
        if layout != current:
            _choose(schools.with_master_schedule(choice, layout))

    middle = schools.middle_bell_of(choice)

    def choose_bell(label: str) -> None:
        bell = next(k for k, v in schools.MIDDLE_BELL_LABELS.items() if v == label)
        if bell != middle:
            _choose(schools.with_middle_bell(choice, bell))

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Select("Master schedule", values=list(labels.values()), value=labels[current],
                      on_value=choose, dense=True, style={"min-width": "470px"})
        if middle is not None and current == "realistic":
            solara.Select("Middle-school bell", values=list(schools.MIDDLE_BELL_LABELS.values()),
                          value=schools.MIDDLE_BELL_LABELS[middle], on_value=choose_bell,
                          dense=True, style={"min-width": "470px"})
        solara.Markdown(
            "When every class has reading and math at the same times, a therapist who works in "
            "classrooms can reach only a few of them. " + (
                "This generated school can be laid out either way." + (
                    " Grades 6-8 of a K-8 school often ring their own bell: their periods "
                    "start and end at other times than the elementary ones, so a therapist who "
                    "serves both is scheduled by the clock, not by period number."
                    if middle is not None else "") if generated else
                "The what-if lays your classes' lessons out anew, staggered by grade; your "
                "files are not changed."),
            style={"font-size": "0.82rem", "color": "#555", "max-width": "640px"})


@solara.component
def SchoolPage():
    """Pick a ready school or upload one; see students by service and therapist capacity."""
    Header("Your school", "Pick one of the ready schools or upload your school's files. "
           "Then look at who needs which service, and whether the therapists' time covers it.")
    ready = schools.list_ready()
    if state.school_choice.value is None and ready and not state.load_problems.value:
        _load_ready(next(iter(ready)))
    choice = state.school_choice.value
    with solara.Columns([1, 1]):
        with solara.Card("A ready school", classes=["is-card"]):
            by_label = {label: key for key, (label, _) in ready.items()}
            current = ready.get(state.ready_key.value, (None, None))[0]
            solara.Select("School", values=list(by_label), value=current,
                          on_value=lambda label: _load_ready(by_label[label]), dense=True)
            solara.Markdown("Ready schools are the scenarios shipped with the tool: generated "
                            "schools with typical caseloads, and an example school read from "
                            "CSV files like yours.",
                            style={"font-size": "0.85rem", "color": "#555"})
        with solara.Card("Or your own school's files", classes=["is-card"]):
            CsvUpload()
    Problems()
    # Hooks run on every render, before the early return (the rules of hooks).
    school = choice.school if choice is not None else None
    week = solara.use_memo(
        lambda: schools.capacity_schedule(school) if school is not None else None, [school])
    if choice is None:
        return
    counts = schools.headline(choice.school)
    solara.Markdown(f"### {choice.label}" + (f"\n{choice.note}" if choice.note else ""))
    MasterSchedule(choice)
    with solara.Row(style={"flex-wrap": "wrap"}):
        Stat(f"{counts['students']:,}", "students")
        Stat(f"{counts['with_iep']:,}", "students with IEPs")
        Stat(f"{counts['classes']}", "classes")
        Stat(f"{counts['therapists']}", "therapists and providers")
    cap = schools.capacity_table(choice.school, week)
    with solara.Columns([1, 1]):
        with solara.Card("Students by service", classes=["is-card"]):
            Table(schools.students_by_service(choice.school),
                  numeric=("Students", "Sessions a week", "Mandated hours a week"))
            solara.Markdown("A student with two services is counted under each.",
                            style={"font-size": "0.82rem", "color": "#555"})
        with solara.Card("Therapist time a real timetable needs", classes=["is-card"]):
            lines = []
            for _, row in cap.iterrows():
                need, have = row["Mandated hours a week"], row["Therapist hours a week"]
                if need == 0:
                    continue
                used, short = row["Hours the timetable uses"], row["Unmet minutes a week"]
                if have == 0:
                    verdict = "**no therapist at all: every mandated hour goes unmet**"
                else:
                    verdict = (f"the pull-out timetable uses {labels.hours(60 * used)} of "
                               f"their {labels.hours(60 * have)} hours "
                               f"({row['Used / contracted']:.0%})")
                    if short > 0:
                        verdict += (f", and **{short:,.0f} mandated minutes a week do not "
                                    "fit**")
                lines.append(f"- **{row['Service']}**: {labels.hours(60 * need)} mandated "
                             f"student-hours a week; {verdict}")
            solara.Markdown("\n".join(lines))
            solara.Markdown("A session serves a whole group, so a therapist's hours cover more "
                            "mandated student-hours than they last. The timetable here pulls "
                            "students out, which needs the least therapist time; push-in adds "
                            "travel between rooms and co-planning (see Compare). "
                            + (week.solver.summary() if week.solver is not None else ""),
                            style={"font-size": "0.82rem", "color": "#555"})
    StaffingCheck(choice)
    with solara.Card("Therapists", classes=["is-card"]):
        Table(schools.therapist_table(choice.school), numeric=("Hours a week",))


@solara.lab.task(prefer_threaded=True)
def staffing_check_task(choice, keys):
    """Schedule the week under each chosen policy in a thread; stop if superseded."""
    policies = [state.policy_for(k) for k in keys]

    def progress(done, total, label):
        staffing_check_task.progress = 100.0 * done / max(total, 1)
        state.staffing_text.set(f"{done} of {total} policies checked"
                                + (f"; now scheduling {label}" if label else ""))

    table = schools.staffing_check(choice, policies, on_progress=progress,
                                   should_stop=lambda: not staffing_check_task.is_current())
    if table is not None:
        state.staffing_result.set((choice, schools.checked_policies(policies), table))
    return table


#: What each column of the staffing check means, in a principal's words.
STAFFING_NOTES = (
    "**Share scheduled**: the mandated minutes a week the optimizer fits into the timetable. "
    "**Most any timetable could**: no weekly timetable under the policy's rules can fit more; "
    "the optimizer proves it. Where the two differ, the optimizer stopped within its time "
    "budget. **Quick greedy timetable**: what a simple scheduler placing one session at a time "
    "fits, for comparison. **Extra therapist hours**: the fewest added hours a week (a "
    "therapist on site every day) that meet every mandate more staff can meet, found by "
    "scheduling the week again. **Minutes more staff cannot fix** need another timetable or "
    "policy, not hiring. These are the minutes a week's timetable holds; over a year, "
    "absences, refusals and events lose some of them, which is what Compare's minutes "
    "delivered count. **Your plan** is the mix chosen on the Policy page. The command line's "
    "`inclusion-sim feasibility` also names, for each unmet session, the change that would "
    "let it be scheduled.")


@solara.component
def StaffingCheck(choice):
    """Per chosen policy: minutes scheduled, the most possible, and the extra hours needed."""
    options = state.policy_options()
    chosen = [state.policy_label(k) for k in state.staffing_policies.value]
    with solara.Card("Can the therapists deliver every mandated minute? What would it take?",
                     classes=["is-card"]):
        solara.SelectMultiple("Policies to check", values=chosen, all_values=list(options),
                              dense=True, on_value=lambda ls: state.staffing_policies.set(
                                  [options[x] for x in ls]))
        solara.Button("Check these policies", color="primary", icon_name="mdi-calculator",
                      disabled=not chosen, on_click=lambda: staffing_check_task(
                          choice, list(state.staffing_policies.value)))
        TaskProgress(staffing_check_task, state.staffing_text.value, "The check failed")
        result = state.staffing_result.value
        if result is not None and result[0] is choice:
            changed = schools.changed_since_check(
                result[1], [state.policy_for(k) for k, _ in result[1]])
            if changed:
                one = len(changed) == 1
                solara.Warning(f"{' and '.join(changed)} {'has' if one else 'have'} changed on "
                               "the Policy page since this check: press Check these policies "
                               f"again for {'its' if one else 'their'} numbers.")
            Table(result[2], numeric=("Minutes a week scheduled", "Share scheduled",
                                      "Most any timetable could", "Quick greedy timetable",
                                      "Students served in full",
                                      "Minutes more staff cannot fix"))
            solara.Markdown(STAFFING_NOTES, style={"font-size": "0.82rem", "color": "#555"})
        elif not staffing_check_task.pending:
            solara.Markdown("Schedules the week under each policy with the optimizer and "
                            "searches for the extra therapist time it needs: a few seconds for "
                            "a small school, up to a minute per policy for a large one.",
                            style={"font-size": "0.82rem", "color": "#555"})


# --------------------------------------------------------------------------- Policy


def _param_help(name: str) -> str:
    p = PARAMETERS[name]
    source = labels.plain_source(p.source)
    status = {"read": "read in the source", "secondary": "from a source citing the original",
              "estimate": "an estimate: no measurement was found"}.get(p.status, p.status)
    if p.status == "estimate" and "measurement" in source.lower():
        status = "an estimate"  # the source says already that nothing was measured
    note = labels.parameter_note(name)
    return f"{p.doc}{' ' + note if note else ''} *Source: {source} ({status}).*"


@solara.component
def ParameterSlider(name: str):
    """One parameter: its plain name and current value with unit, a slider, meaning and source.

    The value is written in the label, not only on the slider's thumb: a thumb label is small,
    clipped for long numbers, and shows the model's unit rather than the one people use.
    """
    p = PARAMETERS[name]
    value = state.overrides.value.get(name, p.default)

    def set_value(v):
        new = dict(state.overrides.value)
        if abs(float(v) - float(p.default)) <= 1e-9 * max(1.0, abs(float(p.default))):
            new.pop(name, None)
        else:
            new[name] = float(v)
        state.overrides.set(new)

    changed = name in state.overrides.value
    default = "" if not changed else f" (default {labels.format_parameter(name, p.default)})"
    with solara.Column(gap="0px", classes=["is-parameter"]):
        SliderLabel(labels.parameter_label(name), labels.format_parameter(name, value), default)
        solara.SliderFloat("", value=value, min=p.low, max=p.high, step=labels.slider_step(name),
                           on_value=set_value, thumb_label=False, tick_labels=False)
        solara.Markdown(_param_help(name), style={"font-size": "0.82rem", "color": "#555",
                                                  "margin-top": "-14px"})


@solara.component
def PolicyPage():
    """Choose a delivery model per service (your plan) and adjust the key parameters."""
    Header("Your plan", "Choose how each service is delivered. Your plan is compared with the "
           "ready policies on the Compare page.")
    choices = state.plan_choices.value
    by_label = {label: key for key, (label, _) in state.DELIVERY_CHOICES.items()}
    with solara.Columns([3, 2]):
        with solara.Card("Delivery model per service", classes=["is-card"]):
            for service in SERVICES:
                def set_choice(label, service=service):
                    state.plan_choices.set({**state.plan_choices.value,
                                            service: by_label[label]})
                label, meaning = state.DELIVERY_CHOICES[choices.get(service, "pull_out")]
                with solara.Column(gap="0px"):
                    solara.Select(SERVICE_LABELS[service], values=list(by_label), value=label,
                                  on_value=set_choice, dense=True)
                    solara.HTML(tag="div", classes=["is-help"], unsafe_innerHTML=html.escape(
                        meaning), style={"margin": "-8px 0 22px 0"})
            solara.Checkbox(label="Keep pull-out sessions out of core lessons (reading, "
                            "writing, math, science, social studies)", value=state.plan_avoid_core)
            solara.Checkbox(label="Make up cancelled sessions later the same week, where the "
                            "therapist and the student are both free (schools whose year has "
                            "absences and events)", value=state.plan_makeup)
        with solara.Card("The delivery models", classes=["is-card"]):
            solara.Markdown("\n".join(f"- **{label}**: {text}" for label, text in
                                      state.DELIVERY_CHOICES.values()))
    with solara.Card("Key numbers the model uses", classes=["is-card"]):
        solara.Markdown("Defaults come from the literature where a figure exists; "
                        "*estimate* means none was found. Change them to see how much the "
                        "answer depends on them.", style={"color": "#444"})
        with solara.ColumnsResponsive(12, large=6):
            for name in state.KEY_PARAMETERS:
                if name in PARAMETERS:
                    ParameterSlider(name)
        if state.overrides.value:
            solara.Button("Reset to defaults", on_click=lambda: state.overrides.set({}),
                          outlined=True)


# --------------------------------------------------------------------------- Compare


@solara.lab.task(prefer_threaded=True)
def run_comparison_task(choice, keys, overrides, replicates, weeks):
    """Run the comparison in a thread; report progress; stop if superseded."""
    policies = [state.policy_for(k) for k in keys]

    def progress(done, total, what):
        run_comparison_task.progress = 100.0 * done / max(total, 1)
        state.progress_text.set(f"{done} of {total} runs - {what}")

    result = runs.run_comparison(choice, policies, overrides=overrides, replicates=replicates,
                                 weeks=weeks, on_progress=progress,
                                 should_stop=lambda: not run_comparison_task.is_current())
    if result is not None:
        state.comparison.set(result)
    return result


@solara.component
def OutcomeCardView(card: runs.OutcomeCard):
    """One outcome in a sentence, coloured by whether it is better, worse or unclear."""
    verdict = {"better": "better", "worse": "worse", "unclear": "no clear difference",
               "neither": ""}[card.verdict]
    with solara.Card(classes=["is-card", f"is-verdict-{card.verdict}"], margin=0,
                     style={"height": "100%"}):
        # On a tablet the outcome's name is left out (the sentence names it) and the verdict
        # moves to the interval's line, so a card is two short blocks, not three.
        solara.HTML(tag="div", unsafe_innerHTML=(
            f'<div class="is-muted is-card-title" style="font-size:0.8rem">'
            f'{html.escape(card.title)}{" - " + verdict if verdict else ""}</div>'
            f'<div class="is-sentence outcome-sentence">{html.escape(card.sentence)}</div>'
            f'<div class="is-ci">{html.escape(card.ci_text)}'
            f'<span class="is-ci-verdict">{" - " + verdict if verdict else ""}</span></div>'
            + (f'<div class="is-help is-card-note">{html.escape(card.note)}</div>'
               if card.note else "")))


#: Below this many runs per policy an unclear difference is said to be too few runs to tell:
#: with two runs a 95% interval is several times as wide as with five (Student's t with one
#: degree of freedom), so "no clear difference" would read as "about the same".
FEW_RUNS = 3


@solara.component
def SameCard(cards: list, base: str, runs: int = FEW_RUNS):
    """The outcomes with no clear difference, in one card: their names and intervals.

    A card each for outcomes that read "about the same" filled half a tablet page with one
    sentence said many times; listed together they keep every interval in a fraction of it.
    """
    items = "".join(f"<li><b>{html.escape(c.title)}</b> "
                    f'<span class="is-ci">({html.escape(c.ci_text)})</span>'
                    + (f'<div class="is-help is-card-note">{html.escape(c.note)}</div>'
                       if c.note else "") + "</li>"
                    for c in cards)
    head = f"No clear difference from {html.escape(base)}:" if runs >= FEW_RUNS else (
        f"Not clear with {runs} runs of each policy (more runs narrow these intervals; the "
        f"difference from {html.escape(base)} could be large either way):")
    with solara.Card(classes=["is-card", "is-verdict-unclear", "is-same-card"], margin=0,
                     style={"margin": "4px !important"}):
        solara.HTML(tag="div", unsafe_innerHTML=(
            f'<div class="is-sentence">{head}</div><ul class="is-same">{items}</ul>'))


def _csv_zip(comparison: runs.Comparison) -> bytes:
    """The comparison's tables, a data dictionary and the changed parameters, zipped.

    The tables keep machine-readable column names (for spreadsheets and scripts) at the
    precision a simulation carries; ``data_dictionary.csv`` gives each column's label, unit
    and meaning, and ``parameters_changed.csv`` what the runs changed from the defaults.
    """
    tables = {"outcomes_by_run.csv": comparison.summary(),
              "weekly.csv": comparison.weekly(),
              **{f"{name}.csv": comparison.table(name)
                 for name in ("students", "services", "therapists", "unmet")}}
    changed = _changed_table(comparison.params)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, table in tables.items():
            zf.writestr(name, present.csv_text(table))
        zf.writestr("outcomes_summary.csv", _means_table(comparison).to_csv(index=False))
        zf.writestr("parameters_changed.csv", changed.to_csv(index=False))
        dictionary = present.data_dictionary({name: t.columns for name, t in tables.items()})
        zf.writestr("data_dictionary.csv", dictionary.to_csv(index=False))
    return buffer.getvalue()


def _changed_table(values):
    """The parameters a run changed from the defaults: id, label, value and default in words."""
    import pandas as pd

    rows = [{"parameter": name, "label": p.label, "value": float(values[name]),
             "default": float(p.default), "value_in_words": labels.format_parameter(name,
                                                                                  values[name]),
             "default_in_words": labels.format_parameter(name, p.default)}
            for name, p in PARAMETERS.items()
            if name in values and present.changed_parameters({name: values[name]})]
    return pd.DataFrame(rows, columns=["parameter", "label", "value", "default",
                                       "value_in_words", "default_in_words"])


def _report(comparison: runs.Comparison) -> str:
    """A short, self-contained HTML report of the comparison, with its main chart."""
    import base64

    cards = learning.cards_with_weeks(comparison, runs.outcome_cards(comparison))
    base = comparison.runs[comparison.baseline].label
    png = base64.b64encode(figures.png_bytes(
        figures.weekly_chart(comparison, "iep_core_hours_missed"))).decode()
    parts = [f"<html><head><meta charset='utf-8'><title>{html.escape(TITLE)}</title>"
             "<style>body{font-family:Arial,sans-serif;max-width:860px;margin:2em auto;"
             "color:#222}li{margin:4px 0}.ci{color:#555;font-size:0.9em}"
             "table{border-collapse:collapse}th,td{text-align:left;padding:3px 12px 3px 0;"
             "border-bottom:1px solid #ddd}</style></head><body>",
             f"<h1>{html.escape(comparison.school_label)}: comparing delivery models</h1>",
             f"<p>{len(comparison.seeds)} simulated school years per policy, "
             f"{comparison.weeks} weeks each, on the same seeds. Compared with "
             f"<b>{html.escape(base)}</b>. Generated "
             f"{_dt.date.today().isoformat()} by inclusion_sim.</p>",
             "<h2>What was changed from the defaults</h2>", _changes_html(comparison.params)]
    for key, policy_cards in cards.items():
        parts.append(f"<h2>{html.escape(comparison.runs[key].label)}</h2><ul>")
        for card in policy_cards:
            parts.append(f"<li>{html.escape(card.sentence)} "
                         f"<span class='ci'>({html.escape(card.ci_text)})</span></li>")
        parts.append("</ul>")
    parts.append(f"<img alt='core instruction missed' style='width:100%' "
                 f"src='data:image/png;base64,{png}'/>")
    parts.append("<h2>All outcomes (mean ± 95% interval half-width)</h2>")
    parts.append(_means_table(comparison).to_html(index=False, border=0))
    parts.append(f"<p class='ci'>{html.escape(_SAME_NOTE)}</p>")
    if any(c.metric in learning.SD_GROUPS for cs in cards.values() for c in cs):
        parts.append(f"<p class='ci'>{html.escape(learning.NOTE)}</p>")
    parts.append("<p class='ci'>These are simulations: they show what follows from the model's "
                 "assumptions, several of which are estimates (see About the model).</p>")
    parts.append("</body></html>")
    return "".join(parts)


_SAME_NOTE = "No ± means every run gave the same value at the precision shown."


def _means_table(comparison: runs.Comparison):
    """The presentation layer's table of means, without "± 0" where the runs all agree.

    "191.0 ± 0.0" or "$12,480 ± $0" reads as a measured spread of zero; the value alone, with
    a note saying what no ± means, reads right.
    """
    import re

    table = runs.means_table(comparison)
    zero = re.compile(r" ± \$?0(\.0+)?$")
    for column in table.columns[2:]:
        table[column] = [zero.sub("", str(v)) for v in table[column]]
    return table


def _changes_html(values) -> str:
    """The changed parameters as an HTML list, or a sentence saying there are none."""
    lines = present.changed_parameters(values)
    if not lines:
        return "<p>Nothing: every number the model uses is at its default.</p>"
    return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"


@solara.component
def ChangedParameters(values, what: str = "These results"):
    """What the results on this page were run with that differs from the defaults.

    A principal who moved the walking time to 6 minutes must see it beside every result that
    depends on it, in words and units, with the default next to it.
    """
    lines = present.changed_parameters(values)
    with solara.Card(classes=["is-card", "changed-parameters"],
                     style={"border-left": "6px solid #F4B400" if lines else "6px solid #ddd"}):
        if lines:
            solara.HTML(tag="div", unsafe_innerHTML=(
                f"<b>{html.escape(what)} use numbers changed from the defaults:</b>"
                + _changes_html(values)), style={"font-size": "0.92rem"})
        else:
            solara.HTML(tag="div", unsafe_innerHTML=(
                f"{html.escape(what)} use the model's default numbers (see About the model); "
                "change them on the Policy page."), classes=["is-muted"],
                style={"font-size": "0.9rem"})


@solara.component
def ComparisonResults(comparison: runs.Comparison):
    """Cards, charts, distributions, therapist time, unmet mandates and export."""
    cards = learning.cards_with_weeks(comparison, runs.outcome_cards(comparison))
    base = comparison.runs[comparison.baseline].label
    ChangedParameters(comparison.params, "These results")
    solara.Markdown(f"Each policy was simulated **{len(comparison.seeds)} times** over a "
                    f"{comparison.weeks}-week school year, with the same students and the same "
                    f"chance events, so the differences come from the policy. Differences are "
                    f"against **{base}**; the 95% interval shows how sure the simulation is: "
                    "a green edge means better, orange worse, grey no clear difference.")
    def policy_cards_view(key, policy_cards, heading=True):
        if heading:
            solara.Markdown(f"### {comparison.runs[key].label} compared with {base}")
        # two cards a row on a tablet, three or four on a laptop; dense gutters and cards
        # that fill their cell, so a comparison of three policies is not a page of gaps
        same = [c for c in policy_cards if c.verdict == "unclear" or c.low <= 0 <= c.high]
        shown = [c for c in policy_cards if c not in same]
        with solara.ColumnsResponsive(12, small=6, medium=4, large=3, gutters_dense=True,
                                      classes=["is-outcome-grid"]):
            for card in shown:
                OutcomeCardView(card)
        if same:
            SameCard(same, base, len(comparison.seeds))

    if len(cards) == 1:
        policy_cards_view(*next(iter(cards.items())))
    else:
        # One tab per policy compared with the baseline: three policies' cards one under the
        # other made a tablet page over 3,500 px long; each tab holds every card of its policy.
        with solara.Column(classes=["is-policy-tabs"], gap="0px"):
            with solara.lab.Tabs():
                for key, policy_cards in cards.items():
                    with solara.lab.Tab(f"{comparison.runs[key].label} compared with {base}"):
                        policy_cards_view(key, policy_cards, heading=False)
    if any(c.metric in learning.SD_GROUPS for cs in cards.values() for c in cs):
        solara.HTML(tag="details", classes=["is-help"], unsafe_innerHTML=(
            "<summary>What &ldquo;a week of typical learning&rdquo; means</summary>"
            f"{html.escape(learning.NOTE)}"), style={"margin": "4px 0 8px 0"})
    with solara.lab.Tabs():
        with solara.lab.Tab("Over the weeks"):
            weekly = {label: key for key, (label, _) in figures.WEEKLY_CHARTS.items()}
            current = figures.WEEKLY_CHARTS[state.weekly_metric.value][0]
            solara.Select("Outcome", values=list(weekly), value=current, dense=True,
                          on_value=lambda label: state.weekly_metric.set(weekly[label]),
                          style={"max-width": "560px", "margin-top": "18px"})
            fig = solara.use_memo(lambda: figures.weekly_chart(comparison,
                                                               state.weekly_metric.value),
                                  [comparison, state.weekly_metric.value])
            Figure(fig, f"weekly_{state.weekly_metric.value}.png")
        with solara.lab.Tab("Across students"):
            columns = {label: key for key, (label, _) in figures.STUDENT_DISTRIBUTIONS.items()}
            current = figures.STUDENT_DISTRIBUTIONS[state.distribution_column.value][0]
            solara.Select("Measure", values=list(columns), value=current, dense=True,
                          on_value=lambda label: state.distribution_column.set(columns[label]),
                          style={"max-width": "560px", "margin-top": "18px"})
            fig = solara.use_memo(lambda: figures.distribution_chart(
                comparison, state.distribution_column.value),
                [comparison, state.distribution_column.value])
            Figure(fig, f"students_{state.distribution_column.value}.png")
            solara.Markdown("Each shape shows how the students with IEPs are spread.",
                            style={"font-size": "0.82rem", "color": "#555"})
        with solara.lab.Tab("Therapist time and unmet mandates"):
            fig = solara.use_memo(lambda: figures.therapist_time_chart(comparison), [comparison])
            Figure(fig, "therapist_time.png")
            unmet = comparison.table("unmet")
            if len(unmet):
                # minutes a week, as mandates are written and as the All outcomes tab says
                table = (unmet.groupby(["policy_label", "service", "reason"])["minutes"]
                         .sum().div(len(comparison.seeds)).round(0).astype(int).reset_index())
                table["service"] = table["service"].map(lambda k: SERVICE_LABELS.get(k, k))
                table["reason"] = table["reason"].map(lambda k: UNMET_REASONS.get(k, k))
                table = table.rename(columns={"policy_label": "Policy", "service": "Service",
                                              "reason": "Why",
                                              "minutes": "Unmet minutes a week"})
                solara.Markdown("**Mandated time that could not be scheduled** "
                                "(minutes a week, average over runs):")
                Table(table[["Policy", "Service", "Unmet minutes a week", "Why"]],
                      numeric=("Unmet minutes a week",))
            else:
                solara.Success("Every mandated minute could be scheduled under every policy.")
        with solara.lab.Tab("All outcomes"):
            solara.Markdown("Average over the runs, with the 95% interval (±). " + _SAME_NOTE,
                            style={"font-size": "0.85rem", "color": "#555"})
            Table(_means_table(comparison))
    with solara.Card(classes=["is-card"]):
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.HTML(tag="b", unsafe_innerHTML="Export:")
            solara.FileDownload(lambda: _csv_zip(comparison), filename="comparison_tables.zip",
                                label="Tables (CSV, zipped)", mime_type="application/zip")
            solara.FileDownload(lambda: _report(comparison), filename="comparison_report.html",
                                label="Short report (HTML)", mime_type="text/html")
            solara.FileDownload(lambda: figures.png_bytes(figures.weekly_chart(
                comparison, "iep_core_hours_missed")), filename="core_hours_missed.png",
                label="Main chart (PNG)", mime_type="image/png")


def SliderLabel(label: str, value: str, note: str = "") -> None:
    """A slider's label with its current value in bold (Solara sliders do not show theirs)."""
    solara.HTML(tag="div", classes=["is-slider-label"], unsafe_innerHTML=(
        f"{html.escape(label)}: <b>{html.escape(value)}</b>"
        f'<span class="is-muted">{html.escape(note)}</span>'))


@solara.component
def ComparePage():
    """Run two or more policies on the same seeds and read the differences."""
    Header("Compare policies", "Run the same school under two or more policies and see what "
           "changes for students, staff and the budget.")
    choice = state.school_choice.value
    if choice is None:
        NeedSchool()
        return
    options = state.policy_options()
    chosen = [state.policy_label(k) for k in state.compared.value]
    with solara.Card("What to compare", classes=["is-card"]):
        solara.SelectMultiple("Policies (the first is the one the others are compared with)",
                              values=chosen, all_values=list(options), dense=True,
                              on_value=lambda ls: state.compared.set([options[x] for x in ls]))
        with solara.Columns([1, 1]):
            with solara.Column(gap="0px"):
                SliderLabel("Runs per policy", str(state.replicates.value),
                            " (more runs, narrower intervals)")
                solara.SliderInt("", value=state.replicates, min=2, max=10, thumb_label=False)
            with solara.Column(gap="0px"):
                SliderLabel("Length of the year", f"{state.weeks.value} school weeks")
                solara.SliderInt("", value=state.weeks, min=4, max=40, thumb_label=False)
        ready = len(state.compared.value) >= 2
        solara.Button("Run comparison", color="primary", disabled=not ready,
                      icon_name="mdi-play",
                      on_click=lambda: run_comparison_task(
                          choice, list(state.compared.value), dict(state.overrides.value),
                          int(state.replicates.value), int(state.weeks.value)))
        if not ready:
            solara.Markdown("Choose at least two policies.", style={"color": "#D55E00"})
        TaskProgress(run_comparison_task, state.progress_text.value, "The comparison failed")
    comparison = state.comparison.value
    if comparison is not None:
        ComparisonResults(comparison)
    elif not run_comparison_task.pending:
        solara.Info("Choose policies and press Run comparison. Five runs of two policies take "
                    "a few seconds.")


# --------------------------------------------------------------------------- Classroom


def _timetables_zip(model, title: str) -> bytes:
    """Every therapist's and class's week under the policy shown: the command line's files.

    Two CSVs, the printable page and the data dictionary of the CSVs' columns.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in timetables.timetable_files(model.school, model.schedule,
                                                     title=title).items():
            zf.writestr(name, text)
    return buffer.getvalue()


def _view_model(policy_key: str):
    """The finished model of the comparison for this policy, else a fresh one (not run)."""
    comparison = state.comparison.value
    if comparison is not None and policy_key in comparison.runs:
        return comparison.runs[policy_key].model
    _, _, policy = state.policy_for(policy_key)
    return views.week_model(state.school_choice.value, policy, dict(state.overrides.value))


@solara.component
def ClassroomPage():
    """One class through the week, period by period, drawn as a room."""
    Header("A classroom, period by period", "Step through a class's week: what the lesson is, "
           "who is in the room, who is out and where, and where each therapist is.")
    choice = state.school_choice.value
    if choice is None:
        NeedSchool()
    else:
        ClassroomView(choice)


def _policy_select(label: str):
    """A policy drop-down in plain words, shared by the Classroom and Student pages."""
    options = state.policy_options()
    solara.Select(label, values=list(options),
                  value=state.policy_label(state.classroom_policy.value), dense=True,
                  on_value=lambda x: state.classroom_policy.set(options[x]),
                  style={"min-width": "280px", "max-width": "360px"})


def _week_choice(record, class_id: str) -> tuple[int, dict[int, str]]:
    """The week of the year shown (0-based) and the picker's label of every week."""
    weeks = views.class_weeks(record, class_id)
    chosen = state.classroom_week.value
    if chosen not in weeks:  # open on the class's first week with a session lost
        chosen = next((w for w, (lost, _) in weeks.items() if lost), next(iter(weeks), 0))
    labels_ = {}
    for w, (lost, made) in weeks.items():
        what = (f"{lost} session{'s' if lost != 1 else ''} not held" if lost
                else "every session held")
        labels_[w] = f"Week {w + 1}: {what}" + (f", {made} made up" if made else "")
    return chosen, labels_


def YearWeekSessions(record, class_id: str, week: int, any_made_up: bool) -> None:
    """The class's sessions not held in the week, and why, with a legend of the causes."""
    periods = state.school_choice.value.school.timetable.periods
    table = views.class_week_sessions(record, class_id, week, periods)
    if len(table):
        solara.Markdown(f"**Sessions of class {class_id} not held in week {week + 1}, and "
                        "make-ups**")
        Table(table)
    else:
        solara.Markdown(f"Every session of class {class_id} was held in week {week + 1}.")
    legend = "".join(f"<li><b>{html.escape(short)}</b>: {html.escape(long)}</li>"
                     for short, long in present_sessions.CAUSE_LABELS.values())
    made = ("<li><b>made up</b>: an extra one-to-one session later the same week, in the "
            "therapy room, in place of a cancelled one.</li>")
    solara.HTML(tag="div", unsafe_innerHTML=(
        '<div class="is-help" style="margin-top:8px">Why a session was not held:</div>'
        f'<ul class="is-legend">{legend}{made}</ul>'))
    if not any_made_up:
        solara.Markdown("No session is made up under this policy. Your plan can make them up "
                        "(a tick box on the Policy page).",
                        style={"font-size": "0.82rem", "color": "#555"})


@solara.component
def ClassroomView(choice: schools.SchoolChoice):
    """The room for one period of the week, a stepper across the week, and the week at a glance.

    The drawing comes from `views.classroom_period`, which only reads the model's timetable
    (`SchoolModel.location` and the scheduled sessions); the week is the same every week.
    """
    class_ids = [c.id for c in choice.school.classes]
    if state.classroom_id.value not in class_ids:
        state.classroom_id.set(class_ids[0])
    model = solara.use_memo(lambda: _view_model(state.classroom_policy.value),
                            [state.classroom_policy.value, choice, state.comparison.value,
                             str(state.plan_choices.value), state.plan_avoid_core.value,
                             state.plan_makeup.value])
    ChangedParameters(model.params.changed(), "This timetable and room")
    slots = views.week_slots(model)
    rows = solara.use_memo(lambda: views.classroom_week(model, state.classroom_id.value),
                           [model, state.classroom_id.value])
    step = state.classroom_step.value
    if step is None:  # open on the first period where a student is out or a therapist is in
        step = next((i for i, r in enumerate(rows) if r["out"] or r["pushed_in"]), 0)
    step = min(max(step, 0), len(slots) - 1)
    here = slots[step]
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center", "gap": "24px"}):
        solara.Select("Class", values=class_ids, value=state.classroom_id, dense=True,
                      style={"max-width": "160px", "min-width": "120px"})
        _policy_select("Policy")
    with solara.Card(classes=["is-card"], style={"padding-bottom": "4px"}):
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center", "gap": "12px"}):
            solara.Button("Previous period", icon_name="mdi-chevron-left", outlined=True,
                          disabled=step == 0,
                          on_click=lambda: state.classroom_step.set(max(step - 1, 0)))
            solara.HTML(tag="div", classes=["classroom-when"], unsafe_innerHTML=(
                f'<span style="font-size:1.2rem;font-weight:500">{html.escape(here.label)}'
                f"</span>"), style={"min-width": "230px", "text-align": "center"})
            solara.Button("Next period", icon_name="mdi-chevron-right", outlined=True,
                          disabled=step == len(slots) - 1,
                          on_click=lambda: state.classroom_step.set(min(step + 1,
                                                                        len(slots) - 1)))
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center", "gap": "12px"}):
            day_names = [DAYS[d] for d in sorted({w.day for w in slots})]

            def go(day: int, slot: int) -> None:
                state.classroom_step.set(next(i for i, w in enumerate(slots)
                                              if w.day == day and w.slot == slot))

            solara.ToggleButtonsSingle(value=DAYS[here.day], values=day_names,
                                       on_value=lambda d: go(DAYS.index(d), here.slot))
            shorts = [w.short for w in slots if w.day == here.day]
            solara.ToggleButtonsSingle(value=here.short, values=shorts,
                                       on_value=lambda x: go(here.day, next(
                                           w.slot for w in slots
                                           if w.day == here.day and w.short == x)))
    period = views.classroom_period(model, state.classroom_id.value, here.day, here.slot)
    with solara.Card(classes=["is-card", "classroom-period"]):
        solara.HTML(tag="div", unsafe_innerHTML=views.room_svg(period, state.classroom_id.value),
                    style={"width": "100%"})
    record = solara.use_memo(
        lambda: week_record.session_record(model) if model.disrupted else None, [model])
    week, week_labels = (_week_choice(record, state.classroom_id.value) if record is not None
                         else (None, {}))
    marks = (views.class_week_marks(record, state.classroom_id.value, week)
             if week is not None else None)
    title = ("The week at a glance" if week is None
             else f"The week at a glance: week {week + 1} of the year")
    with solara.Card(title, classes=["is-card", "classroom-week"]):
        if week is not None:
            by_label = {v: k for k, v in week_labels.items()}
            solara.Select("Week of the year", values=list(by_label), value=week_labels[week],
                          on_value=lambda x: state.classroom_week.set(by_label[x]), dense=True,
                          style={"max-width": "420px"})
        solara.HTML(tag="div", unsafe_innerHTML=views.week_overview_html(
            rows, (here.day, here.slot), marks), style={"overflow-x": "auto"})
        repeat = ("The timetable repeats every week; what is held does not: absences, events "
                  "and paperwork cancel sessions, marked *cancelled* in the week chosen. The "
                  "drawing above shows the timetable." if week is not None
                  else "The timetable repeats every week.")
        solara.Markdown("The framed cell is the period drawn above. *out*: students of this "
                        "class out of the room; *therapist in*: a therapist working in the "
                        f"room. {repeat}",
                        style={"font-size": "0.82rem", "color": "#555"})
        if week is not None:
            YearWeekSessions(record, state.classroom_id.value, week,
                             any("made up" in v for v in week_labels.values()))
        title = f"{choice.label}: {state.policy_label(state.classroom_policy.value)}"
        solara.FileDownload(lambda: _timetables_zip(model, title), filename="timetables.zip",
                            label="Timetables of every therapist and class (CSV files with a "
                            "data dictionary, and a printable page, zipped)",
                            mime_type="application/zip")


# --------------------------------------------------------------------------- Student


@solara.component
def StudentPage():
    """One student through a week and through the year."""
    Header("Follow one student", "A week of sessions and lessons, and the year: skills, "
           "belonging, stigma and core instruction missed.")
    choice = state.school_choice.value
    if choice is None:
        NeedSchool()
    elif not any(s.has_iep for s in choice.school.students):
        solara.Info("This school has no students with an IEP.")
    else:
        StudentView(choice)


@solara.component
def StudentView(choice: schools.SchoolChoice):
    """The week timetable and the year charts of the chosen student."""
    students = {s.id: s for s in choice.school.students if s.has_iep}
    if state.student_id.value not in students:
        state.student_id.set(next(iter(students)))
    record = students[state.student_id.value]
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center", "gap": "24px"}):
        solara.Select("Student with an IEP", values=list(students), value=state.student_id,
                      dense=True, style={"max-width": "200px"})
        _policy_select("Policy for the week")
    mandates = "; ".join(f"{SERVICE_LABELS[m.service]}, {m.sessions_per_week} "
                         f"session{'s' if m.sessions_per_week > 1 else ''} of "
                         f"{m.minutes_per_session} min a week" for m in record.mandates)
    grade = {-1: "pre-kindergarten", 0: "kindergarten"}.get(record.grade,
                                                            f"grade {record.grade}")
    solara.Markdown(f"**{record.id}**, class {record.class_id}, {grade}. IEP services: "
                    f"{mandates}.")
    model = solara.use_memo(lambda: _view_model(state.classroom_policy.value),
                            [state.classroom_policy.value, choice, state.comparison.value,
                             str(state.plan_choices.value), state.plan_avoid_core.value,
                             state.plan_makeup.value])
    ChangedParameters(model.params.changed(), "This week and year")
    cells = views.student_week_cells(model, record.id)
    with solara.Card("The week", classes=["is-card", "student-week"]):
        sessions = [c for c in cells if c["session"]]
        pulled = [c for c in sessions if c["kind"] == "out"]
        summary = (f"**{len(sessions)} sessions this week** under "
                   f"{state.policy_label(state.classroom_policy.value)}: "
                   f"{sum(c['kind'] == 'in' for c in sessions)} in class, "
                   f"{len(pulled)} pulled out, "
                   f"{sum(c['kind'] == 'after' for c in sessions)} after school.")
        if pulled:
            lessons = "lesson" if len(pulled) == 1 else "lessons"
            summary += f" Misses part of {len(pulled)} {lessons} (crossed out below)."
        solara.Markdown(summary)
        solara.HTML(tag="div", unsafe_innerHTML=views.student_week_html(cells),
                    style={"overflow-x": "auto"})
        solara.HTML(tag="div", classes=["is-help"], unsafe_innerHTML=(
            '<span class="is-session is-session-in">in class with the therapist</span> '
            '<span class="is-session is-session-out">pulled out to the therapy room</span> '
            '<span class="is-session is-session-after">after school</span>'),
            style={"margin-top": "8px"})
    comparison = state.comparison.value
    with solara.Card("The year", classes=["is-card"]):
        if comparison is None:
            solara.Info("Run a comparison on the Compare page to follow this student through "
                        "the year under each policy.")
        else:
            StudentYear(comparison, record.id)


@solara.component
def StudentYear(comparison: runs.Comparison, student_id: str):
    """The student's weekly measures under each policy of the comparison (first run)."""
    def draw():
        series = {pr.label: views.student_history(pr.model, student_id)
                  for pr in comparison.runs.values() if pr.model is not None}
        return figures.student_year_chart(series, student_id, comparison.params)

    fig = solara.use_memo(draw, [comparison, student_id])
    solara.Markdown(f"One simulated year of {student_id} under each policy compared (the "
                    "first run of each). Where lines lie on top of each other the policies "
                    "give this student the same result.",
                    style={"font-size": "0.85rem", "color": "#555"})
    Figure(fig, f"student_{student_id}.png")
    year = solara.use_memo(lambda: runs.student_year(comparison, student_id),
                           [comparison, student_id])
    if len(year):
        solara.Markdown("Minutes of each service over the year, and the sessions lost and why "
                        "(absences and events only when the school's scenario turns them on).",
                        style={"font-size": "0.85rem", "color": "#555"})
        Table(year)


# --------------------------------------------------------------------------- About

def _mechanisms_text() -> str:
    """The About page's account of a step, generated from the model's step table."""
    return ("The model simulates a school year slot by slot (each timetable period, then the "
            "after-school slots). Each student with an IEP has mandated sessions; the delivery "
            "policy decides where they happen, and a weekly timetable places every session "
            "(what cannot be placed is reported as unmet minutes, with the reason). Then these "
            "steps run, in this order:\n\n" + _plain_steps(steps.schedule_text()))


def _plain_steps(text: str) -> str:
    """The step table without the code names of steps and switches, which mean nothing here."""
    import re

    text = re.sub(r"\s*\*\(switch:\s+`[a-z_]+`\)\*", "", text)
    return re.sub(r"(\d+\. )`[a-z_]+`:\s+", r"\1", text)


@solara.component
def AboutPage():
    """Each mechanism in a few sentences; the parameters with sources; what is an estimate."""
    Header("About the model", "What the simulation does, where its numbers come from, and "
           "which of them are estimates.")
    solara.Markdown(_mechanisms_text())
    estimates = sum(p.status == "estimate" for p in PARAMETERS.values())
    solara.Markdown(f"### The numbers behind it\n{len(PARAMETERS)} numbers drive the model; "
                    f"**{estimates} are estimates** (no measurement was found) and are the first "
                    "thing to vary before trusting a result. The others were read in the cited "
                    "sources. The Policy page lets you change the ones people ask about most.")
    import pandas as pd

    table = pd.DataFrame([{"Number": labels.parameter_label(p.name),
                           "Default": labels.format_parameter(p.name, p.default),
                           "Range tried": labels.format_range(p.name),
                           "Meaning": p.doc,
                           "Source": f"{labels.STATUS_LABELS.get(p.status, p.status)}: "
                                     f"{labels.plain_source(p.source)}"}
                          for p in PARAMETERS.values()])
    with solara.Card(classes=["is-card"]):
        Table(table, classes="is-about is-parameters")
    solara.Markdown("### How pull-out and push-in are treated\n"
                    "Every place where the model treats the two settings differently, and why. "
                    "Where no study shows a difference, the model starts them equal; the ranges "
                    "let you try either direction.")
    with solara.Card(classes=["is-card"]):
        Table(pd.DataFrame(asymmetries.plain_rows()), classes="is-about")
    solara.Markdown("### The outcomes\n" + "\n".join(
        f"- **{m.label}** ({labels.metric_unit(key)}; "
        f"{ {'higher': 'higher is better', 'lower': 'lower is better'}.get(m.better, 'neither better nor worse')})"  # noqa: E501
        + (f": {m.doc}" if m.doc else "")
        for key, m in METRICS.items()))


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara's layout signature
    """The frame of every page: a title bar and tabs named in plain words."""
    route, siblings = solara.use_route()
    router = solara.use_router()
    index = siblings.index(route) if route in siblings else 0
    paths = [solara.resolve_path(r) for r in siblings]  # only resolvable while rendering

    def go(i: int) -> None:
        router.push(paths[i])

    solara.Style(_CSS)
    solara.Title(TITLE)
    with solara.Column(gap="0px", style={"min-height": "100vh", "background": "#F6F7F9"}):
        with solara.Column(gap="0px", style={"background": "#12436D", "color": "#fff",
                                             "padding": "14px 24px 0 24px"}):
            solara.HTML(tag="div", unsafe_innerHTML=(
                f'<div style="font-size:1.45rem;font-weight:500">{html.escape(TITLE)}</div>'
                '<div style="opacity:0.85;font-size:0.95rem">Simulate how related services '
                "are delivered and what it means for students, staff and the budget.</div>"))
            with solara.lab.Tabs(value=index, on_value=go, background_color="#12436D",
                                 slider_color="#F4B400", dark=True):
                for r in siblings:
                    solara.lab.Tab(r.label or r.path)
        with solara.Column(style={"padding": "16px 24px", "max-width": "1400px"},
                           children=children):
            pass


routes = [
    solara.Route(path="/", component=SchoolPage, label="School", layout=Layout),
    solara.Route(path="policy", component=PolicyPage, label="Policy"),
    solara.Route(path="compare", component=ComparePage, label="Compare"),
    solara.Route(path="classroom", component=ClassroomPage, label="Classroom"),
    solara.Route(path="student", component=StudentPage, label="Student"),
    solara.Route(path="about", component=AboutPage, label="About the model"),
]
