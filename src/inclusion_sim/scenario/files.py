"""Scenario files (TOML): load, validate, override and hash.

A scenario names a school (generated from a few numbers, or a folder of the school's CSV files),
its therapists, a delivery policy, parameter overrides and mechanism switches. Everything is
validated on load; a mistake stops with a message naming the file and the key, what was expected
and what was found, and the nearest valid key for a typo.

Example::

    [scenario]
    name = "Small elementary school"
    seed = 1
    weeks = 36

    [school]
    grades = ["K", 1, 2, 3, 4, 5]
    classes_per_grade = 2
    # roster_seed = 7             # optional: every seed runs the roster of seed 7 (one school)

    [school.master_schedule]      # optional; these are the defaults
    core_blocks = "staggered"     # or "aligned": ELA and math at the same time school-wide
    specials = "rotating"         # or "fixed"
    lunch = "waves"               # or "single"
    lunch_waves = 3
    days = "varied"               # or "same"
    middle_bell = "own"           # or "shared": grades 6-8 of a K-8 school on the same bell

    [[staff]]
    discipline = "speech"
    minutes_per_week = 1320

    [policy]
    preset = "pull_out"
    [policy.services.speech]
    model = "push_in"
    collaboration = "collaborative"

    [parameters]
    stigma_per_removal = 0.02
"""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.base.params import DISRUPTIONS, MECHANISMS, Params
from inclusion_sim.base.seeds import make_streams
from inclusion_sim.delivery.policies import POLICY_PRESETS, Policy, ServicePolicy
from inclusion_sim.delivery.schedulers import SchedulingOptions
from inclusion_sim.school.generate import (
    DEFAULT_SERVICE_MIX,
    SchoolSettings,
    ServiceMix,
    StaffGroup,
    generate_school,
)
from inclusion_sim.school.master_schedule import MasterScheduleSettings
from inclusion_sim.school.world import DAYS, SERVICES, School

Service = Literal["speech", "ot", "pt", "counseling", "setss"]
Day = Literal["Mon", "Tue", "Wed", "Thu", "Fri"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScenarioInfo(_Strict):
    """The ``[scenario]`` table."""

    name: str = "Unnamed scenario"
    description: str = ""
    seed: Annotated[int, Field(ge=0)] = 1
    weeks: Annotated[int, Field(ge=1, le=52)] = 36


class ServiceMixSpec(_Strict):
    """A ``[school.services.NAME]`` table: how often a service is mandated, and how."""

    share_of_iep: Annotated[float, Field(ge=0, le=1)]
    sessions_per_week: Annotated[int, Field(ge=1, le=10)]
    light_sessions_per_week: Annotated[int, Field(ge=1, le=10)] | None = None
    light_share: Annotated[float, Field(ge=0, le=1)] = 0.0
    minutes_per_session: Annotated[int, Field(ge=5, le=120)]
    max_group: Annotated[int, Field(ge=1, le=12)] = 1


class MasterScheduleSpec(_Strict):
    """The ``[school.master_schedule]`` table: how a generated school lays out its week.

    Ignored for a school loaded from CSV files, whose timetable is used as the school gives it.
    """

    core_blocks: Literal["staggered", "aligned"] = "staggered"
    specials: Literal["rotating", "fixed"] = "rotating"
    lunch: Literal["waves", "single"] = "waves"
    lunch_waves: Annotated[int, Field(ge=2, le=4)] = 3
    days: Literal["varied", "same"] = "varied"
    departmentalized_grades: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=lambda: [6, 7, 8])
    middle_bell: Literal["own", "shared"] = "own"

    def settings(self) -> MasterScheduleSettings:
        """The generator's settings."""
        return MasterScheduleSettings(self.core_blocks, self.specials, self.lunch,
                                      self.lunch_waves, self.days,
                                      tuple(sorted(set(self.departmentalized_grades))),
                                      self.middle_bell)


class SchoolSpec(_Strict):
    """The ``[school]`` table: either generated from numbers, or ``data = "folder"``."""

    name: str | None = None
    data: str | None = None
    allow_identifying_columns: bool = False
    grades: list[int | Literal["K", "k"]] = Field(default_factory=lambda: ["K", 1, 2, 3, 4, 5])
    classes_per_grade: Annotated[int, Field(ge=1, le=500)] = 4
    class_size: Annotated[int, Field(ge=2, le=40)] = 21
    iep_prevalence: Annotated[float, Field(ge=0, le=1)] = 0.15
    period_minutes: list[Annotated[int, Field(ge=15, le=120)]] = Field(
        default_factory=lambda: [60, 60, 45, 45, 45, 45, 45], min_length=4, max_length=12)
    services: dict[Service, ServiceMixSpec] = Field(default_factory=dict)
    staffing_factor: Annotated[float, Field(gt=0, le=10)] = 1.0
    master_schedule: MasterScheduleSpec = Field(default_factory=MasterScheduleSpec)
    # A seed (whole number >= 0; default: none, each run's own seed). When set, every run uses
    # the roster generated from this seed, so replicates share one school (`roster_stream`).
    roster_seed: Annotated[int, Field(ge=0)] | None = None

    @field_validator("grades")
    @classmethod
    def _grades_in_range(cls, grades: list) -> list:
        numbers = [0 if str(g).upper() == "K" else int(g) for g in grades]
        if not numbers or any(g < 0 or g > 12 for g in numbers):
            raise ValueError("grades K or 1-12")
        if len(set(numbers)) != len(numbers):
            raise ValueError("each grade once")
        return grades


class StaffSpec(_Strict):
    """One ``[[staff]]`` entry: therapists of one discipline with the same contract."""

    discipline: Service
    count: Annotated[int, Field(ge=0, le=200)] = 1
    minutes_per_week: Annotated[int, Field(ge=0, le=3000)] = 1320
    days_on_site: list[Day] = Field(default_factory=lambda: list(DAYS))
    employment: Literal["school", "agency"] = "school"
    role: Literal["therapist", "assistant"] = "therapist"


class ServicePolicySpec(_Strict):
    """A ``[policy.services.NAME]`` table."""

    model: Literal["pull_out", "push_in", "hybrid", "after_school"]
    collaboration: Literal["parallel", "collaborative"] = "parallel"
    avoid_core: bool = False
    relevant_only: bool = True
    cycle: Literal["weekly", "three_one"] | None = None
    makeup: Literal["none", "same_week", "makeup_week"] | None = None
    consultation_minutes: Annotated[float, Field(ge=0, le=240)] = 0.0
    consultation_feedback: bool = False


class PolicySpec(_Strict):
    """The ``[policy]`` table: a preset, optionally changed per service."""

    name: str | None = None
    preset: Literal["pull_out", "push_in", "push_in_collaborative", "hybrid",
                    "hybrid_parallel", "after_school"] = "pull_out"
    avoid_core: bool = False
    cycle: Literal["weekly", "three_one"] = "weekly"
    makeup: Literal["none", "same_week", "makeup_week"] = "none"
    services: dict[Service, ServicePolicySpec] = Field(default_factory=dict)


class SchedulingSpec(_Strict):
    """The ``[scheduling]`` table: which scheduler makes the weekly timetable, and its budget."""

    scheduler: Literal["optimal", "greedy"] = "optimal"
    deterministic_time: Annotated[float, Field(gt=0, le=600)] = 3.0
    polish_time: Annotated[float, Field(ge=0, le=600)] = 2.0
    seed: Annotated[int, Field(ge=0)] = 0
    adjacent_grades: bool = False
    neighbourhood_search: bool = True

    def options(self) -> SchedulingOptions:
        """The scheduler's settings."""
        return SchedulingOptions(self.scheduler, self.deterministic_time, self.polish_time,
                                 self.seed, self.adjacent_grades, self.neighbourhood_search)


class ScenarioSpec(_Strict):
    """A whole scenario file."""

    scenario: ScenarioInfo = Field(default_factory=ScenarioInfo)
    school: SchoolSpec = Field(default_factory=SchoolSpec)
    staff: list[StaffSpec] = Field(default_factory=list)
    policy: PolicySpec = Field(default_factory=PolicySpec)
    scheduling: SchedulingSpec = Field(default_factory=SchedulingSpec)
    parameters: dict[str, float] = Field(default_factory=dict)
    mechanisms: dict[str, bool] = Field(default_factory=dict)
    disruptions: dict[str, bool] = Field(default_factory=dict)


class Scenario:
    """A validated scenario, ready to build schools and runs from.

    Attributes:
        spec: The validated content.
        path: The file it came from (None when built in code).
    """

    def __init__(self, spec: ScenarioSpec, path: Path | None = None):
        self.spec = spec
        self.path = path
        self._source = str(path) if path else "scenario"
        self._params = Params(spec.parameters, source=f"{self._source}: [parameters]")
        # Master-schedule levers the students are drawn under, when they differ from the
        # school's own (`with_master_schedule`); None: the school's own.
        self._roster_layout: MasterScheduleSettings | None = None
        unknown = [m for m in spec.mechanisms if m not in MECHANISMS]
        if unknown:
            raise InputError([Problem(self._source, f"[mechanisms] key '{m}'",
                                      f"one of {', '.join(MECHANISMS)}", f"'{m}'",
                                      nearest(m, MECHANISMS)) for m in unknown])
        problems = [Problem(self._source, where, "cycle = \"three_one\" (a make-up week is the "
                            "indirect week of the 3:1 model)", f"cycle = \"{cycle}\"")
                    for where, cycle in _makeup_week_without_cycle(spec.policy)]
        if problems:
            raise InputError(problems)
        unknown = [d for d in spec.disruptions if d not in DISRUPTIONS]
        if unknown:
            raise InputError([Problem(self._source, f"[disruptions] key '{d}'",
                                      f"one of {', '.join(DISRUPTIONS)}", f"'{d}'",
                                      nearest(d, DISRUPTIONS)) for d in unknown])
        if spec.school.data is not None and spec.school.roster_seed is not None:
            raise InputError(Problem(self._source, "[school] key 'roster_seed'",
                                     "no roster_seed for a school read from CSV files (its "
                                     "roster is the same for every seed already)",
                                     f"roster_seed = {spec.school.roster_seed} with data = "
                                     f"'{spec.school.data}'"))
        if spec.school.data is not None:
            folder = self.data_folder()
            if not folder.is_dir():
                raise InputError(Problem(self._source, "[school] key 'data'",
                                         "a folder of school CSV files",
                                         f"'{spec.school.data}' (no such folder)"))

    # -- accessors ------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.spec.scenario.name

    @property
    def seed(self) -> int:
        """The default seed."""
        return self.spec.scenario.seed

    @property
    def weeks(self) -> int:
        """School weeks in a run."""
        return self.spec.scenario.weeks

    def params(self, overrides: dict[str, float] | None = None) -> Params:
        """The scenario's parameters with optional further overrides."""
        if not overrides:
            return self._params
        return Params({**self.spec.parameters, **overrides}, source="parameter overrides")

    def scheduling(self) -> SchedulingOptions:
        """How the weekly timetable is made (the ``[scheduling]`` table)."""
        return self.spec.scheduling.options()

    def mechanisms(self) -> frozenset[str]:
        """Mechanisms switched on."""
        return frozenset(m for m in MECHANISMS if self.spec.mechanisms.get(m, True))

    def disruptions(self) -> frozenset[str]:
        """Disruptions of the school year switched on (all off unless the file says)."""
        return frozenset(d for d in DISRUPTIONS if self.spec.disruptions.get(d, False))

    def policy(self) -> Policy:
        """The scenario's delivery policy."""
        spec = self.spec.policy
        base = POLICY_PRESETS[spec.preset]
        services = {}
        for service in SERVICES:
            sp = replace(base.for_service(service), cycle=spec.cycle, makeup=spec.makeup)
            if spec.avoid_core:
                sp = replace(sp, avoid_core=True)
            if service in spec.services:
                s = spec.services[service]
                sp = ServicePolicy(s.model, s.collaboration, s.avoid_core or spec.avoid_core,
                                   s.relevant_only, s.cycle or spec.cycle,
                                   s.makeup or spec.makeup, s.consultation_minutes,
                                   s.consultation_feedback)
            services[service] = sp
        name = spec.name or (spec.preset if not spec.services else f"{spec.preset}+custom")
        if not spec.name and (spec.cycle != "weekly" or spec.makeup != "none"):
            name += "".join([", 3:1" if spec.cycle == "three_one" else "",
                             f", make-ups {spec.makeup}" if spec.makeup != "none" else ""])
        return Policy(name, services)

    def data_folder(self) -> Path:
        """The folder of school CSV files, resolved against the scenario file's folder."""
        folder = Path(self.spec.school.data or "")
        if not folder.is_absolute() and self.path is not None:
            folder = self.path.parent / folder
        return folder

    def school_settings(self) -> SchoolSettings:
        """Settings for the school generator."""
        s = self.spec.school
        mix = dict(DEFAULT_SERVICE_MIX)
        for service, m in s.services.items():
            mix[service] = ServiceMix(m.share_of_iep, m.sessions_per_week,
                                      m.light_sessions_per_week or m.sessions_per_week,
                                      m.light_share, m.minutes_per_session, m.max_group)
        staff = tuple(StaffGroup(st.discipline, st.count, st.minutes_per_week,
                                 tuple(DAYS.index(d) for d in st.days_on_site), st.employment,
                                 st.role)
                      for st in self.spec.staff)
        grades = tuple(0 if str(g).upper() == "K" else int(g) for g in s.grades)
        return SchoolSettings(name=s.name or self.name, grades=grades,
                              classes_per_grade=s.classes_per_grade, class_size=s.class_size,
                              iep_prevalence=s.iep_prevalence, service_mix=mix, staff=staff,
                              period_minutes=tuple(s.period_minutes),
                              master_schedule=s.master_schedule.settings())

    def roster_stream(self, seed: int) -> np.random.Generator:
        """The random stream a run with this seed generates its school from.

        By default each seed generates its own roster (students, IEPs, classes), so replicates
        sample schools as well as school years. With ``[school] roster_seed`` every seed uses
        the roster of that seed instead: replicates then share one school (and its optimized
        weekly schedule) and differ only in what happens during the year.
        """
        roster_seed = self.spec.school.roster_seed
        return make_streams(int(seed if roster_seed is None else roster_seed))["roster"]

    def school_for_seed(self, seed: int) -> School:
        """The school a run with this seed uses (see `roster_stream`)."""
        return self.build_school(self.roster_stream(seed))

    def build_school(self, rng: np.random.Generator) -> School:
        """The scenario's school: loaded from its CSV folder, or generated from `rng`."""
        if self.spec.school.data is not None:
            from inclusion_sim.school.csv_loader import load_school_folder

            school = load_school_folder(
                self.data_folder(),
                allow_identifying_columns=self.spec.school.allow_identifying_columns,
                name=self.spec.school.name or self.name)
            return scale_staffing(school, self.spec.school.staffing_factor)
        settings = self.school_settings()
        layout = self._roster_layout
        if layout is None or layout == settings.master_schedule:
            return generate_school(settings, rng)
        roster = generate_school(replace(settings, master_schedule=layout), copy.deepcopy(rng))
        return replace(generate_school(settings, rng), students=roster.students)

    # -- derived scenarios ------------------------------------------------------------------
    def with_changes(self, changes: dict[str, Any]) -> Scenario:
        """A copy with some values replaced, by dotted key (``"school.class_size"``)."""
        data = self.spec.model_dump()
        for dotted, value in changes.items():
            node = data
            *parents, last = dotted.split(".")
            for key in parents:
                node = node.setdefault(key, {})
            node[last] = value
        changed = from_dict(data, source=self._source, path=self.path)
        changed._roster_layout = self._roster_layout
        return changed

    def with_master_schedule(self, levers: dict[str, str]) -> Scenario:
        """A copy whose generated school lays its lessons out by other master-schedule levers.

        The students stay those of this scenario's school for every seed. A generated school
        draws each class's week just before its students, from one stream, so generating it
        anew with other levers would also give other students, and comparing two layouts would
        compare two schools. The copy draws its students as this scenario does and takes only the
        lessons and bells from the new levers.

        Args:
            levers: Keys of ``[school.master_schedule]`` and their new values.
        """
        changed = self.with_changes({f"school.master_schedule.{key}": value
                                     for key, value in levers.items()})
        changed._roster_layout = self._roster_layout or \
            self.spec.school.master_schedule.settings()
        return changed

    def with_roster_seed(self, roster_seed: int, source: str, where: str) -> Scenario:
        """A copy in which every seed runs the school generated from `roster_seed`.

        Replicates then share one school (and one solved week per policy) and differ only in the
        year's random events. `source` and `where` locate the request in an error message: a
        school read from CSV files is the same for every seed already, so asking is a mistake.
        """
        if self.spec.school.data is not None:
            raise InputError(Problem(
                source, where, "no roster seed for a scenario whose school is read from CSV files",
                f"roster seed {roster_seed}",
                f"the school in '{self.spec.school.data}' is the same for every seed already"))
        return self.with_changes({"school.roster_seed": int(roster_seed)})

    def with_staffing(self, factor: float) -> Scenario:
        """A copy with every therapist's contracted minutes scaled by `factor` (capped at 3000).

        Staffing is the first thing that decides whether push-in can deliver every mandate, so
        scaling it is a common question ("what if we had 20% more therapist time?"). A school
        read from CSV files keeps its staff file as it is; the factor is applied to the loaded
        therapists (``[school] staffing_factor``).
        """
        if self.spec.school.data is not None:
            return self.with_changes(
                {"school.staffing_factor": self.spec.school.staffing_factor * factor})
        staff = [dict(s) for s in self.spec.model_dump()["staff"]]
        for s in staff:
            s["minutes_per_week"] = min(3000, round(s["minutes_per_week"] * factor))
        return self.with_changes({"staff": staff})

    def hash(self) -> str:
        """A short digest of the content, stable across machines and key order."""
        content = self.spec.model_dump(mode="json")
        # Files written before the school-year keys existed keep their hash.
        if not content["disruptions"]:
            del content["disruptions"]
        if content["school"]["roster_seed"] is None:
            del content["school"]["roster_seed"]
        # ... and so do files whose school the middle-bell lever does not change (no middle
        # grades beside elementary ones, or a school from CSV files).
        grades = [0 if g in ("K", "k") else int(g) for g in self.spec.school.grades]
        if content["school"]["master_schedule"]["middle_bell"] == "own" and (
                self.spec.school.data is not None
                or not self.spec.school.master_schedule.settings().middle_grades(grades)):
            del content["school"]["master_schedule"]["middle_bell"]
        if content["scheduling"]["neighbourhood_search"]:
            del content["scheduling"]["neighbourhood_search"]
        if self._roster_layout not in (None, self.spec.school.master_schedule.settings()):
            content["roster_layout"] = repr(self._roster_layout)  # the same levers, other students
        for staff in content["staff"]:
            if staff["role"] == "therapist":
                del staff["role"]
        policy = content["policy"]
        if policy["cycle"] == "weekly" and policy["makeup"] == "none":
            del policy["cycle"], policy["makeup"]
        for service in policy["services"].values():
            for key, default in (("cycle", None), ("makeup", None),
                                 ("consultation_minutes", 0.0),
                                 ("consultation_feedback", False)):
                if service[key] == default:
                    del service[key]
        text = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _makeup_week_without_cycle(policy: PolicySpec) -> list[tuple[str, str]]:
    """(where, cycle) of every service asking for a make-up week without the 3:1 cycle."""
    bad = []
    if policy.makeup == "makeup_week" and policy.cycle != "three_one":
        bad.append(("[policy] key 'makeup'", policy.cycle))
    for service, s in policy.services.items():
        cycle = s.cycle or policy.cycle
        if (s.makeup or policy.makeup) == "makeup_week" and cycle != "three_one":
            bad.append((f"[policy.services.{service}] key 'makeup'", cycle))
    return bad


def check_school_turns(scenario: Any, schools: int | None, replicates: int, source: str,
                       where: str, school: School | None = None) -> None:
    """Refuse replicates taking turns on `schools` schools where that cannot mean anything.

    Replicates can only take turns on schools that their seeds generate: not on a school read
    from CSV files, a fixed roster seed's school, or a school given to run in every replicate,
    which all replicates share already. A sweep spec checks the number itself; `compare` and
    the Python API rely on this check for it too.

    Args:
        scenario: The scenario the replicates run (a `Scenario`, or whatever a caller passed).
        schools: The number of schools asked for; None asks for nothing.
        replicates: Replicates per policy and point.
        source: Where the request came from, for the message ("command line", a spec file).
        where: The option or key that asked ("--schools", "[sweep] key 'schools'").
        school: A school given to run in every replicate, if any.

    Raises:
        InputError: Located at `source` and `where`.
    """
    if schools is None:
        return
    settings = getattr(getattr(scenario, "spec", None), "school", None)
    generated = "a scenario whose school is generated from a seed"
    if school is not None:
        raise InputError(Problem(source, where, generated,
                                 "a school given to run in every replicate"))
    if settings is None or not hasattr(scenario, "with_roster_seed"):
        found = "no scenario" if scenario is None else f"a {type(scenario).__name__} object"
        raise InputError(Problem(source, where, generated, found))
    if settings.data is not None:
        raise InputError(Problem(source, where, generated,
                                 f"a school read from CSV files ('{settings.data}')",
                                 "it is the same school in every replicate already"))
    if settings.roster_seed is not None:
        raise InputError(Problem(source, where, "a scenario without a fixed [school] roster_seed",
                                 f"roster_seed = {settings.roster_seed} in the scenario",
                                 "every replicate runs that one school already"))
    if not 1 <= schools <= replicates:
        raise InputError(Problem(source, where, "a whole number from 1 to the number of "
                                 f"replicates ({replicates})", str(schools)))


def scale_staffing(school: School, factor: float) -> School:
    """The school with every therapist's contracted minutes scaled by `factor` (capped at 3000)."""
    if factor == 1.0:
        return school
    therapists = [replace(t, minutes_per_week=min(3000, round(t.minutes_per_week * factor)))
                  for t in school.therapists]
    return replace(school, therapists=therapists)


def _location(loc: tuple) -> str:
    parts = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item + 1}]" if parts else f"[{item + 1}]"]
        else:
            parts.append(str(item))
    if not parts:
        return "top level"
    if len(parts) == 1:
        return f"key '{parts[0]}'"
    return f"[{'.'.join(parts[:-1])}] key '{parts[-1]}'"


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names valid at `loc` (for "did you mean" hints on unknown keys)."""
    current: Any = model
    for item in loc[:-1]:
        if isinstance(item, int) or current is None:
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(item))
            if field is None:
                return []
            annotation = field.annotation
            current = _model_in(annotation)
        else:
            current = None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _expected(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "literal_error":
        return f"one of {ctx.get('expected', '')}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return error["msg"].lower().replace("input should be ", "a value ")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return error["msg"].lower().replace("input should be ", "")
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"].lower().replace("input should be ", "")


def _problems(error: ValidationError, source: str) -> list[Problem]:
    problems = []
    for e in error.errors():
        loc = e["loc"]
        if e["type"] == "extra_forbidden":
            key = str(loc[-1])
            allowed = _allowed_keys(ScenarioSpec, loc)
            problems.append(Problem(source, _location(loc),
                                    f"a known key ({', '.join(allowed)})" if allowed else "a known key",
                                    f"unknown key '{key}'", nearest(key, allowed)))
        elif e["type"] == "missing":
            problems.append(Problem(source, _location(loc), "a value", "nothing (required)"))
        else:
            found = e.get("input")
            hint = ""
            if e["type"] == "literal_error" and isinstance(found, str):
                hint = nearest(found, [s.strip(" '") for s in
                                       str(e.get("ctx", {}).get("expected", "")).replace(
                                           " or ", ",").split(",")])
                if loc[-1] == "model" and found in POLICY_PRESETS:
                    hint = _preset_as_model(found)
            problems.append(Problem(source, _location(loc), _expected(e), repr(found), hint))
    return problems


def _preset_as_model(name: str) -> str:
    """How to write a preset's delivery for one service, where only a model is accepted.

    A service's ``model`` takes the delivery models; presets such as ``hybrid_parallel`` or
    ``push_in_collaborative`` are a model plus a collaboration, so naming one there is a
    natural slip that spelling similarity does not catch.
    """
    sp = POLICY_PRESETS[name].services["speech"]
    return (f"'{name}' is a policy preset: for one service write model = '{sp.model}' and "
            f"collaboration = '{sp.collaboration}', or for every service [policy] preset = "
            f"'{name}'")


def from_dict(data: dict[str, Any], *, source: str = "scenario",
              path: Path | None = None) -> Scenario:
    """Validate a scenario given as a dict (as parsed from TOML)."""
    if isinstance(data.get("school"), dict) and isinstance(data["school"].get("services"), dict):
        for key in data["school"]["services"]:
            if key not in SERVICES:
                raise InputError(Problem(source, f"[school.services] key '{key}'",
                                         f"one of {', '.join(SERVICES)}", f"'{key}'",
                                         nearest(key, SERVICES)))
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as err:
        problems = _problems(err, source)
        parameters = data.get("parameters")
        if isinstance(parameters, dict):
            try:
                Params(parameters, source=f"{source}: [parameters]")
            except InputError as more:
                problems += more.problems
        raise InputError(problems) from None
    return Scenario(spec, path)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file.

    Raises:
        InputError: The file is missing, is not valid TOML, or has unknown keys, wrong types
            or out-of-range values; the message names the file and the key.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError(Problem(source, "file", "an existing scenario file (.toml)",
                                 "no such file" if not path.exists() else "a folder"))
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(Problem(source, f"byte {err.start}", "UTF-8 text",
                                 f"byte 0x{err.object[err.start]:02x}")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(Problem(source, "syntax", "valid TOML", str(err))) from None
    return from_dict(data, source=source, path=path.resolve())


__all__ = ["Scenario", "ScenarioSpec", "load_scenario", "from_dict"]
