"""inclusion_sim: agent-based simulation of push-in and pull-out IEP related services.

The public API is small::

    from inclusion_sim import load_scenario, run
    scenario = load_scenario("scenarios/default_elementary.toml")
    result = run(scenario, seed=1, policy="push_in_collaborative")
    result.summary["iep_carryover"]
"""

from __future__ import annotations

from inclusion_sim.base.errors import InputError
from inclusion_sim.base.params import MECHANISMS, PARAMETERS, Params
from inclusion_sim.base.version import __version__
from inclusion_sim.delivery.policies import POLICY_PRESETS, Policy, ServicePolicy
from inclusion_sim.model.outcomes import METRICS, RunResult
from inclusion_sim.model.run import run
from inclusion_sim.model.school_model import SchoolModel
from inclusion_sim.scenario import RunConfig, Scenario, load_scenario, resolve

__all__ = [
    "InputError", "MECHANISMS", "METRICS", "PARAMETERS", "POLICY_PRESETS", "Params", "Policy",
    "RunConfig", "RunResult", "Scenario", "SchoolModel", "ServicePolicy", "load_scenario",
    "resolve", "run", "__version__",
]
