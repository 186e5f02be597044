"""Every shipped scenario, preset and seed still gives its recorded tables, bit for bit."""

import json

import pytest

from .golden_runs import GOLDEN_FILE, SCENARIOS, record_scenario

GOLDEN = json.loads(GOLDEN_FILE.read_text())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_results_match_the_recorded_golden_outputs(scenario):
    now = record_scenario(scenario)
    assert now.keys() == GOLDEN[scenario].keys()
    for run, recorded in GOLDEN[scenario].items():
        moved = {k: (recorded["summary"][k], v) for k, v in now[run]["summary"].items()
                 if recorded["summary"].get(k) != v}
        assert not moved, f"{scenario} {run}: summary moved (recorded, now): {moved}"
        for table in ("weekly", "students", "services"):
            assert now[run][table] == recorded[table], f"{scenario} {run}: {table} table changed"
