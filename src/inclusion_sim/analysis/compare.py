"""The comparison engine: policies run side by side on common random numbers.

The command line (``inclusion-sim compare``), the dashboard's Compare page and the workshop
notebooks all call `compare_policies`, so the same inputs give the same seeds, the same runs and
the same intervals everywhere.

Replicate k runs every policy on the same seed (``replicate_seed(base_seed, k)``), so the same
school, the same students and the same refusal and attendance draws meet each policy; the
difference between two policies on one seed is a paired difference, and its spread across seeds
is the uncertainty of the comparison. Intervals are **Student-t 95% confidence intervals of the
mean paired difference** over replicates (`mean_ci`); a policy's own mean is given with the same
t-interval over its replicates. (Sweep reports, which pool many design points, use a bootstrap
instead; see `inclusion_sim.analysis.sweeps`.)

With ``equal_dose=True`` every policy is given the same weekly minutes of each service for each
student: the least any of the compared policies schedules (`inclusion_sim.delivery.equal_dose`).
The differences then show what the *setting* does at the same dose, apart from how many
sessions each policy's timetable fits. `Comparison.doses` says how equal the doses came out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from inclusion_sim.base.seeds import replicate_seed, school_turn_seed
from inclusion_sim.delivery.equal_dose import EQUAL_DOSE_REASON
from inclusion_sim.delivery.policies import Policy, preset
from inclusion_sim.delivery.schedulers import SchedulingOptions
from inclusion_sim.model.outcomes import ALL_METRICS, RunResult
from inclusion_sim.model.school_model import SchoolModel
from inclusion_sim.present.exports import write_tables
from inclusion_sim.scenario.config import resolve
from inclusion_sim.scenario.files import Scenario, check_school_turns
from inclusion_sim.school.world import School

#: A policy to compare: a preset name, a `Policy`, or ``(key, label, policy)``.
PolicyChoice = str | Policy | tuple[str, str, Policy]


@dataclass
class PolicyRuns:
    """All replicates of one policy.

    Attributes:
        key: Short name (the policy's name, or the key given).
        label: What people see.
        policy: The policy run.
        results: One `RunResult` per seed, in seed order.
        model: The finished model of the first seed, when asked for (the dashboard's Student and
            Classroom pages read its timetable and weekly history).
    """

    key: str
    label: str
    policy: Policy
    results: list[RunResult] = field(default_factory=list)
    model: SchoolModel | None = None


@dataclass
class Comparison:
    """Policies run on the same seeds, with what they ran under.

    Attributes:
        runs: The policies' runs by key, the baseline first.
        seeds: The replicates' seeds, in order.
        weeks: School weeks per run.
        params: Parameter values that differ from the defaults.
        school_label: The school's name.
        equal_dose: Whether every policy was given the same weekly minutes (the least any of
            them schedules, per student and service).
        schools: The number of schools the replicates took turns on (replicate k on the school
            of replicate ``k mod schools``), or None when each had its own.
    """

    runs: dict[str, PolicyRuns]
    seeds: list[int]
    weeks: int
    params: dict[str, float]
    school_label: str
    equal_dose: bool = False
    schools: int | None = None

    @property
    def baseline(self) -> str:
        """The policy others are compared with: the first one given."""
        return next(iter(self.runs))

    def summary(self) -> pd.DataFrame:
        """One row per policy and replicate: seed and every summary outcome."""
        rows = []
        for key, pr in self.runs.items():
            for k, (seed, result) in enumerate(zip(self.seeds, pr.results, strict=False)):
                rows.append({"policy": key, "policy_label": pr.label, "replicate": k,
                             "seed": seed, **result.outcomes()})
        return pd.DataFrame(rows)

    def weekly(self) -> pd.DataFrame:
        """The weekly series of every run, stacked, with policy and replicate columns."""
        return self.table("weekly")

    def table(self, name: str) -> pd.DataFrame:
        """A per-run table (``weekly``, ``students``, ``services``, ``therapists``, ``unmet``)."""
        frames = []
        for key, pr in self.runs.items():
            for k, (seed, result) in enumerate(zip(self.seeds, pr.results, strict=False)):
                frames.append(getattr(result, name).assign(
                    policy=key, policy_label=pr.label, replicate=k, seed=seed))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def paired(self, level: float = 0.95) -> pd.DataFrame:
        """Mean paired difference from the baseline per policy and outcome, with its interval."""
        return paired_differences(self.summary(), self.baseline, level, self.schools)

    def doses(self) -> pd.DataFrame:
        """How much therapy each policy scheduled and delivered, and how equal the doses were.

        One row per policy, means over replicates of weekly minutes summed over students:
        ``scheduled``, ``delivered`` (after refusals and absences), ``withheld`` (held back to
        equalize the dose; 0 unless `equal_dose`) and ``unmet_by_schedule`` (what the timetable
        could not fit; the unmet-minutes outcome is the sum of these two).
        ``largest_gap_minutes_per_week`` is the largest difference from the baseline in one
        student's weekly minutes of one service, over all replicates: 0 when the scheduled
        doses are equal to the minute. Delivered minutes still differ at equal dose where
        refusals and absences differ between settings.
        """
        services, unmet = self.table("services"), self.table("unmet")
        weeks = max(self.weeks, 1)
        keys = ["replicate", "student_id", "service"]
        base = services[services["policy"] == self.baseline].set_index(keys)["scheduled_minutes"]
        rows = []
        for key in self.runs:
            mine = services[services["policy"] == key]
            gap = (mine.set_index(keys)["scheduled_minutes"] - base).abs().max()
            runs_unmet = unmet[unmet["policy"] == key] if not unmet.empty else unmet
            withheld = (runs_unmet.loc[runs_unmet["reason"] == EQUAL_DOSE_REASON, "minutes"].sum()
                        if not runs_unmet.empty else 0.0)
            total_unmet = runs_unmet["minutes"].sum() if not runs_unmet.empty else 0.0
            replicates = max(mine["replicate"].nunique(), 1)
            rows.append({
                "policy": key,
                "scheduled_minutes_per_week": mine["scheduled_minutes"].sum() / weeks / replicates,
                "delivered_minutes_per_week": mine["delivered_minutes"].sum() / weeks / replicates,
                "withheld_minutes_per_week": float(withheld) / replicates,
                "unmet_by_schedule_minutes_per_week": float(total_unmet - withheld) / replicates,
                "largest_gap_minutes_per_week": float(gap) / weeks if pd.notna(gap) else 0.0,
            })
        return pd.DataFrame(rows)

    def write(self, directory: str | Path) -> Path:
        """Write the runs, weekly, paired and doses tables as Parquet and CSV.

        The same files the command line's ``compare`` writes: CSV floats at six significant
        digits and ``data_dictionary.csv`` giving each column's label, unit and meaning.
        """
        out = Path(directory)
        write_tables(out, {"runs": self.summary(), "weekly": self.weekly(),
                           "paired": self.paired(), "doses": self.doses()})
        return out


def mean_ci(values, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of the finite values with a Student-t confidence interval.

    Returns (mean, low, high); the bounds are NaN with fewer than two values, the mean too with
    none.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    if x.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half


def paired_differences(runs: pd.DataFrame, baseline: str, level: float = 0.95,
                       schools: int | None = None) -> pd.DataFrame:
    """Mean paired difference (policy - baseline) per metric with a t confidence interval.

    Args:
        runs: One row per policy and replicate (`Comparison.summary`).
        baseline: The policy subtracted.
        level: Confidence level.
        schools: When the replicates took turns on fewer schools (replicate k on the school of
            replicate ``k mod schools``), the replicates of one school are not independent: the
            difference is then the mean of the schools' mean differences, and its interval a t
            interval over the schools.
    """
    rows = []
    base = runs[runs["policy"] == baseline].set_index("replicate")
    for policy in runs["policy"].unique():
        if policy == baseline:
            continue
        other = runs[runs["policy"] == policy].set_index("replicate")
        common = base.index.intersection(other.index)
        for metric in (m for m in ALL_METRICS if m in runs.columns):
            diff = (other.loc[common, metric] - base.loc[common, metric]).to_numpy(float)
            mean, low, high = mean_ci(_school_means(diff, common, schools), level)
            rows.append({"policy": policy, "baseline": baseline, "metric": metric,
                         "baseline_mean": float(base.loc[common, metric].mean()),
                         "policy_mean": float(other.loc[common, metric].mean()),
                         "difference": mean, "ci_low": low, "ci_high": high,
                         "replicates": int(np.isfinite(diff).sum())})
    return pd.DataFrame(rows)


def _school_means(diff: np.ndarray, replicates: pd.Index, schools: int | None) -> np.ndarray:
    """Each school's mean difference when replicates took turns on schools, else `diff`."""
    if schools is None or schools >= len(replicates):
        return diff
    by_school = pd.Series(diff, index=np.asarray(replicates) % schools)
    return by_school[np.isfinite(by_school)].groupby(level=0).mean().to_numpy(float)


def _policy_choice(choice: PolicyChoice) -> tuple[str, str, Policy]:
    if isinstance(choice, tuple):
        return choice
    policy = preset(choice, where="argument 'policies'") if isinstance(choice, str) else choice
    return policy.name, policy.name, policy


def replicate_seeds(replicates: int, base_seed: int) -> list[int]:
    """The seeds of a comparison: the sweep runner's replicate seeds, so results agree."""
    return [replicate_seed(base_seed, k) for k in range(replicates)]


def compare_policies(scenario: Scenario | None, policies: Sequence[PolicyChoice],
                     replicates: int = 5, base_seed: int | None = None,
                     weeks: int | None = None, parameters: dict[str, float] | None = None,
                     *, school: School | None = None, mechanisms: Iterable[str] | None = None,
                     scheduling: SchedulingOptions | str | None = None,
                     equal_dose: bool = False, keep_models: bool = False,
                     disruptions: Iterable[str] | bool | None = None,
                     progress: Callable[[int, int, str], None] | None = None,
                     should_stop: Callable[[], bool] | None = None,
                     schools: int | None = None) -> Comparison | None:
    """Run each policy on the same `replicates` seeds and compare them with the first.

    Args:
        scenario: The scenario (school, parameters, mechanisms, year); optional with `school`.
        policies: Preset names, `Policy` objects or ``(key, label, policy)``; the first is the
            baseline.
        replicates: Seeds per policy.
        base_seed: Replicate k uses ``replicate_seed(base_seed, k)`` (default: the scenario's
            seed, else 0).
        weeks: Weeks per run (default: the scenario's).
        parameters: Parameter overrides on top of the scenario's.
        school: Run this school in every replicate (replicates then differ in their random
            draws, not in who attends), instead of the school each seed generates.
        mechanisms: Mechanisms switched on (default: the scenario's).
        scheduling: The scheduler or its options (default: the scenario's ``[scheduling]``).
        equal_dose: Give every policy the same weekly minutes of each service for each student
            (the least any of them schedules), so the comparison shows the settings' effects at
            equal dose. The minutes held back count as unmet (reason ``equal_dose``).
        keep_models: Keep each policy's first finished model (for timetables and histories).
        disruptions: Disruptions of the school year switched on (names, True for all, False for
            none; default: the scenario's ``[disruptions]``). Every policy meets the same
            absences and events on the same seed.
        progress: Called with (runs done, runs planned, what runs next) before each run and
            once at the end.
        should_stop: Polled between runs; when it returns True the comparison is abandoned and
            None is returned.
        schools: Replicates take turns on this many schools: replicate k runs on the school of
            replicate ``k mod schools`` in a year of its own (`school_turn_seed`), so only
            `schools` weeks per policy are solved. None: each replicate its own school. Only
            for a scenario whose school is generated from the seed.

    Raises:
        InputError: `schools` for a school that does not depend on the seed (given as `school`,
            read from CSV files, or fixed by a roster seed), or more schools than replicates.
    """
    choices = [_policy_choice(p) for p in policies]
    if base_seed is None:
        base_seed = scenario.seed if scenario is not None else 0
    seeds = replicate_seeds(replicates, base_seed)
    scenarios = _school_turns(scenario, seeds, schools, school)
    total, done = len(choices) * len(seeds), 0
    runs: dict[str, PolicyRuns] = {}
    config = None
    for key, label, policy in choices:
        runs[key] = PolicyRuns(key, label, policy)
    for k, seed in enumerate(seeds):
        for key, label, policy in choices:
            if should_stop is not None and should_stop():
                return None
            if progress is not None:
                progress(done, total, f"{label}, run {k + 1} of {len(seeds)}")
            config = resolve(scenarios[k], seed=seed, policy=policy, parameters=parameters,
                             weeks=weeks, mechanisms=mechanisms, school=school,
                             scheduling=scheduling,
                             equal_dose=[c[2] for c in choices] if equal_dose else None,
                             disruptions=disruptions)
            model = SchoolModel(config)
            runs[key].results.append(model.run())
            if keep_models and k == 0:
                runs[key].model = model
            done += 1
    if progress is not None:
        progress(done, total, "done")
    return Comparison(runs, seeds, config.weeks if config else int(weeks or 0),
                      config.params.changed() if config else {},
                      config.school.name if config else "", equal_dose=equal_dose,
                      schools=schools if schools is not None and schools < len(seeds) else None)


def _school_turns(scenario: Scenario | None, seeds: list[int], schools: int | None,
                  school: School | None) -> list[Scenario | None]:
    """The scenario each replicate runs: its school taken in turn when `schools` is set."""
    check_school_turns(scenario, schools, len(seeds), "comparison", "schools", school)
    if schools is None:
        return [scenario] * len(seeds)
    turns = [school_turn_seed(seeds, k, schools) for k in range(len(seeds))]
    return [scenario if seed is None else scenario.with_roster_seed(seed, "comparison", "schools")
            for seed in turns]
