"""Model speed: one school year, period by period, including building the school.

Runs the default elementary school scaled to about 500, 5,000 and 50,000 students (more classes
per grade, therapists scaled with them), each size in a fresh process so peak memory is that
size's own. Prints CPU seconds (one core; the import of the package is not counted), seconds per
1,000 students, and peak resident memory. With ``--disruptions`` each run is repeated with every
disruption of the school year on (absences, events, duty weeks), and the ratio of the two CPU
times is printed: the disruptions should cost at most half again the time of the plain year.

    python benchmarks/bench_model.py [--sizes 1 10 100] [--policies pull_out push_in_collaborative]
                                     [--disruptions]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "default_elementary.toml"


def one(scale: int, policy: str, repeats: int, disruptions: bool = False) -> dict:
    from inclusion_sim import SchoolModel, load_scenario

    base = load_scenario(SCENARIO)
    staff = [dict(s) for s in base.spec.model_dump()["staff"]]
    for s in staff:
        s["count"] = s["count"] * scale
    scenario = base.with_changes({"school.classes_per_grade": 4 * scale, "staff": staff})
    times = []
    for _ in range(repeats):
        start = time.process_time()
        model = SchoolModel.from_scenario(scenario, policy=policy, seed=1,
                                          disruptions=disruptions)
        built = time.process_time()
        model.run()
        times.append((time.process_time() - start, built - start))
    best = min(times)
    return {"students": model.state.n, "policy": policy, "cpu_s": best[0], "build_s": best[1],
            "steps": model.steps, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100],
                        help="scale factors of the default school (1 = ~500 students)")
    parser.add_argument("--policies", nargs="+", default=["pull_out", "push_in_collaborative"])
    parser.add_argument("--disruptions", action="store_true",
                        help="also time each year with every disruption on, and the ratio")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        scale, policy, repeats = int(args.child[0]), args.child[1], int(args.child[2])
        print(json.dumps(one(scale, policy, repeats, args.child[3] == "1")))
        return
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"{'students':>9} {'policy':<22} {'cpu s':>7} {'build s':>8} {'s/1k students':>13} "
          f"{'peak MB':>8}" + (f" {'disrupted s':>11} {'ratio':>6}" if args.disruptions else ""))
    for scale in args.sizes:
        for policy in args.policies:
            repeats = 3 if scale <= 10 else 1
            runs = [_child(scale, policy, repeats, False)]
            if args.disruptions:
                runs.append(_child(scale, policy, repeats, True))
            r = runs[0]
            extra = (f" {runs[1]['cpu_s']:>11.3f} {runs[1]['cpu_s'] / r['cpu_s']:>6.2f}"
                     if args.disruptions else "")
            print(f"{r['students']:>9} {policy:<22} {r['cpu_s']:>7.3f} {r['build_s']:>8.3f} "
                  f"{1000 * r['cpu_s'] / r['students']:>13.4f} {r['peak_rss_mb']:>8.0f}"
                  + extra, flush=True)


def _child(scale: int, policy: str, repeats: int, disruptions: bool) -> dict:
    """One measurement in a fresh process."""
    out = subprocess.run([sys.executable, __file__, "--child", str(scale), policy, str(repeats),
                          "1" if disruptions else "0"], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
