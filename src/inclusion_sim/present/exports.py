"""Exported tables: machine-readable columns, sensible precision and a data dictionary.

A CSV keeps its identifiers (``iep_core_hours_missed``, ``push_in``) so scripts and
spreadsheets can use it, and ships ``data_dictionary.csv`` next to it saying what each column
is, in which unit, in plain words. The writing itself is `inclusion_sim.base.tables` (so a
run's own `RunResult.write` writes the same files); this module binds it to the library's
column descriptions (`inclusion_sim.model.outcomes.describe_column`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from inclusion_sim.base import tables as _tables
from inclusion_sim.base.tables import CSV_DIGITS, csv_text, tidy_floats
from inclusion_sim.model.columns import COLUMNS
from inclusion_sim.model.outcomes import describe_column

__all__ = ["COLUMNS", "CSV_DIGITS", "csv_text", "data_dictionary", "describe_column",
           "tidy_floats", "write_tables"]


def data_dictionary(tables: Mapping[str, Iterable[str]],
                    overrides: Mapping[str, tuple[str, str, str]] | None = None) -> pd.DataFrame:
    """One row per (file, column): label, unit and description.

    Args:
        tables: File name -> its columns (e.g. ``{"runs.csv": frame.columns}``).
        overrides: Column -> (label, unit, description) for tables whose columns mean something
            other than a run's columns of the same name (the feasibility report's are weekly).
    """
    return _tables.data_dictionary(tables, describe_column, overrides)


def write_tables(directory: str | Path, tables: Mapping[str, pd.DataFrame], *,
                 parquet: bool = True, dictionary: str = "data_dictionary.csv",
                 overrides: Mapping[str, tuple[str, str, str]] | None = None) -> list[Path]:
    """Write tables as CSV (and Parquet) with a data dictionary next to them.

    Args:
        directory: Folder to write into (created if needed).
        tables: Name (without extension) -> table.
        parquet: Also write each table as Parquet at full precision.
        dictionary: File name of the data dictionary ("" for none).
        overrides: Column descriptions that take precedence over the library's.

    Returns:
        The CSV paths written, the dictionary last.
    """
    return _tables.write_tables(directory, tables, describe_column, parquet=parquet,
                                dictionary=dictionary, overrides=overrides)
