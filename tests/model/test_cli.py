"""The command line end to end, as a user runs it."""

import re
import subprocess
import sys
from pathlib import Path as _Path

import pandas as pd

from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.faces.present import terminal_problems

SCENARIOS = _Path(__file__).resolve().parents[2] / "scenarios"

CLI = [sys.executable, "-m", "inclusion_sim.faces.cli"]


def test_run_writes_tables_and_figure(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(CLI + ["run", str(SCENARIOS / "small_elementary.toml"), "--seed", "3",
                                 "--weeks", "4", "--out", str(out)],
                          capture_output=True, text=True, check=True)
    assert "Classroom use of IEP skills" in proc.stdout
    assert not terminal_problems(proc.stdout)  # 100 columns, labels not identifiers
    # the split outcomes are printed, each value rounded for its unit
    for label in ("Generalization", "Non-core lessons missed", "per delivered student-hour"):
        assert label in proc.stdout
    # money in round dollars (three significant digits), 0-1 scales out of 100
    assert re.search(r"Staff cost of services and co-planning +\$\d{1,3}(,\d{2}0)* +\$\n",
                     proc.stdout)
    assert re.search(r"per delivered student-hour of service +\$\d+ +\$ per student-hour",
                     proc.stdout)
    assert re.search(r"Mastery of IEP goals +\d+\.\d +points \(0-100 scale\)", proc.stdout)
    for name in ("summary", "weekly", "students", "services", "therapists", "unmet"):
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
    dictionary = pd.read_csv(out / "data_dictionary.csv")
    assert set(dictionary["file"]) == {f"{name}.csv" for name in (
        "summary", "weekly", "students", "services", "therapists", "unmet", "year", "months",
        "makeups")}
    # floats at six significant digits, never fifteen digits of noise or an exponent
    numbers = re.findall(r"-?\d+\.\d+(?:e[-+]\d+)?", (out / "students.csv").read_text())
    assert numbers and all("e" not in n and len(n.lstrip("-").replace(".", "").lstrip("0")) <= 6
                           for n in numbers)
    assert (out / "weekly.png").stat().st_size > 10_000
    assert pd.read_parquet(out / "summary.parquet")["seed"].iloc[0] == 3
    assert len(pd.read_parquet(out / "weekly.parquet")) == 5


def test_compare_prints_paired_intervals(tmp_path):
    out = tmp_path / "cmp"
    proc = subprocess.run(CLI + ["compare", str(SCENARIOS / "small_elementary.toml"),
                                 "--policies", "pull_out", "push_in", "hybrid",
                                 "--replicates", "3", "--weeks", "4", "--out", str(out)],
                          capture_output=True, text=True, check=True)
    assert "Push-in (alongside the lesson) minus Pull-out" in proc.stdout
    assert "Hybrid (half out, half co-taught in) minus Pull-out" in proc.stdout
    assert "Core instruction missed" in proc.stdout and "[" in proc.stdout
    assert "push_in" not in proc.stdout and "USD" not in proc.stdout
    # fits a 100-column terminal (labels wrap inside their column) and names no identifier
    assert not terminal_problems(proc.stdout), terminal_problems(proc.stdout)
    assert "  Outcome (unit)" in proc.stdout and "Reading" in proc.stdout
    # without disruptions the year's sessions lost to absences are zero everywhere: listed once,
    # not printed as a row of zeros under every policy
    assert "Sessions lost to student absence   " not in proc.stdout
    assert "Not shown, zero in every run" in proc.stdout and "student absence" in proc.stdout
    assert (out / "data_dictionary.csv").exists()
    paired = pd.read_csv(out / "paired.csv")
    assert set(paired.policy) == {"push_in", "hybrid"}
    assert (paired.ci_low <= paired.difference).all() and (paired.difference <= paired.ci_high).all()
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs.groupby("replicate").seed.nunique().eq(1).all()  # same seed for every policy
    assert (out / "comparison.png").exists() and (out / "weekly.png").exists()


def test_user_mistakes_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[school]\nclasses_per_grad = 2\n")
    cases = [["validate", str(bad)], ["validate", str(tmp_path / "none.toml")],
             ["compare", str(SCENARIOS / "small_elementary.toml"), "--policies", "pullout"]]
    for args in cases:
        proc = subprocess.run(CLI + args, capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr.startswith("error:")
    proc = subprocess.run(CLI + ["validate", str(bad)], capture_output=True, text=True)
    assert "did you mean 'classes_per_grade'?" in proc.stderr


def test_parameters_come_first_and_a_closed_pipe_is_no_error(capsys):
    from inclusion_sim.faces.cli import main

    assert main(["parameters"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[:3]
    assert first[1].startswith("transition_minutes = 5") and "Walk to and from" in first[2]
    # the parameter names are what a scenario's [parameters] table takes: they belong here
    assert not terminal_problems(out, allowed=PARAMETERS)
    assert main(["parameters", "--markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Model parameters")
    # the reader has gone before anything is written (as `| head` can be): no traceback
    writer = subprocess.Popen(CLI + ["parameters"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    writer.stdout.close()
    assert writer.wait(timeout=120) == 0
    err = writer.stderr.read()
    assert b"Traceback" not in err and b"BrokenPipeError" not in err


def test_validate_ok():
    proc = subprocess.run(CLI + ["validate", str(SCENARIOS / "default_elementary.toml")],
                          capture_output=True, text=True, check=True)
    assert "OK" in proc.stdout and "504 students" in " ".join(proc.stdout.split())
    assert not terminal_problems(proc.stdout)


def test_the_checks_catch_what_the_commands_printed_before():
    """The width and label checks fail on the old `compare` line and on a bare identifier."""
    old = ("  Mastery of IEP goals                                          +0.2  [-1.3, +1.8]"
           "            points of 100; about the same")
    assert len(old) > 100 and terminal_problems(old)
    assert terminal_problems("Small school: policy push_in_collaborative, seed 1")
    assert not terminal_problems("Tables in results/run/, described in data_dictionary.csv")
    assert not terminal_problems("/tmp/" + "x" * 120 + "/report.html")  # a bare path may run on


def test_the_python_api_writes_what_the_command_line_writes(small, tmp_path):
    """RunResult.write and Comparison.write: CSV at six significant digits, a data dictionary."""
    from inclusion_sim.analysis.compare import compare_policies

    comparison = compare_policies(small, ["pull_out", "push_in"], replicates=2, weeks=1,
                                  scheduling="greedy")
    result = comparison.runs["pull_out"].results[0]
    for written, files in ((comparison.write(tmp_path / "cmp"), {"runs", "weekly", "paired",
                                                                 "doses"}),
                           (result.write(tmp_path / "run"), {"summary", "weekly", "students",
                                                             "services", "therapists", "unmet",
                                                             "year", "months", "makeups"})):
        dictionary = pd.read_csv(written / "data_dictionary.csv", keep_default_na=False)
        assert set(dictionary["file"]) == {f"{name}.csv" for name in files}
        for name in files:
            columns = pd.read_csv(written / f"{name}.csv", nrows=0).columns
            assert list(dictionary.loc[dictionary["file"] == f"{name}.csv", "column"]) == \
                list(columns)
            numbers = re.findall(r"-?\d+\.\d+(?:e[-+]\d+)?", (written / f"{name}.csv").read_text())
            assert all("e" not in n and len(n.lstrip("-").replace(".", "").lstrip("0")) <= 6
                       for n in numbers), name
        # Parquet keeps full precision: the same numbers the objects hold
        assert pd.read_parquet(written / "weekly.parquet").shape[0] > 0
    labels = pd.read_csv(tmp_path / "cmp" / "data_dictionary.csv").set_index(["file", "column"])
    assert labels.loc[("paired.csv", "ci_low"), "label"] == "95% interval, low end"
    assert labels.loc[("runs.csv", "iep_mastery"), "label"] == "Mastery of IEP goals"
    paired = pd.read_parquet(tmp_path / "cmp" / "paired.parquet")
    pd.testing.assert_frame_equal(paired, comparison.paired())


def test_a_roster_seed_from_the_command_line_gives_every_seed_one_school(tmp_path, capsys):
    from inclusion_sim.faces.cli import main

    small = str(SCENARIOS / "small_elementary.toml")
    tables = []
    for seed, roster in ((1, "5"), (2, "5"), (2, None)):
        extra = ["--roster-seed", roster] if roster else []
        out = tmp_path / f"seed{seed}_{roster}"
        assert main(["run", small, "--seed", str(seed), "--weeks", "1", "--scheduler", "greedy",
                     "--out", str(out), *extra]) == 0
        tables.append(pd.read_parquet(out / "students.parquet"))
    school = ["student_id", "class_id", "grade", "has_iep"]
    assert tables[0][school].equals(tables[1][school])  # seeds 1 and 2 on the school of seed 5
    assert not tables[0]["baseline_sd"].equals(tables[1]["baseline_sd"])  # their years differ
    assert not tables[1][school].equals(tables[2][school])  # without it, seed 2's own school
    capsys.readouterr()
    csv_school = str(SCENARIOS / "example_300_csv.toml")
    proc = subprocess.run(CLI + ["run", csv_school, "--roster-seed", "3", "--weeks", "1",
                                 "--out", str(tmp_path / "csv")], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--roster-seed" in proc.stderr and "read from CSV files" in proc.stderr


def test_compare_lets_replicates_take_turns_on_fewer_schools(tmp_path, capsys):
    from inclusion_sim.faces.cli import main

    small = str(SCENARIOS / "small_elementary.toml")
    runs = {}
    for schools in (None, "2"):
        out = tmp_path / f"schools_{schools}"
        extra = ["--schools", schools] if schools else []
        assert main(["compare", small, "--policies", "pull_out", "push_in", "--replicates", "3",
                     "--weeks", "1", "--out", str(out), *extra]) == 0
        table = pd.read_parquet(out / "runs.parquet").set_index(["policy", "replicate"])
        runs[schools] = table.select_dtypes("number").drop(columns=["seed"])
    said = " ".join(capsys.readouterr().out.split())
    assert "3 replicates per policy on the same seeds, taking turns on 2 schools" in said
    own, turns = runs[None], runs["2"]
    # The first two replicates run on their own schools, bit for bit as without --schools.
    assert own.loc[(slice(None), [0, 1]), :].equals(turns.loc[(slice(None), [0, 1]), :])
    # The third runs on the first one's school and timetable, in a year of its own.
    week = ["therapist_direct_hours", "cost_usd"]
    for policy in ("pull_out", "push_in"):
        assert turns.loc[(policy, 2), week].equals(turns.loc[(policy, 0), week])
        assert not turns.loc[(policy, 2)].equals(turns.loc[(policy, 0)])
        assert not own.loc[(policy, 2), week].equals(turns.loc[(policy, 2), week])
    for bad, expected in ((["--schools", "4"], "from 1 to the number of replicates (3)"),
                          (["--schools", "0"], "from 1 to the number of replicates (3)"),
                          (["--schools", "2", "--roster-seed", "5"], "roster_seed = 5")):
        assert main(["compare", small, "--replicates", "3", "--weeks", "1",
                     "--out", str(tmp_path / "bad"), *bad]) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert "command line: --schools" in err and expected in err and "Traceback" not in err
