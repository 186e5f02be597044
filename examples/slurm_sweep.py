"""Run a sweep on a SLURM cluster with dask-jobqueue (a worked example to adapt).

Install on the login node, in the environment the compute nodes will also use::

    pip install "inclusion-sim[jobqueue]"

Then, from the login node (or an interactive job)::

    python examples/slurm_sweep.py scenarios/sweeps/estimates_sobol.toml \
        --out /scratch/$USER/sobol --jobs 8 --partition standard --walltime 02:00:00

What happens: `SLURMCluster` submits `--jobs` batch jobs, each starting Dask workers (one per
core, single-threaded: a run is plain Python). The sweep's chunk tasks go to those workers
through `client.get_executor()`, exactly as with local processes. Workers write Parquet chunk
files straight into `--out`, so it must be on a file system every node sees (scratch or
project space, not a node-local /tmp). If the allocation ends or the script is killed, submit it
again with the same arguments: finished runs are skipped. For PBS use `PBSCluster` with the same
arguments (`queue=` instead of `partition=`).
"""

from __future__ import annotations

import argparse

from inclusion_sim.experiments import run_sweep


def main() -> None:
    """Start SLURM workers, run the sweep on them, and release the jobs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", help="sweep spec (TOML)")
    parser.add_argument("--out", required=True, help="results directory on a shared file system")
    parser.add_argument("--jobs", type=int, default=4, help="SLURM jobs to start")
    parser.add_argument("--cores", type=int, default=16, help="cores per job")
    parser.add_argument("--memory", default="32GB", help="memory per job")
    parser.add_argument("--partition", default=None, help="SLURM partition (queue)")
    parser.add_argument("--account", default=None, help="SLURM account to charge")
    parser.add_argument("--walltime", default="01:00:00", help="wall time per job")
    args = parser.parse_args()

    from dask.distributed import Client
    from dask_jobqueue import SLURMCluster

    cluster = SLURMCluster(
        cores=args.cores,
        processes=args.cores,  # one single-threaded worker process per core
        memory=args.memory,
        queue=args.partition,
        account=args.account,
        walltime=args.walltime,
    )
    cluster.scale(jobs=args.jobs)
    with Client(cluster) as client:
        client.wait_for_workers(1, timeout=600)  # start as soon as the first job runs
        summary = run_sweep(args.spec, args.out, executor=client.get_executor(pure=False),
                            workers=args.jobs * args.cores)
    cluster.close()
    print(summary)
    print(f"Next: inclusion-sim report {args.out}")


if __name__ == "__main__":
    main()
