"""The staffing feasibility report and its command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from inclusion_sim import InputError
from inclusion_sim.analysis.feasibility import TABLES, feasibility_report
from inclusion_sim.base.params import Params
from inclusion_sim.delivery.policies import POLICY_PRESETS, uniform
from inclusion_sim.delivery.schedulers import SchedulingOptions
from inclusion_sim.faces import present
from inclusion_sim.faces.cli import main
from inclusion_sim.school.csv_loader import load_school_folder

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SCENARIO = ROOT / "scenarios" / "example_300_csv.toml"


@pytest.fixture
def school_without_ot(tiny_school: Path, edit) -> Path:
    """The tiny school after its only OT left: three OT sessions (90 minutes) have no one."""
    edit(tiny_school, "staff.csv", 5, "")
    return tiny_school


def test_every_mandated_minute_is_scheduled_or_unmet_with_a_reason(tiny_school: Path) -> None:
    report = feasibility_report(load_school_folder(tiny_school))
    students = report.students
    assert set(students["policy"]) == set(POLICY_PRESETS)
    assert (students["scheduled_minutes"] + students["unmet_minutes"]
            == students["mandated_minutes"]).all()
    assert ((students["unmet_minutes"] > 0) == (students["unmet_reasons"] != "")).all()
    totals = students.groupby("policy")["unmet_minutes"].sum()
    assert report.unmet.groupby("policy")["minutes"].sum().reindex(totals.index,
                                                                   fill_value=0).equals(totals)


def test_extra_hours_are_the_fewest_that_meet_what_staff_can_meet(school_without_ot) -> None:
    report = feasibility_report(load_school_folder(school_without_ot))
    extra = report.extra.set_index("policy")
    assert set(report.unmet["reason"]) == {"no_therapist"}
    # Pulled out: three 30-minute sessions, nothing else.
    assert extra.loc["pull_out", "extra_minutes"] == 90
    assert extra.loc["pull_out", "unmet_after"] == 0
    # Pushed in: class 1A has no writing or specials lesson, so its student's OT session cannot
    # be pushed in whatever the staffing; the other two sessions need 60 minutes plus 5 of
    # travel each, rounded up to a quarter hour.
    assert extra.loc["push_in", "extra_minutes"] == 75
    assert extra.loc["push_in", "unmet_after"] == 30
    assert extra.loc["push_in", "reasons_left"] == "no_relevant_lesson"
    # Collaborative push-in adds 30 minutes of co-planning with the one class.
    assert extra.loc["push_in_collaborative", "extra_minutes"] == 105
    summary = report.summary().set_index("policy")
    assert summary.loc["pull_out", "extra_hours_needed"] == 1.5
    assert summary.loc["push_in", "unmet_minutes_staffing_cannot_fix"] == 30


def test_fully_staffed_school_needs_no_extra_hours(tiny_school: Path, edit) -> None:
    edit(tiny_school, "staff.csv", 5, "R2,therapist,,OT,300,Tue;Wed,agency")
    report = feasibility_report(load_school_folder(tiny_school),
                                {"pull_out": POLICY_PRESETS["pull_out"]})
    assert report.extra.empty
    assert report.summary().loc[0, "extra_hours_needed"] == 0
    assert report.summary().loc[0, "met_percent"] == 100.0


def test_therapist_time_adds_up(tiny_school: Path) -> None:
    report = feasibility_report(load_school_folder(tiny_school))
    t = report.therapists
    assert (t["used_minutes"] == t["direct_minutes"] + t["travel_minutes"]
            + t["coplanning_minutes"] + t["consultation_minutes"]
            + t["supervision_minutes"]).all()
    assert (t["idle_minutes"] == t["contracted_minutes"] - t["used_minutes"]).all()
    pulled = t[t["policy"] == "pull_out"]
    assert (pulled["travel_minutes"] == 0).all() and (pulled["coplanning_minutes"] == 0).all()


@pytest.mark.parametrize("scheduler", ["greedy", "optimal"])
def test_consultation_as_a_service_takes_the_time_of_direct_sessions(tiny_school: Path, edit,
                                                                      scheduler: str) -> None:
    # R1's contract is exactly its 90 minutes of pulled-out speech a week, held one to one (in
    # groups of two the same student-minutes would take 60 therapist minutes).
    edit(tiny_school, "staff.csv", 4, "R1,therapist,,speech,90,Mon;Tue;Thu,school")
    edit(tiny_school, "students.csv", 2, "S1,1A,1,2,30,1,,,")
    edit(tiny_school, "students.csv", 4, "S3,1A,1,1,30,1,1,30,1")
    school = load_school_folder(tiny_school)
    policies = {"sessions": POLICY_PRESETS["pull_out"],
                "with consultation": uniform("with consultation", "pull_out",
                                             consultation_minutes=30)}
    report = feasibility_report(school, policies, scheduling=SchedulingOptions(scheduler),
                                explain=False)
    speech = report.therapists[report.therapists["therapist_id"] == "R1"].set_index("policy")
    assert speech.loc["sessions", "direct_minutes"] == 90
    assert speech.loc["sessions", "consultation_minutes"] == 0
    # one class (1A) has speech students: 30 minutes of consultation leave 60 for sessions
    assert speech.loc["with consultation", "consultation_minutes"] == 30
    assert speech.loc["with consultation", "direct_minutes"] == 60
    assert speech.loc["with consultation", "used_minutes"] == 90
    assert speech.loc["with consultation", "idle_minutes"] == 0
    services = report.services[report.services["service"] == "speech"].set_index("policy")
    assert services.loc["with consultation", "consultation_minutes"] == 30
    summary = report.summary().set_index("policy")
    # and OT's therapist consults in both classes: 30 + 2 x 30 minutes in all
    assert summary.loc["with consultation", "consultation_minutes"] == 90
    from inclusion_sim.analysis.feasibility_text import details_text, summary_text

    assert "Consulting teachers, minutes a week" in summary_text(report)
    assert "Consult" in details_text(report)


def test_the_week_report_counts_supervision_of_assistants(tiny_school: Path) -> None:
    with (tiny_school / "staff.csv").open("a", encoding="utf-8") as f:
        f.write("A1,SLPA,,speech,450,Fri,school\n")
    school = load_school_folder(tiny_school)
    report = feasibility_report(school, {"pull_out": POLICY_PRESETS["pull_out"]}, explain=False)
    r1 = report.therapists.set_index("therapist_id").loc["R1"]
    # 10% of the assistant's 450 minutes, kept out of R1's 600 before sessions are placed
    assert r1["supervision_minutes"] == 45 and r1["contracted_minutes"] == 600
    assert r1["used_minutes"] == r1["direct_minutes"] + 45
    assert report.therapists.set_index("therapist_id").loc["A1", "supervision_minutes"] == 0
    assert report.summary().loc[0, "supervision_minutes"] == 45
    # the year view pays for the same minutes every week
    from inclusion_sim import run

    year = run(school=school, policy="pull_out", seed=1, weeks=2, scheduling="optimal")
    paid = year.therapists.set_index("therapist_id").loc["R1", "supervision_minutes"]
    assert paid == pytest.approx(2 * 45)
    # a state allowing one assistant per therapist refuses a second, in the report as in a run
    with (tiny_school / "staff.csv").open("a", encoding="utf-8") as f:
        f.write("A2,SLPA,,speech,450,Fri,school\n")
    with pytest.raises(InputError, match="assistants of speech"):
        feasibility_report(load_school_folder(tiny_school), explain=False,
                           params=Params({"assistant_supervision_cap": 1}))


def test_tables_csv_and_figure(school_without_ot: Path, tmp_path: Path) -> None:
    report = feasibility_report(load_school_folder(school_without_ot))
    paths = report.write_csv(tmp_path / "out")
    assert [p.name for p in paths] == [f"feasibility_{name}.csv" for name in TABLES] + [
        "data_dictionary.csv"]
    dictionary = pd.read_csv(paths[-1]).set_index(["file", "column"])
    assert dictionary.loc[("feasibility_services.csv", "unmet_minutes"), "unit"] == \
        "minutes per week"
    assert len(dictionary) == sum(len(pd.read_csv(p, nrows=0).columns) for p in paths[:-1])
    summary = pd.read_csv(tmp_path / "out" / "feasibility_summary.csv")
    assert list(summary["policy"]) == list(POLICY_PRESETS)
    from inclusion_sim.analysis.feasibility_text import figure_names
    from inclusion_sim.faces.present import text_problems

    figure = report.figure(*figure_names(report))
    assert len(figure.axes) == 4
    # The fourth panel: each discipline's time in use, not only all therapists' together.
    by_discipline = report.therapists.groupby(["policy", "discipline"])[
        ["used_minutes", "contracted_minutes"]].sum()
    expected = sorted(round(100 * u / c, 9) for u, c in by_discipline.itertuples(index=False))
    assert sorted(round(bar.get_height(), 9) for bar in figure.axes[3].patches) == expected
    assert not text_problems(figure)
    shown = " ".join(t.get_text() for ax in figure.axes for t in ax.get_xticklabels())
    assert "Push-in,\nco-taught" in shown and "Push-in,\nalongside" in shown
    assert "push_in" not in shown
    figure.savefig(tmp_path / "figure.png")
    assert (tmp_path / "figure.png").stat().st_size > 10_000
    # the Python API's text is the command line's (summary and --details), in plain words
    text = report.to_text()
    from inclusion_sim.analysis.feasibility_text import details_text, summary_text

    assert text == summary_text(report, details_hint=False) + details_text(report)
    assert report.to_text(details=False) == summary_text(report, details_hint=False)
    assert "no_therapist" not in text and "no therapist of this discipline at the school" in text
    assert not present.terminal_problems(text)


def test_command_line_on_the_example_scenario(tmp_path: Path, capsys) -> None:
    code = main(["feasibility", str(EXAMPLE_SCENARIO), "--policy", "pull_out", "--policy",
                 "push_in", "--csv", str(tmp_path / "tables"), "--figure",
                 str(tmp_path / "feasibility.png")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Staffing feasibility: Example school from CSV files" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert (tmp_path / "feasibility.png").exists()
    dictionary = pd.read_csv(tmp_path / "tables" / "data_dictionary.csv")
    row = dictionary[(dictionary["file"] == "feasibility_services.csv")
                     & (dictionary["column"] == "unmet_minutes")].iloc[0]
    assert (row["label"], row["unit"]) == ("Unmet minutes", "minutes per week")
    services = pd.read_csv(tmp_path / "tables" / "feasibility_services.csv")
    assert set(services["policy"]) == {"pull_out", "push_in"}
    assert services.groupby("policy")["mandated_minutes"].sum().nunique() == 1


def test_report_on_a_folder_is_headed_by_a_readable_name_without_a_seed(
    tiny_school: Path, capsys
) -> None:
    folder = tiny_school.rename(tiny_school.parent / "lincoln_elementary")
    assert main(["feasibility", str(folder), "--policy", "pull_out", "--quick"]) == 0
    heading = capsys.readouterr().out.splitlines()[:2]
    assert heading == [
        "Staffing feasibility: Lincoln elementary",
        "Minutes a week, for the school's own students, staff and timetable. Add --details for "
        "tables by",
    ]


def test_report_says_when_the_tool_generated_the_school(tiny_school: Path) -> None:
    from dataclasses import replace

    from inclusion_sim.analysis.feasibility_text import summary_text

    school = load_school_folder(tiny_school, name="Tiny school")
    own = feasibility_report(school, {"pull_out": POLICY_PRESETS["pull_out"]}, explain=False)
    made_up = feasibility_report(replace(school, from_files=False),
                                 {"pull_out": POLICY_PRESETS["pull_out"]}, seed=3, explain=False)
    assert own.school_from_files and not made_up.school_from_files
    assert summary_text(own, details_hint=False).splitlines()[:2] == [
        "Staffing feasibility: Tiny school",
        "Minutes a week, for the school's own students, staff and timetable."]
    assert summary_text(made_up, details_hint=False).splitlines()[1] == (
        "Minutes a week, for a school generated by the tool (generated timetable no. 3).")
    assert "seed" not in summary_text(own) + summary_text(made_up)


def test_command_line_on_a_folder_with_the_scenario_policy_refused(tiny_school, capsys) -> None:
    assert main(["feasibility", str(tiny_school), "--policy", "scenario"]) == 2
    assert "--policy: expected one of" in capsys.readouterr().err


def test_command_line_reports_broken_files_with_exit_code_2(tiny_school, edit, capsys) -> None:
    edit(tiny_school, "students.csv", 5, "S4,1B,UG,,,,,,")
    edit(tiny_school, "students.csv", 1,
         "student_id,class_id,grade,speech_sessions,speech_minutes,speech_max_group,"
         "ot_sessions,ot_minutes,ot_max_group,first_name")
    assert main(["feasibility", str(tiny_school)]) == 2
    err = capsys.readouterr().err
    assert "line 1, column 'first_name'" in err and "line 5, column 'grade'" in err
    assert "Traceback" not in err
    assert main(["feasibility", str(tiny_school), "--allow-identifying-columns"]) == 2
    err = capsys.readouterr().err
    assert "first_name" not in err and "line 5, column 'grade'" in err


def test_staffing_scales_a_csv_school_instead_of_being_ignored() -> None:
    from inclusion_sim import load_scenario
    from inclusion_sim.base.seeds import make_streams

    scenario = load_scenario(EXAMPLE_SCENARIO)
    before = scenario.build_school(make_streams(1)["roster"]).therapists
    after = scenario.with_staffing(1.5).build_school(make_streams(1)["roster"]).therapists
    assert [t.minutes_per_week for t in after] == \
        [min(3000, round(t.minutes_per_week * 1.5)) for t in before]


def test_report_compares_greedy_optimal_and_the_bound(tiny_school: Path) -> None:
    report = feasibility_report(load_school_folder(tiny_school), {"push_in": POLICY_PRESETS["push_in"]})
    row = report.summary().iloc[0]
    assert row["greedy_met_percent"] <= row["met_percent"] <= row["bound_percent"] <= 100
    assert row["solver_status"] in ("OPTIMAL", "FEASIBLE")


def test_terminal_report_fits_100_columns_with_plain_words(school_without_ot: Path) -> None:
    from inclusion_sim.analysis.feasibility_text import details_text, summary_text

    report = feasibility_report(load_school_folder(school_without_ot))
    summary, details = summary_text(report), details_text(report)
    assert not present.terminal_problems(summary + details)
    assert len(summary.splitlines()) < 60
    # plain words: no column identifiers, no policy or reason codes
    for code in ("mandated_minutes", "push_in_collaborative", "no_therapist", "_percent"):
        assert code not in summary + details
    # the dashboard's names cut short, same words in the same order, never a bare "Push-in"
    assert "Push-in, co-taught: " in summary and "Push-in, alongside: " in summary
    assert "Mandated minutes a week" in summary
    assert "OT: no therapist" not in summary
    assert "no therapist of this discipline at the school" in summary + details
