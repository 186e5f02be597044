"""Small stand-ins for the model, importable by spawned workers (they share sys.path)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd


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


def slow_run(scenario, seed, policy, parameters, weeks=None):
    time.sleep(0.03)
    return fake_run(scenario, seed, policy, parameters, weeks)
