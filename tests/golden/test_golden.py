"""Every shipped scenario, preset and seed still gives its recorded tables, bit for bit.

Computed in a fresh process with numpy's AVX-512 loops off (`golden_runs.PINNED_SIMD`), so the
check means the same on machines with and without AVX-512.
"""

import json

import pytest

from .golden_runs import GOLDEN_FILE, SCENARIOS, record_pinned

GOLDEN = json.loads(GOLDEN_FILE.read_text())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_results_match_the_recorded_golden_outputs(scenario):
    now = record_pinned(scenario)
    assert now.keys() == GOLDEN[scenario].keys()
    for run, recorded in GOLDEN[scenario].items():
        moved = {k: (recorded["summary"][k], v) for k, v in now[run]["summary"].items()
                 if recorded["summary"].get(k) != v}
        assert not moved, f"{scenario} {run}: summary moved (recorded, now): {moved}"
        for table in ("weekly", "students", "services"):
            assert now[run][table] == recorded[table], f"{scenario} {run}: {table} table changed"
