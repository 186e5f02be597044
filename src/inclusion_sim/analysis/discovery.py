"""Scenario discovery: the regions of a sweep's parameter space where one policy beats another.

A sweep gives, for every parameter point and replicate, the outcome of each policy on the same
seed, so the paired difference ``A - B`` of one run pair is the policy's effect there
(`inclusion_sim.analysis.sweeps`). Averages answer "does A beat B overall?"; scenario discovery
answers *when*: it looks for a box in parameter space (each varied parameter restricted to an
interval) where A beats B in most run pairs while still holding most of the pairs where it does.

Two well-kept libraries do the searching (the optional extra ``discovery``):

* **PRIM** from EMA Workbench (`ema_workbench.analysis.prim`), the patient rule induction of
  Friedman & Fisher (1999) as used in robust decision making (Bryant & Lempert 2010). It peels
  the box a few per cent at a time; each step of the *peeling trajectory* trades coverage (share
  of all winning pairs inside the box) for density (share of pairs inside the box that win). The
  box kept is the densest one whose coverage is at least ``min_coverage`` (a stated rule, so two
  readers of the same sweep get the same box).
* **CART** from scikit-learn (a shallow classification tree) as a cross-check: if its purest
  leaf restricts the same parameters as the PRIM box, the region is not an artefact of one
  algorithm.

"A beats B" is decided per run pair, in the outcome's better direction
(`inclusion_sim.model.outcomes.Metric.better`): more carry-over, less stigma. A tie (equal
outcomes, e.g. two policies that schedule the same sessions) is not a win. A *composite* adds
several outcomes, each paired difference turned towards "better" and divided by the outcome's
standard deviation across the sweep's runs so that units cancel, with stated weights.

Everything here is deterministic: the pairs are sorted by (point, replicate), PRIM has no
randomness and the tree has a fixed ``random_state``, so a sweep run on 1 or N workers (whose
store is identical) gives the same box and the same sentences.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inclusion_sim import present
from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.base.params import PARAMETERS

#: Name of the optional extra that installs EMA Workbench and scikit-learn.
EXTRA = "discovery"

#: Default coverage a chosen PRIM box must keep (share of all winning pairs inside it).
MIN_COVERAGE = 0.5

#: PRIM's threshold on the 0/1 win indicator: just above zero, so a "case of interest" is a win.
WIN_THRESHOLD = 1e-9

#: Restrictions with a quasi-p above this are reported as possible noise and left out of the
#: plain-language box (the convention of Bryant & Lempert 2010).
SIGNIFICANCE = 0.05

#: Depth of the cross-check tree: three questions give boxes a person can still read.
TREE_DEPTH = 3

#: Plain names of the scenario knobs (`inclusion_sim.experiments.knobs`).
KNOB_LABELS: dict[str, str] = {
    "school.class_size": "class size",
    "school.classes_per_grade": "classes per grade",
    "school.iep_prevalence": "share of students with an IEP",
    "staffing": "staffing (factor on therapists' minutes)",
    "master_schedule": "realistic master schedule",
    "equal_dose": "equal dose",
}


def _lower_first(text: str) -> str:
    """A label as it reads inside a sentence ("Pull-out" -> "pull-out")."""
    return text[:1].lower() + text[1:]


def policy_label(key: str) -> str:
    """A policy as people say it inside a sentence: the presentation layer's name."""
    return _lower_first(present.policy_label(key))


def capitalized(text: str) -> str:
    """The first letter in upper case, the rest untouched (labels start sentences)."""
    return text[:1].upper() + text[1:]


def dimension_label(name: str, registry: Mapping[str, Any] | None = None) -> str:
    """A varied parameter as people read it: its label, in lower case, or the knob's name."""
    if name in KNOB_LABELS:
        return KNOB_LABELS[name]
    if registry is None:
        registry = PARAMETERS
    param = registry.get(name)
    label = getattr(param, "label", None) if param is not None else None
    if not label:
        return name.replace("_", " ")
    return _lower_first(label)


def outcome_label(name: str) -> str:
    """An outcome as it reads inside a sentence: the presentation layer's label."""
    return _lower_first(present.metric_label(name))


def better_direction(name: str) -> int:
    """+1 if more of the outcome is better, -1 if less is (stigma, cost, missed hours)."""
    from inclusion_sim.model.outcomes import METRICS

    meta = METRICS.get(name)
    return -1 if meta is not None and meta.better == "lower" else 1


def number_text(value: float) -> str:
    """A box limit with three significant digits, no trailing zeros (``1.2``, ``0.0041``)."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    digits = max(0, 2 - int(math.floor(math.log10(abs(value)))))
    return f"{round(value, digits):.{digits}f}".rstrip("0").rstrip(".")


def load_libraries() -> tuple[Any, Any]:
    """Import PRIM and the tree, or say plainly how to install them.

    Returns:
        The modules ``ema_workbench.analysis.prim`` and ``sklearn.tree``.

    Raises:
        InputError: Naming the missing library and the extra that installs it.
    """
    try:
        with warnings.catch_warnings():
            # EMA Workbench warns about optional parallel back-ends it does not need here.
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
        from sklearn import tree
    except ImportError as err:
        raise InputError(Problem(
            "inclusion_sim.analysis.discovery",
            f"optional dependency '{(err.name or 'ema_workbench').split('.')[0]}'",
            "EMA Workbench and scikit-learn (pip install \"inclusion-sim[discovery]\")",
            "not installed")) from None
    return prim, tree


def library_versions() -> dict[str, str]:
    """Versions of the libraries that found the boxes, for the provenance record."""
    from importlib.metadata import PackageNotFoundError, version

    from inclusion_sim.base.version import __version__

    found = {"inclusion_sim": __version__}
    for name in ("ema_workbench", "scikit-learn"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


@dataclass(frozen=True)
class Composite:
    """A weighted sum of several outcomes' improvements, each in standard deviations.

    Attributes:
        weights: Outcome name -> weight (positive: counts towards "better").
    """

    weights: Mapping[str, float]

    @classmethod
    def parse(cls, text: str, known: Sequence[str], source: str = "command line",
              where: str = "--composite") -> Composite:
        """Read ``"iep_carryover=1, iep_stigma=0.5"``; every problem is located.

        Raises:
            InputError: For an unknown outcome, a weight that is not a number, or no weights.
        """
        weights, problems = {}, []
        for part in [p.strip() for p in text.split(",") if p.strip()]:
            name, sep, weight = part.partition("=")
            name = name.strip()
            if name not in known:
                problems.append(Problem(source, where, "an outcome name", f"'{name}'",
                                        nearest(name, known)))
                continue
            try:
                value = float(weight) if sep else 1.0
            except ValueError:
                problems.append(Problem(source, f"{where} ({name})", "a number after '='",
                                        f"'{weight.strip()}'"))
                continue
            if not math.isfinite(value) or value == 0:
                problems.append(Problem(source, f"{where} ({name})", "a non-zero weight",
                                        repr(value)))
                continue
            weights[name] = value
        if not weights and not problems:
            problems.append(Problem(source, where, "outcome=weight pairs, e.g. "
                                    "'iep_carryover=1,iep_stigma=0.5'", repr(text)))
        if problems:
            raise InputError(problems)
        return cls(weights)


@dataclass(frozen=True)
class Restriction:
    """One parameter's interval in a box.

    Attributes:
        name: The parameter (or knob) name.
        low: Lower limit, or None when the box keeps the sweep's lower bound.
        high: Upper limit, or None when the box keeps the sweep's upper bound.
        quasi_p: PRIM's quasi-p value of the restriction (one-sided binomial test, Bryant &
            Lempert 2010): small means the restriction matters; None from the tree.
    """

    name: str
    low: float | None
    high: float | None
    quasi_p: float | None = None

    def text(self, registry: Mapping[str, Any] | None = None) -> str:
        """``staffing (factor on therapists' minutes) ≥ 1.2`` and the like."""
        label = dimension_label(self.name, registry)
        if self.low is not None and self.high is not None:
            return f"{label} is between {number_text(self.low)} and {number_text(self.high)}"
        if self.low is not None:
            return f"{label} ≥ {number_text(self.low)}"
        return f"{label} ≤ {number_text(self.high)}"


@dataclass(frozen=True)
class Region:
    """A box in parameter space and how often A beats B inside it.

    Attributes:
        restrictions: The restricted parameters (empty: the whole sweep).
        pairs: Run pairs inside the box.
        wins: Pairs inside the box where A beats B.
        density: ``wins / pairs``.
        coverage: Share of all winning pairs that fall inside the box.
    """

    restrictions: tuple[Restriction, ...]
    pairs: int
    wins: int
    density: float
    coverage: float

    def where_text(self, registry: Mapping[str, Any] | None = None) -> str:
        """The box's conditions joined with "and"."""
        return _joined([r.text(registry) for r in self.restrictions])


def _joined(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass
class Discovery:
    """Where policy A beats policy B: the data, PRIM's trajectory and box, and the tree.

    Attributes:
        winner: Policy A.
        loser: Policy B.
        target: What "beats" is about: an outcome name, or ``"composite"``.
        composite: The composite's weights and scales, when ``target`` is ``"composite"``.
        pairs: One row per run pair: point, replicate, parameter values, ``difference`` (A - B,
            turned so that positive is better for A) and ``wins``.
        parameter_names: The sweep's varied parameters (PRIM's dimensions).
        trajectory: PRIM's peeling (and pasting) trajectory: coverage, density, mass,
            ``res_dim`` (restricted dimensions), ``n`` pairs and ``k`` wins per step.
        boxes: The box at each step of the trajectory.
        chosen: Index of the box kept in the trajectory.
        min_coverage: The coverage the chosen box had to keep.
        reason: Why that box, in words.
        tree_leaves: The tree's leaves, purest first.
        tree_text: The tree printed with parameter names (scikit-learn's ``export_text``).
        provenance: The sweep's plan hash, library versions, settings and time.
    """

    winner: str
    loser: str
    target: str
    composite: dict[str, dict[str, float]] | None
    pairs: pd.DataFrame
    parameter_names: list[str]
    trajectory: pd.DataFrame
    boxes: list[Region]
    chosen: int
    min_coverage: float
    reason: str
    tree_leaves: list[Region]
    tree_text: str
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def box(self) -> Region:
        """The chosen PRIM box."""
        return self.boxes[self.chosen]

    @property
    def significant_box(self) -> Region:
        """The chosen box with only its significant restrictions (quasi-p <= `SIGNIFICANCE`).

        Peeling a few per cent off a parameter that does not matter raises density by chance;
        such restrictions have large quasi-p values. The box without them is recounted on the
        pairs, so its density and coverage are what a reader of the sentence gets.
        """
        kept = tuple(r for r in self.box.restrictions
                     if r.quasi_p is None or r.quasi_p <= SIGNIFICANCE)
        if len(kept) == len(self.box.restrictions):
            return self.box
        return region_of(self.pairs, kept)

    @property
    def base_rate(self) -> float:
        """Share of all run pairs where A beats B."""
        return float(self.pairs["wins"].mean()) if len(self.pairs) else math.nan

    def target_text(self) -> str:
        """The outcome (or the composite) in words."""
        if self.target != "composite":
            return outcome_label(self.target)
        return "the composite (" + " + ".join(
            f"{number_text(w['weight'])} x {'' if w['direction'] > 0 else 'lower '}"
            f"{outcome_label(name)}"
            for name, w in (self.composite or {}).items()) + ")"

    def sentences(self, registry: Mapping[str, Any] | None = None) -> list[str]:
        """The findings in plain words: overall, the PRIM box, the tree's leaf, the agreement."""
        a, b = policy_label(self.winner), policy_label(self.loser)
        first = capitalized(a)
        total, wins = len(self.pairs), int(self.pairs["wins"].sum())
        lines = [f"Across the whole sweep, {a} beats {b} on {self.target_text()} in "
                 f"{_percent(self.base_rate)} of {total} run pairs ({wins})."]
        box = self.significant_box
        dropped = [r for r in self.box.restrictions if r not in box.restrictions]
        if wins in (0, total):
            lines.append(f"{first} {'wins every' if wins else 'wins no'} run pair: there is no "
                         "region to find.")
        elif not box.restrictions:
            lines.append(f"PRIM finds no region where {a} wins more often than across the whole "
                         f"sweep while keeping {_percent(self.min_coverage)} of its wins"
                         + (" (every restriction it tried has a quasi-p above "
                            f"{SIGNIFICANCE:g})." if dropped else "."))
        else:
            lines.append(
                f"PRIM: {a} beats {b} on {self.target_text()} in {_percent(box.density)} of run "
                f"pairs where {box.where_text(registry)} ({box.wins} of {box.pairs}; this region "
                f"holds {_percent(box.coverage)} of all the pairs {a} wins).")
        if dropped and wins not in (0, total):
            lines.append(
                "PRIM's box also restricted " + _joined([r.text(registry) for r in dropped])
                + f" (quasi-p above {SIGNIFICANCE:g}, possibly noise; with them: density "
                f"{_percent(self.box.density)}, coverage {_percent(self.box.coverage)}).")
        if self.tree_leaves:
            leaf = self.tree_leaves[0]
            where = leaf.where_text(registry) if leaf.restrictions else "anywhere"
            lines.append(f"Cross-check (CART): its leaf with the most wins is where {where}: "
                         f"{a} wins in {_percent(leaf.density)} of {leaf.pairs} pairs "
                         f"(coverage {_percent(leaf.coverage)}).")
            shared = sorted({r.name for r in self.box.restrictions}
                            & {r.name for r in leaf.restrictions})
            if box.restrictions:
                if shared:
                    lines.append(f"{first} wins most where both PRIM and CART restrict " + " and ".join(
                        dimension_label(n, registry) for n in shared) + ".")
                else:
                    lines.append("PRIM and CART restrict different parameters: read the box as "
                                 "one description among several, not as the cause.")
        return lines

    def box_table(self, registry: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """The chosen box: each restricted parameter, its sweep range and its limits."""
        rows = []
        for r in self.box.restrictions:
            column = self.pairs[r.name]
            rows.append({"parameter": dimension_label(r.name, registry), "name": r.name,
                         "sweep_low": float(column.min()), "sweep_high": float(column.max()),
                         "box_low": r.low, "box_high": r.high, "quasi_p": r.quasi_p,
                         "significant": r.quasi_p is None or r.quasi_p <= SIGNIFICANCE})
        return pd.DataFrame(rows)


def region_of(pairs: pd.DataFrame, restrictions: Sequence[Restriction]) -> Region:
    """Count the pairs and wins inside a box given by its restrictions."""
    inside = np.ones(len(pairs), dtype=bool)
    for r in restrictions:
        column = pairs[r.name].to_numpy(dtype=float)
        if r.low is not None:
            inside &= column >= r.low
        if r.high is not None:
            inside &= column <= r.high
    wins = pairs["wins"].to_numpy(dtype=bool)
    n, k = int(inside.sum()), int(wins[inside].sum())
    return Region(tuple(restrictions), n, k, k / n if n else math.nan,
                  k / max(int(wins.sum()), 1))


def _percent(share: float) -> str:
    return "n/a" if share is None or not math.isfinite(share) else f"{100 * share:.0f}%"


def paired_outcomes(
    outcomes: pd.DataFrame,
    winner: str,
    loser: str,
    parameter_names: Sequence[str],
    outcome: str | None = None,
    composite: Composite | None = None,
) -> tuple[pd.DataFrame, dict[str, dict[str, float]] | None]:
    """One row per run pair: the parameter values and whether A beat B.

    Pairs are matched as the store matches them (same point, same replicate, hence the same
    seed); a pair with a failed run on either side is left out.

    Args:
        outcomes: The store's outcomes table (`SweepResults.outcomes`).
        winner: Policy A.
        loser: Policy B.
        parameter_names: The varied parameters.
        outcome: The outcome A should be better on; or
        composite: Several outcomes with weights.

    Returns:
        The pairs, sorted by point and replicate, and the composite's weights and scales
        (None for a single outcome).
    """
    keys = ["point", "replicate"]
    a = outcomes[outcomes["policy"] == winner].set_index(keys)
    b = outcomes[outcomes["policy"] == loser].set_index(keys)
    index = a.index.intersection(b.index).sort_values()
    pairs = a.loc[index, list(parameter_names)].reset_index()
    details = None
    if composite is None:
        diff = (a.loc[index, outcome] - b.loc[index, outcome]).to_numpy(dtype=float)
        pairs["difference"] = better_direction(outcome) * diff
    else:
        details, score = {}, np.zeros(len(index))
        both = outcomes[outcomes["policy"].isin([winner, loser])]
        for name, weight in composite.weights.items():
            scale = float(both[name].std(ddof=1))
            if not scale > 0:
                scale = 1.0
            diff = (a.loc[index, name] - b.loc[index, name]).to_numpy(dtype=float)
            score += weight * better_direction(name) * diff / scale
            details[name] = {"weight": float(weight), "scale": scale,
                             "direction": float(better_direction(name))}
        pairs["difference"] = score
    pairs = pairs[np.isfinite(pairs["difference"])].reset_index(drop=True)
    pairs["wins"] = pairs["difference"] > 0
    return pairs, details


def _restrictions(limits: pd.DataFrame, initial: pd.DataFrame,
                  quasi_p: Mapping[str, Sequence[float]] | None = None) -> tuple[Restriction, ...]:
    """The parameters a box restricts, compared with the box around the whole sweep."""
    found = []
    for name in limits.columns:
        low, high = float(limits.loc[0, name]), float(limits.loc[1, name])
        low0, high0 = float(initial.loc[0, name]), float(initial.loc[1, name])
        cut_low, cut_high = low > low0, high < high0
        if not (cut_low or cut_high):
            continue
        qp = None
        if quasi_p and name in quasi_p:
            values = [v for v in quasi_p[name] if v is not None and v >= 0]
            qp = float(min(values)) if values else None
        found.append(Restriction(name, low if cut_low else None, high if cut_high else None, qp))
    return tuple(found)


def choose_box(trajectory: pd.DataFrame, min_coverage: float) -> tuple[int, str]:
    """The densest box with coverage at least ``min_coverage``; ties: fewer restrictions.

    Returns:
        The box's index in the trajectory and the reason in words.
    """
    eligible = trajectory[trajectory["coverage"] >= min_coverage - 1e-12]
    if eligible.empty:
        eligible = trajectory.iloc[:1]
    ordered = eligible.assign(_order=-eligible["density"].round(12)).sort_values(
        ["_order", "res_dim", "coverage"], ascending=[True, True, False], kind="stable")
    chosen = int(ordered.index[0])
    row = trajectory.loc[chosen]
    reason = (f"the densest box on the peeling trajectory whose coverage is at least "
              f"{_percent(min_coverage)} (step {chosen} of {len(trajectory) - 1}: density "
              f"{_percent(row['density'])}, coverage {_percent(row['coverage'])}, "
              f"{int(row['res_dim'])} restricted parameters)")
    return chosen, reason


def run_prim(pairs: pd.DataFrame, parameter_names: Sequence[str], *,
             peel_alpha: float = 0.05, mass_min: float = 0.05
             ) -> tuple[pd.DataFrame, list[Region]]:
    """PRIM's peeling trajectory over the pairs, with each step's box.

    Wins are coded 1 and losses 0. EMA Workbench counts a pair "of interest" when its value is
    at least the threshold, and returns an empty "dump box" when the last peeled box's mean
    falls below it; a threshold just above zero therefore counts exactly the wins and keeps
    the full trajectory whenever the last box holds a win. The box is chosen afterwards by
    `choose_box`, by a stated rule rather than by PRIM's stopping point.
    """
    prim, _ = load_libraries()
    x = pairs[list(parameter_names)].astype(float).reset_index(drop=True)
    y = pairs["wins"].to_numpy(dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        finder = prim.Prim(x, y, threshold=WIN_THRESHOLD, peel_alpha=peel_alpha, mass_min=mass_min)
        found = finder.find_box()
    trajectory = found.peeling_trajectory[["coverage", "density", "mass", "res_dim", "n", "k"]]
    trajectory = trajectory.astype({"res_dim": int, "n": int, "k": int}).reset_index(drop=True)
    initial = finder.box_init
    regions = []
    for i, limits in enumerate(found.box_lims):
        row = trajectory.loc[i]
        regions.append(Region(_restrictions(limits, initial, found.qp[i]), int(row["n"]),
                              int(row["k"]), float(row["density"]), float(row["coverage"])))
    return trajectory, regions


def run_tree(pairs: pd.DataFrame, parameter_names: Sequence[str], *,
             depth: int = TREE_DEPTH) -> tuple[list[Region], str]:
    """A shallow CART tree (scikit-learn) of where A wins; its leaves, purest first.

    Leaves hold at least 5% of the pairs (and at least 5), so a leaf is a region, not a point.
    """
    _, tree = load_libraries()
    x = pairs[list(parameter_names)].to_numpy(dtype=float)
    y = pairs["wins"].to_numpy(dtype=int)
    total_wins = max(int(y.sum()), 1)
    leaf_size = max(5, int(math.ceil(0.05 * len(y))))
    model = tree.DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf_size,
                                        random_state=0)
    model.fit(x, y)
    structure = model.tree_
    bounds = {name: (float(np.min(x[:, j])), float(np.max(x[:, j])))
              for j, name in enumerate(parameter_names)}
    leaves = []

    def walk(node: int, limits: dict[str, tuple[float, float]]) -> None:
        left, right = structure.children_left[node], structure.children_right[node]
        if left == right:  # a leaf
            inside = np.ones(len(y), dtype=bool)
            for j, name in enumerate(parameter_names):
                low, high = limits[name]
                inside &= (x[:, j] > low) if low > bounds[name][0] else (x[:, j] >= low)
                inside &= x[:, j] <= high
            n, k = int(inside.sum()), int(y[inside].sum())
            restrictions = tuple(
                Restriction(name, low if low > bounds[name][0] else None,
                            high if high < bounds[name][1] else None)
                for name, (low, high) in limits.items()
                if low > bounds[name][0] or high < bounds[name][1])
            leaves.append(Region(restrictions, n, k, k / n if n else math.nan, k / total_wins))
            return
        name = parameter_names[structure.feature[node]]
        cut = float(structure.threshold[node])
        low, high = limits[name]
        walk(left, {**limits, name: (low, min(high, cut))})
        walk(right, {**limits, name: (max(low, cut), high)})

    walk(0, dict(bounds))
    leaves.sort(key=lambda r: (-r.density, -r.pairs))
    text = tree.export_text(model, feature_names=list(parameter_names), decimals=3)
    return leaves, text


def discover_pairs(
    pairs: pd.DataFrame,
    parameter_names: Sequence[str],
    winner: str,
    loser: str,
    target: str,
    *,
    composite: dict[str, dict[str, float]] | None = None,
    min_coverage: float = MIN_COVERAGE,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
    tree_depth: int = TREE_DEPTH,
    provenance: Mapping[str, Any] | None = None,
) -> Discovery:
    """PRIM and CART over prepared run pairs (`paired_outcomes`), without a store.

    Useful for a table built in a notebook; `discover` reads a sweep directory.
    """
    wins, n = int(pairs["wins"].sum()), len(pairs)
    if 0 < wins < n:
        trajectory, boxes = run_prim(pairs, parameter_names, peel_alpha=peel_alpha,
                                     mass_min=mass_min)
        chosen, reason = choose_box(trajectory, min_coverage)
        leaves, text = run_tree(pairs, parameter_names, depth=tree_depth)
    else:  # A wins every pair or none: there is no region to find, and PRIM refuses such data
        trajectory = pd.DataFrame([{"coverage": 1.0 if wins else math.nan,
                                    "density": wins / n if n else math.nan, "mass": 1.0,
                                    "res_dim": 0, "n": n, "k": wins}])
        boxes = [Region((), n, wins, wins / n if n else math.nan, 1.0 if wins else math.nan)]
        chosen, leaves, text = 0, [], ""
        reason = ("the whole sweep: " + ("every" if wins else "no") + " run pair is a win, "
                  "so there is no region to find")
    record = {"min_coverage": min_coverage, "peel_alpha": peel_alpha, "mass_min": mass_min,
              "tree_depth": tree_depth, "libraries": library_versions(),
              "analysed_at": datetime.now(UTC).isoformat(timespec="seconds"),
              **(provenance or {})}
    return Discovery(winner, loser, target, composite, pairs, list(parameter_names), trajectory,
                     boxes, chosen, min_coverage, reason, leaves, text, record)


def check_finished(results, source: str) -> None:
    """Refuse an unfinished sweep: its pairs would cover only part of the design.

    Raises:
        InputError: Saying how many runs are missing and how to finish them.
    """
    counts = results.counts()
    done = counts["ok"] + counts["failed"]
    if counts["planned"] and done < counts["planned"]:
        spec = results.meta.get("spec", {}).get("source", "SPEC")
        raise InputError(Problem(
            source, "runs", f"a finished sweep ({counts['planned']:,} runs)",
            f"{done:,} of {counts['planned']:,} runs finished",
            f"finish it first: inclusion-sim sweep {spec} --out {source}"))


def check_request(results, source: str, policies: Sequence[str], outcome: str | None,
                  composite: str | Composite | None) -> Composite | None:
    """Check the policies and the outcome against the sweep, every problem located.

    Returns:
        The parsed composite, if one was given.
    """
    problems = []
    known_policies = results.policies
    if len(policies) != 2 or len(set(policies)) != 2:
        problems.append(Problem("command line", "--policies", "two different policies of the "
                                "sweep, A then B (" + ", ".join(known_policies) + ")",
                                " ".join(policies) or "none"))
    for name in policies:
        if name not in known_policies:
            problems.append(Problem("command line", "--policies",
                                    "a policy of the sweep (" + ", ".join(known_policies) + ")",
                                    f"'{name}'", nearest(name, known_policies)))
    metrics = results.metrics()
    if (outcome is None) == (composite is None):
        problems.append(Problem("command line", "--outcome", "either an outcome or a "
                                "--composite (not both)",
                                "both" if outcome else "neither"))
    if outcome is not None and outcome not in metrics:
        problems.append(Problem("command line", "--outcome", "an outcome of the sweep",
                                f"'{outcome}'", nearest(outcome, metrics)))
    parsed = None
    if isinstance(composite, str):
        try:
            parsed = Composite.parse(composite, metrics)
        except InputError as err:
            problems.extend(err.problems)
    elif isinstance(composite, Composite):
        parsed = composite
    if not results.parameter_names:
        problems.append(Problem(source, "[parameters]", "a sweep that varies at least one "
                                "parameter", "none varied"))
    if problems:
        raise InputError(problems)
    return parsed


def discover(
    source: str | Path,
    policies: Sequence[str],
    outcome: str | None = None,
    *,
    composite: str | Composite | None = None,
    min_coverage: float = MIN_COVERAGE,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
    tree_depth: int = TREE_DEPTH,
) -> Discovery:
    """Find where policy A beats policy B in a finished sweep.

    Args:
        source: The sweep directory.
        policies: ``(A, B)``.
        outcome: The outcome A should be better on (its better direction is the metric's).
        composite: Or several outcomes with weights, ``"iep_carryover=1,iep_stigma=0.5"``.
        min_coverage: Coverage the chosen PRIM box must keep.
        peel_alpha: Share of pairs PRIM peels at each step.
        mass_min: Smallest share of pairs a box may hold.
        tree_depth: Depth of the cross-check tree.

    Returns:
        The discovery, with `Discovery.sentences` for people.

    Raises:
        InputError: An unfinished sweep, unknown policies or outcome, a design with unset
            parameters, or the optional libraries missing; each located.
    """
    from inclusion_sim.experiments.results import open_results

    load_libraries()
    source = str(source)
    with open_results(source) as results:
        check_finished(results, source)
        parsed = check_request(results, source, policies, outcome, composite)
        outcomes = results.outcomes()
        names = results.parameter_names
        meta = results.meta
    if outcomes[names].isna().any().any():
        raise InputError(Problem(source, "[design] method", "a design that sets every varied "
                                 "parameter at every point (grid, lhs, sobol, morris)",
                                 meta.get("spec", {}).get("design", {}).get("method", "?")))
    winner, loser = policies
    pairs, details = paired_outcomes(outcomes, winner, loser, names, outcome, parsed)
    if pairs.empty:
        raise InputError(Problem(source, "outcomes", f"run pairs of {winner} and {loser}",
                                 "no pair where both runs succeeded"))
    provenance = {"sweep": source, "plan_hash": meta.get("plan_hash"),
                  "sweep_name": meta.get("spec", {}).get("name"), "pairs": len(pairs)}
    return discover_pairs(pairs, names, winner, loser, "composite" if parsed else outcome,
                          composite=details, min_coverage=min_coverage, peel_alpha=peel_alpha,
                          mass_min=mass_min, tree_depth=tree_depth, provenance=provenance)
