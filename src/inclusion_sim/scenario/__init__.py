"""Stage 3, the scenario: scenario files, and their resolution into one run configuration.

`load_scenario` reads and validates a TOML file; `resolve` turns a scenario plus overrides into a
`RunConfig` of plain values (school, policy, parameters, mechanisms, weeks, seed), which is
all the model takes.
"""

from inclusion_sim.scenario.config import RunConfig, resolve
from inclusion_sim.scenario.files import Scenario, from_dict, load_scenario

__all__ = ["RunConfig", "Scenario", "from_dict", "load_scenario", "resolve"]
