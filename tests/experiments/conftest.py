from __future__ import annotations

import pytest
from sweep_fakes import FakeScenario, fake_run, fake_spec

from inclusion_sim.experiments import run_sweep


@pytest.fixture(scope="session")
def reference_sweep(tmp_path_factory):
    """The grid sweep run once, uninterrupted, on one worker."""
    out = tmp_path_factory.mktemp("reference")
    summary = run_sweep(fake_spec(), out, workers=1, scenario=FakeScenario(), run_fn=fake_run,
                        progress=False)
    assert summary.complete and summary.failed == 0
    return out
