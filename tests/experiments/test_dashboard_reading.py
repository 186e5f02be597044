"""What the dashboard's results pages and exports say, without a browser.

One quick comparison (the small school, two runs of two weeks, walking time moved to 6
minutes) feeds the export, the report and the table of means; the weeks-of-learning reading is
checked against numbers worked by hand.
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
import zipfile

import pandas as pd
import pytest

pytest.importorskip("solara", reason="solara is not installed (the 'dashboard' extra)")

from inclusion_sim.delivery.policies import POLICY_PRESETS  # noqa: E402
from inclusion_sim.faces.dashboard import app, labels, learning, runs, schools, views  # noqa: E402
from inclusion_sim.faces.present import outcome_card  # noqa: E402

WALK = "Walk to and from the therapy room: 6 minutes each way (default 5)"


@pytest.fixture(scope="module")
def comparison():
    choice = schools.load_ready("small_elementary")
    return runs.run_comparison(
        choice, [("pull_out", "Pull-out", POLICY_PRESETS["pull_out"]),
                 ("push_in_collaborative", "Push-in (co-taught)",
                  POLICY_PRESETS["push_in_collaborative"])],
        overrides={"transition_minutes": 6.0}, replicates=2, weeks=2)


def test_weeks_of_learning_worked_by_hand():
    per_week = 1.33 / 36  # grade 1: 1.33 SD in a 36-week year
    said = learning.weeks_text(0.074, 0.05, 0.1, per_week)
    assert said == "about 2 more weeks of a typical student's learning (1 to 3 in the 95% interval)"
    assert learning.weeks_text(-0.037, -0.04, -0.034, per_week).startswith("about 1 fewer week ")
    assert learning.weeks_text(0.01, -0.01, 0.03, per_week) == \
        "less than one week of a typical student's learning"


def test_an_academic_card_says_weeks_and_its_colour_agrees_with_its_sentence():
    per_week = 0.8 / 36
    card = learning.with_weeks(outcome_card("iep_academic_growth_sd", "Push-in", "Pull-out",
                                            0.07, 0.05, 0.09), per_week)
    assert card.sentence.endswith("than with Pull-out: about 3 more weeks of a typical student's "
                                  "learning (2 to 4 in the 95% interval).")
    small = learning.with_weeks(outcome_card("iep_academic_growth_sd", "Push-in", "Pull-out",
                                             -0.002, -0.0025, -0.0015), per_week)
    assert small.sentence.endswith(": less than one week of a typical student's learning.")
    same = learning.with_weeks(outcome_card("iep_academic_growth_sd", "Push-in", "Pull-out",
                                            0.0005, -0.001, 0.002), per_week)
    assert "about the same" in same.sentence and "under half a week" in same.ci_text
    painted = dataclasses.replace(same, verdict="better")  # an interval just off zero
    assert learning.agreeing_verdict(painted).verdict == "unclear"


def test_week_growth_is_the_benchmark_of_the_groups_grades(comparison):
    from inclusion_sim.model.mechanisms.instruction import GROWTH_BY_GRADE

    model = comparison.runs["pull_out"].model
    grades = [s.grade for s in model.school.students if s.has_iep]
    expected = sum(GROWTH_BY_GRADE[max(g, 0)] for g in grades) / len(grades) / 36
    assert learning.week_growth(comparison, "iep") == pytest.approx(expected)
    assert learning.week_growth(comparison, "peer") > 0


def test_export_ships_a_data_dictionary_and_the_changed_parameters(comparison):
    with zipfile.ZipFile(io.BytesIO(app._csv_zip(comparison))) as zf:
        names = set(zf.namelist())
        assert {"data_dictionary.csv", "parameters_changed.csv", "outcomes_by_run.csv"} <= names
        dictionary = pd.read_csv(zf.open("data_dictionary.csv"))
        for name in names - {"data_dictionary.csv", "parameters_changed.csv",
                             "outcomes_summary.csv"}:
            columns = pd.read_csv(zf.open(name), nrows=0).columns
            described = set(dictionary.loc[dictionary["file"] == name, "column"])
            assert set(columns) == described, name
            text = zf.read(name).decode()
            assert "e+" not in text and "e-" not in text, f"exponents in {name}"
            digits = [len(n.replace(".", "").lstrip("0")) for n in re.findall(r"\d+\.\d+", text)]
            assert max(digits, default=0) <= 6, f"raw floats in {name}"
        changed = pd.read_csv(zf.open("parameters_changed.csv"))
    assert changed.to_dict("records") == [{
        "parameter": "transition_minutes", "label": "Walk to and from the therapy room",
        "value": 6.0, "default": 5.0, "value_in_words": "6 minutes each way",
        "default_in_words": "5 minutes each way"}]


def test_timetables_zip_has_a_data_dictionary_of_every_column(comparison, tmp_path):
    from inclusion_sim.faces.timetables import FILES, write_timetables

    model = comparison.runs["push_in_collaborative"].model
    data = app._timetables_zip(model, "Small school: Push-in (co-taught)")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == list(FILES)
        files = {name: zf.read(name).decode("utf-8") for name in zf.namelist()}
    dictionary = pd.read_csv(io.StringIO(files["data_dictionary.csv"]), keep_default_na=False)
    tables = [name for name in FILES if name.endswith(".csv") and name != "data_dictionary.csv"]
    assert set(dictionary["file"]) == set(tables)
    for name in tables:
        columns = list(pd.read_csv(io.StringIO(files[name]), nrows=0).columns)
        listed = dictionary[dictionary["file"] == name]
        assert list(listed["column"]) == columns, name
        assert (listed["label"] != "").all() and (listed["description"] != "").all(), name
    # the same files, byte for byte, as the command line writes
    written = write_timetables(model.school, model.schedule, tmp_path / "out",
                               title="Small school: Push-in (co-taught)")
    assert {p.name: p.read_text(encoding="utf-8") for p in written} == files


def test_served_in_full_says_what_refusals_cost_and_that_their_rate_is_an_estimate(
    comparison,
):
    cards = app.runs.outcome_cards(comparison)["push_in_collaborative"]
    (full,) = [c for c in cards if c.metric == "share_full_services"]
    refused = comparison.summary().groupby("policy")["sessions_lost_refusal"].mean()
    assert refused["pull_out"] > 0
    assert full.note.startswith(
        "Sessions lost to students' refusals (per student with an IEP in the 2-week year, "
        f"mean of the runs): {refused['pull_out']:.1f} with Pull-out, "
        f"{refused['push_in_collaborative']:.1f} with Push-in (co-taught).")
    assert "is an estimate, not a measurement" in full.note
    assert not [c.note for c in cards if c.metric != "share_full_services" and c.note]


def test_the_staffing_check_is_stale_once_your_plan_changes():
    from inclusion_sim.faces.dashboard import state

    choices = {service: "pull_out" for service in state.SERVICES}

    def policies(plan_choices, avoid_core=False):
        return [("pull_out", "Pull-out", POLICY_PRESETS["pull_out"]),
                (state.YOUR_PLAN, state.YOUR_PLAN_LABEL,
                 state.build_plan(plan_choices, avoid_core))]

    checked = schools.checked_policies(policies(choices))
    # the same plan built again (a new object, as every page draw makes) is not a change
    assert schools.changed_since_check(checked, policies(dict(choices))) == []
    edited = {**choices, "speech": "push_in_collaborative"}
    assert schools.changed_since_check(checked, policies(edited)) == [state.YOUR_PLAN_LABEL]
    # a setting of the plan, not only a service's model, makes the check stale
    assert schools.changed_since_check(checked, policies(choices, avoid_core=True)) == [
        state.YOUR_PLAN_LABEL]


def test_the_stigma_slider_says_what_its_points_mean():
    assert labels.format_parameter("stigma_per_removal", 0.004).startswith(
        "+0.4 points of felt stigma per visible removal")
    help_text = app._param_help("stigma_per_removal")
    assert "Felt stigma runs from 0 (none) to 100" in help_text
    assert help_text.index("Felt stigma runs") < help_text.index("*Source:")


def test_report_names_changed_numbers_in_words(comparison):
    report = app._report(comparison)
    assert WALK in report and "transition_minutes" not in report
    assert "too narrow" not in report


def test_table_of_means_has_no_zero_spread(comparison):
    table = app._means_table(comparison)
    cells = [str(v) for column in table.columns[2:] for v in table[column]]
    assert not [c for c in cells if re.search(r"± \$?0(\.0+)?$", c)]
    assert any("±" in c for c in cells)  # real spreads stay
    unscheduled = table.loc[table["Outcome"].str.contains("could not be scheduled"), "Unit"]
    assert list(unscheduled) == ["minutes per week"]


def test_about_steps_without_code_names():
    text = app._plain_steps(app.steps.schedule_text())
    assert "`" not in text and "switch" not in text
    assert len(re.findall(r"^\d+\. ", text, re.M)) == len(app.steps.STEPS)


def test_classroom_drawing_is_two_pictures_that_stay_legible(comparison):
    model = comparison.runs["pull_out"].model
    class_id = model.school.classes[0].id
    svg = views.room_svg(views.classroom_period(model, class_id, 0, 0), class_id)
    widths = [float(w) for w in re.findall(r'viewBox="0 0 ([\d.]+) ', svg)]
    assert len(widths) == 2
    smallest = min(float(f) for f in re.findall(r'font-size="([\d.]+)"', svg))
    # a tablet's content is about 740 px wide: each picture is drawn at least at its own size
    assert smallest >= 10 and max(widths) <= 740, (smallest, widths)
    assert math.isfinite(smallest)


def test_the_front_of_the_room_shows_who_has_the_class(comparison):
    model = comparison.runs["pull_out"].model
    tt = model.school.timetable
    class_id = model.school.classes[0].id
    subjects = {subject: (day, slot) for day in range(tt.days) for slot in range(tt.periods)
                for subject in [tt.subjects[class_id][day][slot]]}
    for subject, who in (("math", ">teacher<"), ("specials", ">specials teacher<"),
                         ("lunch_recess", ">lunch staff<")):
        day, slot = subjects[subject]
        assert who in views.room_svg(views.classroom_period(model, class_id, day, slot),
                                     class_id), subject


def test_every_dashboard_figure_fits_and_says_what_was_changed(comparison):
    from inclusion_sim.faces.dashboard import figures
    from inclusion_sim.faces.present import text_problems

    model = comparison.runs["pull_out"].model
    student = next(s.id for s in model.school.students if s.has_iep)
    drawn = {
        "weekly": figures.weekly_chart(comparison, "iep_core_hours_missed"),
        "students": figures.distribution_chart(comparison, "belonging"),
        "therapists": figures.therapist_time_chart(comparison),
        "student year": figures.student_year_chart(
            {pr.label: views.student_history(pr.model, student)
             for pr in comparison.runs.values()}, student, comparison.params),
    }
    for name, fig in drawn.items():
        assert text_problems(fig) == [], name
        texts = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
        assert "6 minutes each way (default 5)" in " ".join(texts.split()), name
    belonging = drawn["student year"].axes[1]
    assert belonging.get_ylim() == (0, 100)  # a move from 89 to 91 looks small


def test_classroom_week_says_which_sessions_were_lost_and_why_in_plain_words():
    """A week of the school year on the Classroom page: losses marked, listed and explained."""
    from inclusion_sim.analysis.week_record import session_record
    from inclusion_sim.faces.dashboard import state

    choice = schools.load_ready("small_school_year")
    plan = state.build_plan({s: "pull_out" for s in state.SERVICES}, False, makeup=True)
    model = views.week_model(choice, plan, {})
    assert model.disrupted
    record = session_record(model, weeks=2)
    lost = record[record["status"].isin(("cancelled", "refused"))]
    class_id = lost["class_id"].value_counts().index[0]  # the class that lost the most
    weeks = views.class_weeks(record, class_id)
    week = max(weeks, key=lambda w: weeks[w][0])
    table = views.class_week_sessions(record, class_id, week, choice.school.timetable.periods)
    marks = views.class_week_marks(record, class_id, week)
    assert weeks[week][0] > 0
    assert sum(m["cancelled"] for m in marks.values()) == weeks[week][0]
    assert sum(m["made_up"] for m in marks.values()) == weeks[week][1]
    assert len(table) == weeks[week][0] + weeks[week][1]
    said = " ".join(table["What happened"]) + " ".join(table["Session"])
    assert "_" not in said, said  # no code names (student_absent, pull_out)
    assert set(table["What happened"]) <= {
        "Cancelled: student absent", "Cancelled: therapist absent", "Cancelled: school event",
        "Cancelled: evaluations and paperwork", "Not held: the student refused",
        "Made up: an extra session in place of a cancelled one"}
    made = table[table["What happened"].str.startswith("Made up")]
    assert (table["Made up?"].str.startswith("made up ")).sum() == len(made)
    html_ = views.week_overview_html(views.classroom_week(model, class_id), (0, 0), marks)
    assert f"{max(m['cancelled'] for m in marks.values())} cancelled" in html_
