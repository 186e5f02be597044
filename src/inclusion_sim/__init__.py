"""inclusion_sim: agent-based simulation of push-in and pull-out IEP related services.

The public API is small::

    from inclusion_sim import load_scenario, run
    scenario = load_scenario("scenarios/default_elementary.toml")
    result = run(scenario, seed=1, policy="push_in_collaborative")
    result.summary["iep_carryover"]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .errors import InputError
from .model import SchoolModel
from .outcomes import METRICS, RunResult
from .params import MECHANISMS, PARAMETERS, Params
from .policies import POLICY_PRESETS, Policy, ServicePolicy
from .scenario import Scenario, load_scenario

__version__ = "0.1.0"


def run(scenario: Scenario, seed: int | None = None, policy: Policy | str | None = None,
        parameters: Mapping[str, float] | None = None, weeks: int | None = None,
        mechanisms: Iterable[str] | None = None) -> RunResult:
    """Run one scenario once and return its outcomes.

    Args:
        scenario: A loaded scenario.
        seed: The replicate's seed (default: the scenario's). The same seed gives the same
            school and the same random draws under every policy.
        policy: A preset name or a `Policy` (default: the scenario's).
        parameters: Parameter overrides on top of the scenario's.
        weeks: Weeks to run (default: the scenario's).
        mechanisms: Mechanisms switched on (default: the scenario's).
    """
    model = SchoolModel(scenario, policy=policy, params=scenario.params(dict(parameters or {})),
                        seed=seed, weeks=weeks, mechanisms=mechanisms)
    result = model.run()
    result.meta["scenario"] = scenario.name
    result.meta["scenario_hash"] = scenario.hash()
    return result


__all__ = [
    "InputError", "MECHANISMS", "METRICS", "PARAMETERS", "POLICY_PRESETS", "Params", "Policy",
    "RunResult", "Scenario", "SchoolModel", "ServicePolicy", "load_scenario", "run",
    "__version__",
]
