"""Golden outputs: digests of the tables every shipped scenario produces under every preset.

A refactor must leave these bit-identical; a change to the model that moves results on purpose
re-records them (``python tests/golden/golden_runs.py``) and says so in its commit and in
`docs/validation.md`.

The model pipeline is checked on every shipped scenario, preset and two seeds with the greedy
scheduler (fast); the default optimizing scheduler is checked on the small school (its solves
are what takes time).

Each table is written as CSV with full float precision (Python's shortest round-trip repr) and
hashed, so any change in any cell of the summary, weekly, students or services tables shows.
The summary values are stored in plain numbers next to the digests, so a failure says which
outcome moved.

Bit for bit holds on one machine, and across machines only where numpy computes the same way:
its AVX-512 loops for some functions (``exp``, ``log``, ``power``) round the last bit differently
from the AVX2 loops other x86 processors use, which moves a few summaries by about 1e-15. The
goldens are therefore recorded and checked with numpy's AVX-512 dispatch switched off
(``NPY_DISABLE_CPU_FEATURES``, read when numpy is imported, hence a fresh process), so that they
hold on any x86-64 machine with AVX2, with or without AVX-512.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_FILE = Path(__file__).with_name("golden.json")
SCENARIOS = ("default_elementary", "small_elementary", "k8_school", "example_300_csv")
SEEDS = (1, 2)
#: (scenario, seeds) also recorded with the default optimizing scheduler.
OPTIMIZED = {"small_elementary": (1,)}
TABLES = ("weekly", "students", "services")
#: numpy's CPU features above AVX2, switched off for recording and checking (absent ones are
#: ignored by numpy, so the same setting serves every x86-64 machine).
PINNED_SIMD = "X86_V4 AVX512_ICL AVX512_SPR"


def pinned_env() -> dict[str, str]:
    """This process's environment, with numpy's AVX-512 loops off and the same import path."""
    path = os.pathsep.join(p for p in sys.path if p)
    return {**os.environ, "NPY_DISABLE_CPU_FEATURES": PINNED_SIMD, "PYTHONPATH": path}


def record_pinned(name: str) -> dict[str, dict]:
    """`record_scenario` in a fresh process whose numpy computes as on an AVX2 machine."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
            "from golden_runs import record_scenario; "
            "print(json.dumps(record_scenario(sys.argv[2])))")
    done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), name],
                          env=pinned_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"recording {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def digest(table) -> str:
    """A digest of a table's every cell at full precision."""
    text = table.to_csv(index=False, float_format=None)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def record_scenario(name: str) -> dict[str, dict]:
    """Run one scenario under every preset and seed; return its digests and summaries."""
    from inclusion_sim import POLICY_PRESETS, load_scenario, run

    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    out = {}
    runs = [("greedy", seed) for seed in SEEDS]
    runs += [("optimal", seed) for seed in OPTIMIZED.get(name, ())]
    for policy in POLICY_PRESETS:
        for scheduler, seed in runs:
            result = run(scenario, seed=seed, policy=policy, scheduling=scheduler)
            key = f"{policy}/seed{seed}" + ("/optimal" if scheduler == "optimal" else "")
            out[key] = {
                "summary": {k: repr(v) for k, v in result.summary.items()},
                **{t: digest(getattr(result, t)) for t in TABLES},
            }
    return out


def main() -> None:
    golden = {name: record_pinned(name) for name in SCENARIOS}
    GOLDEN_FILE.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    print(f"recorded {sum(len(v) for v in golden.values())} runs in {GOLDEN_FILE.name}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
