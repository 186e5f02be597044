"""Tables as files: CSV at the precision a simulation carries, with a data dictionary.

Every table the library writes for people (a run's, a comparison's, a sweep's, the feasibility
report's) goes through `write_tables`, so each CSV keeps its machine-readable column names,
writes floats at six significant digits (never an exponent or fifteen digits of simulation
noise) and ships ``data_dictionary.csv`` next to it saying what each column is, in which unit.
Parquet copies keep full precision for anyone who needs it.

What a column means is not known here (outcomes and parameters are declared in higher
stages); callers pass ``describe``, a function from a column name to (label, unit,
description). `inclusion_sim.model.outcomes.describe_column` is the library's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

#: Significant digits kept in exported CSV floats.
CSV_DIGITS = 6

#: Column name -> (label, unit, description).
Describe = Callable[[str], tuple[str, str, str]]

#: The data dictionary's columns.
DICTIONARY_COLUMNS = ["file", "column", "label", "unit", "description"]


def readable(column: str) -> tuple[str, str, str]:
    """A column nobody described: its name made readable, no unit, no description."""
    text = str(column).replace("_", " ").strip()
    return text[:1].upper() + text[1:], "", ""


def data_dictionary(tables: Mapping[str, Iterable[str]], describe: Describe = readable,
                    overrides: Mapping[str, tuple[str, str, str]] | None = None) -> pd.DataFrame:
    """One row per (file, column): label, unit and description.

    Args:
        tables: File name -> its columns (e.g. ``{"runs.csv": frame.columns}``).
        describe: Column -> (label, unit, description).
        overrides: Column -> (label, unit, description) for tables whose columns mean something
            other than a run's columns of the same name (the feasibility report's are weekly).
    """
    overrides = overrides or {}
    rows = []
    for file, columns in tables.items():
        for column in columns:
            label, unit, description = overrides.get(str(column)) or describe(str(column))
            rows.append({"file": file, "column": column, "label": label, "unit": unit,
                         "description": description})
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def _round_significant(values: np.ndarray, digits: int) -> np.ndarray:
    finite = np.isfinite(values) & (values != 0)
    out = values.copy()
    magnitude = np.floor(np.log10(np.abs(values[finite])))
    scale = 10.0 ** (digits - 1 - magnitude)
    out[finite] = np.round(values[finite] * scale) / scale
    return out


def tidy_floats(frame: pd.DataFrame, digits: int = CSV_DIGITS) -> pd.DataFrame:
    """A copy with float columns rounded to ``digits`` significant digits (for CSV export)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = _round_significant(out[column].to_numpy(float), digits)
    return out


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return ""
    return np.format_float_positional(value, trim="-")


def csv_text(frame: pd.DataFrame, digits: int = CSV_DIGITS) -> str:
    """A table as CSV text: floats at ``digits`` significant digits, never in exponent form."""
    tidy = tidy_floats(frame, digits)
    for column in tidy.columns:
        if pd.api.types.is_float_dtype(tidy[column]):
            tidy[column] = [_float_text(v) for v in tidy[column].to_numpy(float)]
    return tidy.to_csv(index=False)


def write_tables(directory: str | Path, tables: Mapping[str, pd.DataFrame],
                 describe: Describe = readable, *, parquet: bool = True, csv: bool = True,
                 dictionary: str = "data_dictionary.csv",
                 overrides: Mapping[str, tuple[str, str, str]] | None = None) -> list[Path]:
    """Write tables as CSV (and Parquet) with a data dictionary next to them.

    Args:
        directory: Folder to write into (created if needed).
        tables: File name without extension -> table.
        describe: Column -> (label, unit, description), for the dictionary.
        parquet: Also write each table as Parquet at full precision.
        csv: Write the CSV files and the dictionary (False: Parquet only).
        dictionary: File name of the data dictionary ("" for none).
        overrides: Column descriptions that take precedence over ``describe``.

    Returns:
        The CSV paths written, the dictionary last.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        if parquet:
            table.to_parquet(out / f"{name}.parquet", index=False)
        if csv:
            path = out / f"{name}.csv"
            path.write_text(csv_text(table), encoding="utf-8")
            paths.append(path)
    if csv and dictionary:
        path = out / dictionary
        path.write_text(csv_text(data_dictionary(
            {f"{name}.csv": table.columns for name, table in tables.items()}, describe,
            overrides)), encoding="utf-8")
        paths.append(path)
    return paths
