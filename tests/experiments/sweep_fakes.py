"""Small stand-ins for the model, importable by spawned workers (they share sys.path)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inclusion_sim.experiments import open_results, parse_spec


@dataclass(frozen=True)
class FakeParam:
    name: str
    default: float
    low: float
    high: float


FAKE_PARAMETERS = {
    "stigma_per_removal": FakeParam("stigma_per_removal", 0.01, 0.0, 0.03),
    "carryover_rate": FakeParam("carryover_rate", 0.03, 0.01, 0.06),
    "transition_minutes": FakeParam("transition_minutes", 5, 2, 10),
}
FAKE_POLICIES = {"pull_out": None, "push_in": None, "push_in_collaborative": None}


@dataclass(frozen=True)
class FakeScenario:
    weeks: int = 6

    def hash(self) -> str:
        return f"fake{self.weeks}"


@dataclass
class FakeResult:
    summary: dict
    weekly: pd.DataFrame


def fake_run(scenario, seed, policy, parameters, weeks=None):
    """Deterministic in (seed, policy, parameters); push-in adds a known effect."""
    weeks = weeks or scenario.weeks
    rng = np.random.default_rng(seed)
    school = rng.normal(0.0, 1.0)
    effect = 0.3 if policy.startswith("push_in") else 0.0
    stigma = parameters.get("stigma_per_removal", 0.01)
    carry = parameters.get("carryover_rate", 0.03)
    carryover = school + effect + 10 * carry + rng.normal(0.0, 0.05)
    stigma_out = school * 0.1 + (stigma * 20 if policy == "pull_out" else stigma * 5)
    week = np.arange(1, weeks + 1)
    weekly = pd.DataFrame({"week": week, "carryover_mean": carryover * week / weeks,
                           "stigma_mean": stigma_out * week / weeks})
    return FakeResult({"carryover_mean": carryover, "stigma_mean": stigma_out}, weekly)


def flaky_run(scenario, seed, policy, parameters, weeks=None):
    """Raises for high stigma under pull-out: a run-level failure the sweep must survive."""
    if policy == "pull_out" and parameters.get("stigma_per_removal", 0) > 0.02:
        raise ValueError(f"boom at stigma {parameters['stigma_per_removal']}")
    return fake_run(scenario, seed, policy, parameters, weeks)


def dying_run(scenario, seed, policy, parameters, weeks=None):
    """Ends the worker process itself, as a worker that cannot start or crashes would."""
    import os

    os._exit(3)


def slow_run(scenario, seed, policy, parameters, weeks=None):
    """A run slow enough that a signal sent after the first chunks lands mid-sweep.

    At 0.1 s a run the 48-run sweep takes about 2.5 s on two workers, time enough for the
    test to see the first chunks and signal the sweep before it ends.
    """
    time.sleep(0.1)
    return fake_run(scenario, seed, policy, parameters, weeks)


GRID_SPEC = """
[sweep]
name = "fake grid"
scenario = "unused.toml"
policies = ["pull_out", "push_in"]
replicates = 4
seed = 11

[design]
method = "grid"

[parameters]
stigma_per_removal = [0.01, 0.025]
carryover_rate = { low = 0.01, high = 0.05, steps = 3 }
"""

BOOKKEEPING = ["chunk", "wall_seconds", "cpu_seconds", "finished_at", "worker"]


def fake_spec(text: str = GRID_SPEC):
    return parse_spec(text, parameters=FAKE_PARAMETERS, policies=FAKE_POLICIES,
                      check_scenario=False)


def tables(root) -> dict[str, pd.DataFrame]:
    """The store's tables without bookkeeping that legitimately differs between executions."""
    with open_results(root) as results:
        runs = results.runs().drop(columns=BOOKKEEPING)
        outcomes = results.outcomes()
        weekly = results.weekly()
    return {"runs": runs.reset_index(drop=True), "outcomes": outcomes.reset_index(drop=True),
            "weekly": weekly.reset_index(drop=True)}


def assert_same_tables(a, b) -> None:
    for name in ("runs", "outcomes", "weekly"):
        pd.testing.assert_frame_equal(a[name], b[name], check_like=True, obj=name)
