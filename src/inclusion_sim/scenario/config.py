"""One resolved run configuration: what a single run needs, as plain values.

A scenario file leaves much unsaid (the seed of a replicate, a policy chosen on the command line,
parameter overrides from a sweep point, a school loaded in the dashboard). `resolve` settles
every such choice in one place, in one order, so the model never has to look at a scenario and
every face (command line, dashboard, sweeps, notebooks) gets the same run from the same inputs.

Precedence, for each field: the explicit argument, then the scenario, then the library default.
Parameter overrides are merged *on top of* the scenario's own ``[parameters]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.base.params import DISRUPTIONS, MECHANISMS, Params
from inclusion_sim.delivery.policies import Policy, preset
from inclusion_sim.delivery.schedulers import SchedulingOptions
from inclusion_sim.scenario.files import Scenario
from inclusion_sim.school.assistants import check_supervision_cap
from inclusion_sim.school.world import School

#: Weeks in a run when neither the caller nor a scenario says (a US school year).
DEFAULT_WEEKS = 36


@dataclass(frozen=True)
class RunConfig:
    """Everything one run needs, resolved.

    Attributes:
        school: The school (students, staff, timetable).
        policy: The delivery policy.
        params: Parameter values.
        mechanisms: Mechanisms switched on (names from `inclusion_sim.base.params.MECHANISMS`).
        scheduling: Which scheduler makes the weekly timetable, with its settings.
        weeks: School weeks to run.
        seed: The run's seed; with common random numbers the same seed gives the same draws
            under every policy.
        scenario_name: The scenario's name, for tables ("" without a scenario).
        scenario_hash: A digest of the scenario's content ("" without a scenario).
        equal_dose: The policies of an equal-dose comparison (empty: a normal run). The run's
            week is cut, per student and service, to the least weekly minutes any of them
            schedules (`inclusion_sim.delivery.equal_dose`), so a comparison of these
            policies compares settings at the same dose.
    """

    school: School
    policy: Policy
    params: Params
    mechanisms: frozenset[str]
    weeks: int
    seed: int
    scheduling: SchedulingOptions = SchedulingOptions()
    scenario_name: str = ""
    scenario_hash: str = ""
    equal_dose: tuple[Policy, ...] = ()
    disruptions: frozenset[str] = frozenset()


def resolve(scenario: Scenario | None = None, *, seed: int | None = None,
            policy: Policy | str | None = None, parameters: Mapping[str, float] | None = None,
            weeks: int | None = None, mechanisms: Iterable[str] | None = None,
            school: School | None = None,
            scheduling: SchedulingOptions | str | None = None,
            equal_dose: Iterable[Policy | str] | None = None,
            disruptions: Iterable[str] | bool | None = None) -> RunConfig:
    """Turn a scenario and explicit choices into one `RunConfig`.

    Args:
        scenario: The scenario (optional when `school` is given).
        seed: The run's seed (default: the scenario's, else 0).
        policy: A preset name or a `Policy` (default: the scenario's, else pull-out).
        parameters: Overrides merged on top of the scenario's ``[parameters]``.
        weeks: Weeks to run (default: the scenario's, else `DEFAULT_WEEKS`).
        mechanisms: Mechanisms switched on (default: the scenario's, else all).
        school: A ready school; without it the scenario builds one from the seed's roster
            stream (a CSV school is the same for every seed).
        scheduling: `SchedulingOptions`, or just a scheduler's name (``optimal`` or ``greedy``)
            with the scenario's other settings (default: the scenario's ``[scheduling]``).
        equal_dose: Preset names or `Policy` objects of an equal-dose comparison: the run gets
            only the weekly minutes of each service that every one of them schedules (see
            `RunConfig.equal_dose`). None or empty: the policy's own schedule.
        disruptions: Disruptions switched on: names from `DISRUPTIONS`, True for all, False
            for none (default: the scenario's ``[disruptions]``, else none).

    Raises:
        ValueError: Neither a scenario nor a school was given.
        InputError: An unknown disruption name.
    """
    if scenario is None and school is None:
        raise ValueError("resolve needs a scenario or a school")
    if isinstance(policy, str):
        policy = preset(policy)  # before the school is built: a typo should fail at once
    if seed is None:
        seed = scenario.seed if scenario is not None else 0
    if school is None:
        school = scenario.school_for_seed(int(seed))
    if policy is None:
        policy = scenario.policy() if scenario is not None else preset("pull_out")
    overrides = dict(parameters or {})
    if scenario is not None:
        params = scenario.params(overrides)
    else:
        params = Params(overrides, source="parameter overrides")
    school = check_supervision_cap(school, params, str(scenario.path) if scenario is not None
                                   and scenario.path else "school")
    if mechanisms is None:
        mechanisms = scenario.mechanisms() if scenario is not None else MECHANISMS
    base_scheduling = scenario.scheduling() if scenario is not None else SchedulingOptions()
    if isinstance(scheduling, str):
        scheduling = replace(base_scheduling, scheduler=scheduling)
    elif scheduling is None:
        scheduling = base_scheduling
    if weeks is None:
        weeks = scenario.weeks if scenario is not None else DEFAULT_WEEKS
    if disruptions is None:
        disruptions = scenario.disruptions() if scenario is not None else ()
    elif isinstance(disruptions, bool):
        disruptions = DISRUPTIONS if disruptions else ()
    disruptions = frozenset(disruptions)
    unknown = sorted(disruptions - set(DISRUPTIONS))
    if unknown:
        raise InputError([Problem("Python call", "argument 'disruptions'",
                                  f"one of {', '.join(DISRUPTIONS)}", f"'{name}'",
                                  nearest(name, DISRUPTIONS)) for name in unknown])
    return RunConfig(
        school=school, policy=policy, params=params, mechanisms=frozenset(mechanisms),
        weeks=int(weeks), seed=int(seed), scheduling=scheduling,
        scenario_name=scenario.name if scenario is not None else "",
        scenario_hash=scenario.hash() if scenario is not None else "",
        equal_dose=tuple(preset(p, where="argument 'equal_dose'") if isinstance(p, str) else p
                         for p in (equal_dose or ())),
        disruptions=disruptions)
