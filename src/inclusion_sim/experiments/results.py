"""Reading a sweep directory: DuckDB views over the chunk files, DataFrames, CSV export.

`open_results` (exported as `inclusion_sim.experiments.open`) gives an in-process DuckDB
connection with four views, queried straight from Parquet without loading everything:

- ``runs``: the manifest, one row per run (the latest record wins if a run was retried);
- ``outcomes``: end-of-year outcomes of successful runs, with point, policy, replicate and
  the varied parameter values;
- ``weekly``: weekly time series of successful runs;
- ``failures``: failed runs with their error;
- ``design``: the parameter points.

Rows of a chunk that no manifest vouches for (a worker killed mid-write) are never shown.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from inclusion_sim.base.errors import InputError, Problem
from inclusion_sim.experiments.store import DESIGN_FILE, META_FILE, TABLES
from inclusion_sim.present.exports import CSV_DIGITS, csv_text, data_dictionary

_EMPTY = {
    "runs": "SELECT NULL::VARCHAR AS run_id, NULL::VARCHAR AS chunk, NULL::BIGINT AS point, "
            "NULL::VARCHAR AS policy, NULL::BIGINT AS replicate, NULL::BIGINT AS seed, "
            "NULL::VARCHAR AS status, NULL::VARCHAR AS error, NULL::VARCHAR AS traceback, "
            "NULL::VARCHAR AS finished_at WHERE false",
    "outcomes": "SELECT NULL::VARCHAR AS run_id, NULL::VARCHAR AS chunk WHERE false",
    "weekly": "SELECT NULL::VARCHAR AS run_id, NULL::VARCHAR AS chunk WHERE false",
}
BOOKKEEPING = ("chunk", "wall_seconds", "cpu_seconds", "finished_at", "worker")


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _tidy(column: str, kind: str) -> str:
    """A SELECT expression giving a float column six significant digits (the CSV precision)."""
    name = '"' + column.replace('"', '""') + '"'
    if kind not in ("DOUBLE", "FLOAT", "REAL"):
        return name
    digits = CSV_DIGITS - 1
    return (f"CASE WHEN {name} IS NULL OR {name} = 0 OR isinf({name}) OR isnan({name}) "
            f"THEN {name} ELSE round({name}, CAST({digits} - floor(log10(abs({name}))) AS "
            f"INTEGER)) END AS {name}")


class SweepResults:
    """Query a sweep's results with SQL or get them as DataFrames.

    Example::

        results = inclusion_sim.experiments.open("results/my_sweep")
        results.sql("SELECT policy, avg(iep_carryover) FROM outcomes GROUP BY policy")
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        meta_path = self.root / META_FILE
        if not meta_path.is_file():
            raise InputError(Problem(str(self.root), "directory", "a sweep directory "
                                     f"(with {META_FILE})", "none"))
        self.meta: dict = json.loads(meta_path.read_text(encoding="utf-8"))
        self.con = duckdb.connect()
        self._create_views()

    @property
    def parameter_names(self) -> list[str]:
        """The varied parameters."""
        return [p["name"] for p in self.meta["spec"]["parameters"]]

    @property
    def policies(self) -> list[str]:
        """Policies in spec order; the first is the reference for paired differences."""
        return list(self.meta["spec"]["policies"])

    def _create_views(self) -> None:
        for table in TABLES:
            files = self.root / table / "*.parquet"
            has_files = any((self.root / table).glob("*.parquet"))
            source = (f"SELECT * FROM read_parquet({_quote(files)}, union_by_name = true)"
                      if has_files else _EMPTY[table])
            self.con.execute(f"CREATE OR REPLACE VIEW {table}_raw AS {source}")
        self.con.execute(
            "CREATE OR REPLACE VIEW runs AS SELECT * EXCLUDE (_rank) FROM ("
            " SELECT *, row_number() OVER (PARTITION BY run_id ORDER BY (status = 'ok') DESC,"
            " finished_at DESC, chunk) AS _rank FROM runs_raw) WHERE _rank = 1")
        for table in ("outcomes", "weekly"):
            self.con.execute(
                f"CREATE OR REPLACE VIEW {table} AS SELECT t.* FROM {table}_raw t"
                " SEMI JOIN runs r ON t.run_id = r.run_id AND t.chunk = r.chunk")
        self.con.execute("CREATE OR REPLACE VIEW failures AS "
                         "SELECT * FROM runs WHERE status <> 'ok'")
        design = self.root / DESIGN_FILE
        if design.exists():
            self.con.execute(f"CREATE OR REPLACE VIEW design AS "
                             f"SELECT * FROM read_parquet({_quote(design)})")

    def refresh(self) -> None:
        """Pick up chunk files written since opening (e.g. while a sweep is running)."""
        self._create_views()

    def sql(self, query: str, params: list | None = None) -> pd.DataFrame:
        """Run a DuckDB query over the views and return a DataFrame."""
        return self.con.execute(query, params or []).df()

    def runs(self) -> pd.DataFrame:
        """The runs manifest, ordered by run id."""
        return self.sql("SELECT * FROM runs ORDER BY run_id")

    def outcomes(self) -> pd.DataFrame:
        """Outcomes of successful runs, ordered by run id."""
        return self.sql("SELECT * EXCLUDE (chunk) FROM outcomes ORDER BY run_id")

    def weekly(self) -> pd.DataFrame:
        """Weekly time series of successful runs, ordered by run id and week."""
        order = "run_id, week" if "week" in self.columns("weekly") else "run_id"
        return self.sql(f"SELECT * EXCLUDE (chunk) FROM weekly ORDER BY {order}")

    def failures(self) -> pd.DataFrame:
        """Failed runs with their errors."""
        return self.sql("SELECT run_id, point, policy, replicate, seed, error, traceback "
                        "FROM failures ORDER BY run_id")

    def columns(self, view: str) -> list[str]:
        """Column names of a view."""
        return [row[0] for row in self.con.execute(f"DESCRIBE {view}").fetchall()]

    def metrics(self) -> list[str]:
        """Outcome metric names (numeric outcome columns that are not identifiers)."""
        skip = {"run_id", "chunk", "point", "policy", "replicate", *self.parameter_names}
        return [c for c in self.columns("outcomes") if c not in skip]

    def counts(self) -> dict[str, int]:
        """Runs planned, finished, failed."""
        row = self.con.execute("SELECT count(*) FILTER (status = 'ok'), "
                               "count(*) FILTER (status <> 'ok') FROM runs").fetchone()
        return {"planned": int(self.meta.get("total_runs", 0)), "ok": int(row[0]),
                "failed": int(row[1])}

    def to_csv(self, directory: str | Path) -> list[Path]:
        """Write runs, outcomes, weekly and failures as CSV files for spreadsheet users.

        Like every table the library writes for people: the column names are kept, floats are
        rounded to six significant digits, and ``data_dictionary.csv`` (the last path) says
        what each column is. Streams through DuckDB, so large sweeps never sit in memory.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        written, columns = [], {}
        for view in ("runs", "outcomes", "weekly", "failures"):
            path = directory / f"{view}.csv"
            described = self.con.execute(f"DESCRIBE {view}").fetchall()
            names = [row[0] for row in described if not (
                view in ("outcomes", "weekly") and row[0] == "chunk")]
            kinds = {row[0]: row[1] for row in described}
            select = ", ".join(_tidy(name, kinds[name]) for name in names)
            self.con.execute(f"COPY (SELECT {select} FROM {view} ORDER BY run_id) "
                             f"TO {_quote(path)} (HEADER, DELIMITER ',')")
            written.append(path)
            columns[path.name] = names
        path = directory / "data_dictionary.csv"
        path.write_text(csv_text(data_dictionary(columns)), encoding="utf-8")
        return [*written, path]

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.con.close()

    def __enter__(self) -> SweepResults:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_results(root: str | Path) -> SweepResults:
    """Open a sweep directory for queries (also while the sweep is still running)."""
    return SweepResults(root)
