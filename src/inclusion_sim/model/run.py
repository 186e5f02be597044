"""One run from a scenario: resolve the inputs, build the model, run it, collect the outcomes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from inclusion_sim.delivery.policies import Policy
from inclusion_sim.delivery.schedulers import SchedulingOptions
from inclusion_sim.model.outcomes import RunResult
from inclusion_sim.model.school_model import SchoolModel
from inclusion_sim.scenario.config import resolve
from inclusion_sim.scenario.files import Scenario
from inclusion_sim.school.world import School


def run(scenario: Scenario | None = None, seed: int | None = None,
        policy: Policy | str | None = None, parameters: Mapping[str, float] | None = None,
        weeks: int | None = None, mechanisms: Iterable[str] | None = None, *,
        school: School | None = None,
        scheduling: SchedulingOptions | str | None = None,
        equal_dose: Iterable[Policy | str] | None = None,
        disruptions: Iterable[str] | bool | None = None) -> RunResult:
    """Run one scenario once and return its outcomes.

    Args:
        scenario: A loaded scenario (optional when `school` is given).
        seed: The replicate's seed (default: the scenario's). The same seed gives the same
            school and the same random draws under every policy.
        policy: A preset name or a `Policy` (default: the scenario's).
        parameters: Parameter overrides on top of the scenario's.
        weeks: Weeks to run (default: the scenario's).
        mechanisms: Mechanisms switched on (default: the scenario's).
        school: A ready school to run instead of the scenario's.
        scheduling: The scheduler (``optimal`` or ``greedy``) or full `SchedulingOptions`
            (default: the scenario's ``[scheduling]``).
        equal_dose: The policies of an equal-dose comparison: the run keeps only the weekly
            minutes of each service that all of them schedule (see
            `inclusion_sim.delivery.equal_dose`). None: the policy's own schedule.
        disruptions: Disruptions of the school year switched on: names from
            `inclusion_sim.base.params.DISRUPTIONS`, True for all, False for none (default:
            the scenario's ``[disruptions]``, else none).
    """
    config = resolve(scenario, seed=seed, policy=policy, parameters=parameters, weeks=weeks,
                     mechanisms=mechanisms, school=school, scheduling=scheduling,
                     equal_dose=equal_dose, disruptions=disruptions)
    return SchoolModel(config).run()
