from __future__ import annotations

import pandas as pd
import pytest
from sweep_fakes import FAKE_PARAMETERS, FAKE_POLICIES, FakeScenario, fake_run

from inclusion_sim.experiments import open_results, parse_spec, run_sweep

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

BOOKKEEPING = ["chunk", "wall_seconds", "finished_at", "worker"]


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


@pytest.fixture(scope="session")
def reference_sweep(tmp_path_factory):
    """The grid sweep run once, uninterrupted, on one worker."""
    out = tmp_path_factory.mktemp("reference")
    summary = run_sweep(fake_spec(), out, workers=1, scenario=FakeScenario(), run_fn=fake_run,
                        progress=False)
    assert summary.complete and summary.failed == 0
    return out
