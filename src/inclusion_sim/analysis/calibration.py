"""Pattern-oriented calibration: keep the parameter sets that reproduce F1-F6 together.

Most of the model's parameters are estimates (``status = "estimate"`` in `docs/parameters.md`),
so a conclusion drawn at the defaults is only as good as the defaults. Pattern-oriented modelling
(Grimm et al. 2005, *Science* 310:987) asks instead which parameter sets reproduce several
independent reference patterns *at once*, keeps them as the accepted set, and reports every
conclusion across that set.

The patterns are the reference findings of `docs/literature.md`, section C, scored as orderings
and bounds on a sweep point's outcomes (mean over its replicates, which share seeds across
policies), never as tuned numbers:

* **F1** co-taught push-in > push-in alongside the lesson >= pull-out on carry-over, and
  classmates gain more from either push-in than from pull-out;
* **F2** teachers who only watch rarely use the strategies (at most 10% with push-in alongside
  the lesson), and co-teaching gives more use than watching;
* **F3** the classmates' gain from a second adult stays within |d| <= 0.15 a year under every
  policy;
* **F4** co-taught push-in lifts the whole class more than pull-out does (classmates' gain from
  the delivery model positive and above pull-out's), and the weakest classmates most (the
  weakest quarter of each class gains more than the class's classmates on average,
  ``peer_spillover_weakest_sd`` against ``peer_spillover_sd``). The delayed benefit (fluency
  differed only at a follow-up six months later) is not scored: a run ends with the school
  year;
* **F5** equal learning in the session (goal mastery of push-in and pull-out within 0.05 on the
  0-1 scale) and more generalization in class (push-in's carry-over ÷ mastery above pull-out's);
* **F6** no model dominates: no policy is at least as good as every other on carry-over,
  mastery, mandated minutes delivered, core instruction missed, stigma and cost, and better on
  one. (Marston's "a combination can win" is something the model *may* show, not a pattern a
  credible model must; `docs/validation.md` records that it does not at the defaults.)

A pattern whose policies are missing from the sweep is "not scored" and does not decide
acceptance; the report says so. The patterns are data (`Pattern`), so a study can state its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inclusion_sim import present
from inclusion_sim.analysis.discovery import (
    better_direction,
    check_finished,
    outcome_label,
    policy_label,
)
from inclusion_sim.base.errors import InputError, Problem, nearest

#: Bound on "rarely adopts" for teachers who only watch (F2): Joyce & Showers' observe-only 0%,
#: with room for the model's consultation (a stated bound, not a fit).
WATCHING_USE_MAX = 0.10

#: F3's bound on classmates' yearly gain from the delivery model, in SD.
SPILLOVER_MAX_SD = 0.15

#: F5's "equal learning in the session": largest mastery gap on the 0-1 scale.
EQUAL_MASTERY_GAP = 0.05

#: F6's outcomes (each in its better direction) for "no model dominates".
DOMINANCE_OUTCOMES = ("iep_carryover", "iep_mastery", "mandate_compliance",
                      "iep_core_hours_missed", "iep_stigma", "cost_usd")

#: The comparisons reported across the accepted set by default: (A, B, outcome).
DEFAULT_COMPARISONS = (
    ("push_in_collaborative", "pull_out", "iep_carryover"),
    ("push_in", "pull_out", "iep_carryover"),
    ("hybrid", "pull_out", "iep_carryover"),
    ("push_in_collaborative", "pull_out", "iep_mastery"),
    ("push_in_collaborative", "pull_out", "iep_stigma"),
    ("push_in", "pull_out", "iep_core_hours_missed"),
)


@dataclass(frozen=True)
class Pattern:
    """A reference pattern scored on one sweep point.

    Attributes:
        code: Short name, e.g. ``F1``.
        statement: The pattern as checked, in words (with its bounds).
        policies: Policies the check needs; missing ones make it "not scored".
        outcomes: Outcomes the check needs.
        check: Function of a table of point means (index policy, columns outcomes) giving
            True (reproduced) or False; None for a pattern the store cannot score.
    """

    code: str
    statement: str
    policies: tuple[str, ...]
    outcomes: tuple[str, ...]
    check: Callable[[pd.DataFrame], bool] | None


def _f1(m: pd.DataFrame) -> bool:
    carry, peers = m["iep_carryover"], m["peer_spillover_sd"]
    return bool(carry["push_in_collaborative"] > carry["push_in"] >= carry["pull_out"]
                and peers["push_in_collaborative"] > peers["pull_out"]
                and peers["push_in"] > peers["pull_out"])


def _f2(m: pd.DataFrame) -> bool:
    use = m["teacher_strategy_use"]
    return bool(use["push_in"] <= WATCHING_USE_MAX and use["push_in_collaborative"] > use["push_in"])


def _f3(m: pd.DataFrame) -> bool:
    return bool((m["peer_spillover_sd"].abs() <= SPILLOVER_MAX_SD).all())


def _f4(m: pd.DataFrame) -> bool:
    peers, weakest = m["peer_spillover_sd"], m["peer_spillover_weakest_sd"]
    co = "push_in_collaborative"
    return bool(peers[co] > 0 and peers[co] > peers["pull_out"] and weakest[co] > peers[co])


def _f5(m: pd.DataFrame) -> bool:
    mastery, general = m["iep_mastery"], m["iep_generalization"]
    return bool(abs(mastery["push_in"] - mastery["pull_out"]) <= EQUAL_MASTERY_GAP
                and general["push_in"] > general["pull_out"])


def _f6(m: pd.DataFrame) -> bool:
    better = m[list(DOMINANCE_OUTCOMES)] * [better_direction(o) for o in DOMINANCE_OUTCOMES]
    for policy in better.index:
        others = better.drop(index=policy)
        if len(others) and ((better.loc[policy] >= others).all(axis=1)
                            & (better.loc[policy] > others).any(axis=1)).all():
            return False
    return True


#: The reference findings F1-F6 of docs/literature.md as scored patterns.
REFERENCE_PATTERNS: tuple[Pattern, ...] = (
    Pattern("F1", "carry-over: co-taught push-in > push-in alongside the lesson >= pull-out; "
            "classmates gain more under both push-in policies than under pull-out",
            ("pull_out", "push_in", "push_in_collaborative"),
            ("iep_carryover", "peer_spillover_sd"), _f1),
    Pattern("F2", f"teachers' strategy use at most {WATCHING_USE_MAX:g} with push-in alongside the "
            "lesson (watching), and higher with co-taught push-in",
            ("push_in", "push_in_collaborative"), ("teacher_strategy_use",), _f2),
    Pattern("F3", f"classmates' gain from the delivery model within ±{SPILLOVER_MAX_SD:g} SD a "
            "year under every policy", (), ("peer_spillover_sd",), _f3),
    Pattern("F4", "co-taught push-in: classmates gain more than under pull-out, and the weakest "
            "quarter of each class more than its classmates on average (the delayed benefit "
            "is not scored: a run ends with the year)", ("pull_out", "push_in_collaborative"),
            ("peer_spillover_sd", "peer_spillover_weakest_sd"), _f4),
    Pattern("F5", f"goal mastery of push-in and pull-out within {EQUAL_MASTERY_GAP:g}, and more "
            "generalization (carry-over ÷ mastery) with push-in", ("pull_out", "push_in"),
            ("iep_mastery", "iep_generalization"), _f5),
    Pattern("F6", "no policy at least as good as every other on carry-over, mastery, mandated "
            "minutes delivered, core instruction missed, stigma and cost, and better on one",
            (), DOMINANCE_OUTCOMES, _f6),
)


@dataclass
class Calibration:
    """The accepted parameter sets of a sweep and the policy comparisons across them.

    Attributes:
        points: One row per design point: parameter values, one True/False column per scored
            pattern, ``accepted`` and ``replicates`` (pairs behind the point's means).
        patterns: The patterns, scored or not.
        scored: Codes of the patterns that decided acceptance.
        parameter_names: The sweep's varied parameters.
        means: Point means: one row per (point, policy), outcome columns.
        provenance: The sweep's plan hash, the patterns' statements and bounds, the time.
    """

    points: pd.DataFrame
    patterns: tuple[Pattern, ...]
    scored: list[str]
    parameter_names: list[str]
    means: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> pd.DataFrame:
        """The accepted parameter sets."""
        return self.points[self.points["accepted"]]

    @property
    def share_accepted(self) -> float:
        """Share of design points that reproduce every scored pattern."""
        return float(self.points["accepted"].mean()) if len(self.points) else math.nan

    def pattern_table(self) -> pd.DataFrame:
        """Each pattern, whether it was scored, and the share of points reproducing it."""
        rows = []
        for p in self.patterns:
            share = float(self.points[p.code].mean()) if p.code in self.scored else math.nan
            rows.append({"pattern": p.code, "statement": p.statement,
                         "scored": p.code in self.scored, "share_reproduced": share})
        return pd.DataFrame(rows)

    def compare(self, winner: str, loser: str, outcome: str,
                accepted_only: bool = True) -> dict[str, Any]:
        """How often A beats B on an outcome across the (accepted) points, and by how much.

        A point's difference is the mean over its replicates of the paired difference, turned so
        that positive means better for A.
        """
        chosen = self.accepted if accepted_only else self.points
        table = self.means.set_index(["point", "policy"])[outcome].unstack("policy")
        table = table.reindex(chosen["point"])
        diff = better_direction(outcome) * (table[winner] - table[loser])
        diff = diff[np.isfinite(diff)]
        return {"winner": winner, "loser": loser, "outcome": outcome, "points": len(diff),
                "share_better": float((diff > 0).mean()) if len(diff) else math.nan,
                "median_difference": float(np.median(diff)) if len(diff) else math.nan,
                "q10": float(np.quantile(diff, 0.1)) if len(diff) else math.nan,
                "q90": float(np.quantile(diff, 0.9)) if len(diff) else math.nan}

    def comparisons(self, requests: Sequence[tuple[str, str, str]] = DEFAULT_COMPARISONS
                    ) -> pd.DataFrame:
        """`compare` for each request whose policies and outcome the sweep has, accepted and all."""
        policies = set(self.means["policy"])
        rows = []
        for winner, loser, outcome in requests:
            if {winner, loser} <= policies and outcome in self.means.columns:
                accepted = self.compare(winner, loser, outcome)
                everywhere = self.compare(winner, loser, outcome, accepted_only=False)
                rows.append({**accepted, "share_better_all_points": everywhere["share_better"],
                             "median_difference_all_points": everywhere["median_difference"]})
        return pd.DataFrame(rows)

    def accepted_region(self, min_coverage: float = 0.5):
        """Where the accepted sets lie: PRIM over the parameter sets, "accepted" as the win.

        Returns:
            The `inclusion_sim.analysis.discovery.Discovery` (its `significant_box` is the
            region), or None when every set or none is accepted, or the optional extra
            ``discovery`` is not installed.
        """
        from inclusion_sim.analysis.discovery import discover_pairs

        kept = int(self.points["accepted"].sum())
        if kept in (0, len(self.points)) or not self.parameter_names:
            return None
        pairs = self.points[["point", *self.parameter_names]].copy()
        pairs["replicate"] = 0
        pairs["wins"] = self.points["accepted"].to_numpy(dtype=bool)
        pairs["difference"] = np.where(pairs["wins"], 1.0, -1.0)
        try:
            return discover_pairs(pairs, self.parameter_names, "accepted", "rejected",
                                  "F1-F6", min_coverage=min_coverage)
        except InputError:
            return None

    def region_sentence(self, found) -> str | None:
        """The accepted region in words, from `accepted_region`."""
        if found is None:
            return None
        box = found.significant_box
        if not box.restrictions:
            return ("PRIM finds no region of the varied parameters where the accepted sets "
                    "gather: they are spread across the design.")
        return (f"The accepted sets gather where {box.where_text()}: {_percent(box.density)} of "
                f"the {box.pairs} sets there reproduce {', '.join(self.scored)} (against "
                f"{_percent(self.share_accepted)} overall), and they hold "
                f"{_percent(box.coverage)} of all accepted sets (PRIM; restrictions with "
                "quasi-p <= 0.05).")

    def sentences(self, requests: Sequence[tuple[str, str, str]] = DEFAULT_COMPARISONS
                  ) -> list[str]:
        """The calibration and the comparisons across the accepted set, in plain words.

        Differences are rounded and worded by the presentation layer (`inclusion_sim.present`):
        0-1 scales out of 100, money in round dollars, the outcome's unit once.

        Args:
            requests: The comparisons, (A, B, outcome).
        """
        codes = ", ".join(self.scored)
        total, kept = len(self.points), int(self.points["accepted"].sum())
        lines = [f"{kept} of {total} parameter sets ({_percent(self.share_accepted)}) reproduce "
                 f"{codes} together."]
        not_scored = [p.code for p in self.patterns if p.code not in self.scored]
        if not_scored:
            lines.append("Not scored: " + ", ".join(not_scored) + " (see the pattern table).")
        for p in self.patterns:
            if p.code in self.scored:
                lines.append(f"{p.code} alone: {_percent(float(self.points[p.code].mean()))} of "
                             "the parameter sets.")
        region = self.region_sentence(self.accepted_region())
        if region:
            lines.append(region)
        if not kept:
            lines.append("No parameter set reproduces every scored pattern, so nothing can be "
                         "said across the accepted set.")
            return lines
        for row in self.comparisons(requests).itertuples():
            sign = better_direction(row.outcome)  # back from "better" to the outcome's scale
            low, high = sorted((sign * row.q10, sign * row.q90))

            def say(value: float, unit: bool = False, outcome: str = row.outcome) -> str:
                return present.value_text(outcome, value, signed=True, unit=unit)

            lines.append(
                f"In {_percent(row.share_better)} of the {row.points} parameter sets that "
                f"reproduce {codes}, {policy_label(row.winner)} beats {policy_label(row.loser)} "
                f"on {outcome_label(row.outcome)}; median difference "
                f"{say(sign * row.median_difference, unit=True)} (10-90%: "
                f"{say(low)} to {say(high)}; "
                f"{'higher' if sign > 0 else 'lower'} is better); across all {total} sets: "
                f"{_percent(row.share_better_all_points)}.")
        return lines


def _percent(share: float) -> str:
    return "n/a" if share is None or not math.isfinite(share) else f"{100 * share:.0f}%"


def point_means(outcomes: pd.DataFrame, parameter_names: Sequence[str]) -> pd.DataFrame:
    """Mean of every outcome per (point, policy) over the replicates where all policies ran.

    Only replicates in which every policy of the point succeeded are used, so each policy's
    mean rests on the same seeds (the pairing the store guarantees).
    """
    policies = outcomes["policy"].nunique()
    complete = outcomes.groupby(["point", "replicate"])["policy"].transform("nunique") == policies
    kept = outcomes[complete]
    skip = {"run_id", "chunk", "point", "policy", "replicate", "seed", *parameter_names}
    metrics = [c for c in kept.columns
               if c not in skip and pd.api.types.is_numeric_dtype(kept[c])]
    means = kept.groupby(["point", "policy"], sort=True)[metrics].mean().reset_index()
    counts = kept.groupby("point")["replicate"].nunique().rename("replicates")
    return means.merge(counts, on="point")


def score_points(means: pd.DataFrame, outcomes: pd.DataFrame, parameter_names: Sequence[str],
                 patterns: Sequence[Pattern]) -> tuple[pd.DataFrame, list[str]]:
    """Score every pattern at every point; accepted = every scored pattern reproduced.

    Returns:
        The points table and the codes of the scored patterns.
    """
    policies = set(means["policy"])
    scored = [p for p in patterns if p.check is not None and set(p.policies) <= policies
              and set(p.outcomes) <= set(means.columns)]
    values = (outcomes.drop_duplicates("point").set_index("point")[list(parameter_names)])
    rows = []
    for point, table in means.groupby("point", sort=True):
        frame = table.set_index("policy")
        row = {"point": int(point), **values.loc[point].to_dict(),
               "replicates": int(frame["replicates"].iloc[0])}
        for p in scored:
            row[p.code] = p.check(frame)
        row["accepted"] = all(row[p.code] for p in scored) if scored else False
        rows.append(row)
    return pd.DataFrame(rows), [p.code for p in scored]


def calibrate_outcomes(outcomes: pd.DataFrame, parameter_names: Sequence[str],
                       patterns: Sequence[Pattern] = REFERENCE_PATTERNS,
                       provenance: Mapping[str, Any] | None = None) -> Calibration:
    """Score patterns on an outcomes table (`SweepResults.outcomes`), without a store."""
    means = point_means(outcomes, parameter_names)
    points, scored = score_points(means, outcomes, parameter_names, patterns)
    record = {"patterns": {p.code: p.statement for p in patterns},
              "bounds": {"watching_use_max": WATCHING_USE_MAX,
                         "spillover_max_sd": SPILLOVER_MAX_SD,
                         "equal_mastery_gap": EQUAL_MASTERY_GAP},
              "analysed_at": datetime.now(UTC).isoformat(timespec="seconds"),
              **(provenance or {})}
    return Calibration(points, tuple(patterns), scored, list(parameter_names), means, record)


def calibrate(source: str | Path, patterns: Sequence[Pattern] = REFERENCE_PATTERNS
              ) -> Calibration:
    """Score a finished sweep's parameter sets against the patterns.

    Args:
        source: The sweep directory (`scenarios/sweeps/discovery.toml` is one designed for this:
            a Latin hypercube over estimates, with the policies F1-F6 compare).
        patterns: The patterns; defaults to F1-F6.

    Raises:
        InputError: An unfinished sweep, or a sweep without a policy any pattern can score.
    """
    from inclusion_sim.experiments.results import open_results

    source = str(source)
    with open_results(source) as results:
        check_finished(results, source)
        outcomes = results.outcomes()
        names = results.parameter_names
        meta = results.meta
        policies = results.policies
    if outcomes.empty:
        raise InputError(Problem(source, "outcomes", "successful runs", "none"))
    calibration = calibrate_outcomes(outcomes, names, patterns,
                                     {"sweep": source, "plan_hash": meta.get("plan_hash"),
                                      "sweep_name": meta.get("spec", {}).get("name")})
    if not calibration.scored:
        needed = sorted({q for p in patterns for q in p.policies})
        raise InputError(Problem(source, "[sweep] policies", "the policies the patterns "
                                 "compare (" + ", ".join(needed) + ")", ", ".join(policies),
                                 nearest(policies[0], needed) if policies else ""))
    return calibration


__all__ = ["Calibration", "DEFAULT_COMPARISONS", "Pattern", "REFERENCE_PATTERNS", "calibrate",
           "calibrate_outcomes"]
