"""The on-disk store of a sweep: Parquet chunk files, written atomically, read with DuckDB.

Layout of a sweep directory::

    sweep.json            what was planned (spec, plan hash, scenario hash, design size)
    design.parquet        the parameter points, one row per point index
    runs/<chunk>.parquet      the runs manifest: one row per run, status ok or failed
    outcomes/<chunk>.parquet  end-of-year outcomes, one row per successful run
    weekly/<chunk>.parquet    weekly time series, one row per run and week

A worker writes one file per table per chunk of runs (never one file per run, which cluster
file systems punish), each to a temporary name first and then `os.replace`-d into place, so a
file either exists whole or not at all. The manifest file is written last: a chunk counts as
done only when its manifest exists, and readers ignore outcome and weekly rows that no manifest
vouches for. That is what makes a SIGKILL at any moment harmless.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from inclusion_sim.base.errors import InputError, Problem

#: Folder inside a sweep directory where optimized weekly schedules are cached.
SCHEDULE_CACHE = "schedule_cache"

#: Columns that identify a run in every stored table (never analysed as outcomes).
ID_COLUMNS = ("run_id", "chunk", "point", "policy", "replicate")

TABLES = ("runs", "outcomes", "weekly")
META_FILE = "sweep.json"
DESIGN_FILE = "design.parquet"
FORMAT_VERSION = 1


def write_parquet_atomic(table: pa.Table, path: str | Path) -> None:
    """Write a Parquet file so that readers and resumes never see a partial one."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as handle:
            pq.write_table(table, handle, compression="zstd")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json_atomic(data: Any, path: Path) -> None:
    """Write JSON with the same all-or-nothing guarantee as the Parquet files."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, path)


class SweepStore:
    """The writer's view of a sweep directory: layout, plan checks, what is finished."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def table_dir(self, table: str) -> Path:
        """Directory holding one table's chunk files."""
        return self.root / table

    def chunk_path(self, table: str, chunk: str) -> Path:
        """Path of one table's file for one chunk."""
        return self.table_dir(table) / f"{chunk}.parquet"

    def read_meta(self) -> dict | None:
        """The stored plan, or None for a new directory."""
        path = self.root / META_FILE
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def prepare(self, meta: dict, design: pa.Table) -> None:
        """Create the layout, or check that an existing directory holds the same sweep.

        Raises:
            InputError: If the directory holds a different sweep, since mixing two plans under
                one set of run ids would silently corrupt every comparison.
        """
        old = self.read_meta()
        if old is not None and old.get("plan_hash") != meta["plan_hash"]:
            origin = old.get("spec", {}).get("source")
            raise InputError(Problem(
                str(self.root / META_FILE), "plan_hash",
                f"the same sweep as the spec ({meta['plan_hash']})",
                f"a different sweep ({old.get('plan_hash')}, from {origin})",
                "use a new --out directory, or the spec these results came from",
            ))
        if self.root.exists() and not self.root.is_dir():
            raise InputError(Problem(str(self.root), "--out", "a directory", "a file"))
        for table in TABLES:
            self.table_dir(table).mkdir(parents=True, exist_ok=True)
        write_parquet_atomic(design, self.root / DESIGN_FILE)
        write_json_atomic(meta, self.root / META_FILE)

    def clean(self) -> int:
        """Remove leftovers of a killed sweep: temporary files and unvouched chunk files.

        Returns:
            Number of files removed.
        """
        removed = 0
        vouched = {p.stem for p in self.table_dir("runs").glob("*.parquet")}
        for table in TABLES:
            folder = self.table_dir(table)
            if not folder.exists():
                continue
            for path in folder.iterdir():
                stale_tmp = path.name.endswith(".tmp")
                orphan = path.suffix == ".parquet" and table != "runs" and path.stem not in vouched
                if stale_tmp or orphan:
                    path.unlink(missing_ok=True)
                    removed += 1
        for path in self.root.glob(".*.tmp"):
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def finished_run_ids(self, include_failed: bool = True) -> set[str]:
        """Run ids already recorded, so a resumed sweep skips them.

        Args:
            include_failed: Count failed runs as finished (the default: a deterministic failure
                would fail again); pass False to retry them.
        """
        done: set[str] = set()
        for path in sorted(self.table_dir("runs").glob("*.parquet")):
            table = pq.read_table(path, columns=["run_id", "status"])
            ids = table.column("run_id").to_pylist()
            statuses = table.column("status").to_pylist()
            done.update(i for i, s in zip(ids, statuses, strict=True)
                        if include_failed or s == "ok")
        return done
