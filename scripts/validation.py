"""Check the reference findings F1-F6 (docs/literature.md) against the default parameters.

Runs the default school, and a well-staffed copy of it (three times the therapists) so that
setting effects can be told apart from staffing shortfalls, under every policy with paired
replicates. Prints the numbers behind docs/validation.md and writes docs/img/validation.png.

    python scripts/validation.py [--replicates 8]   # each replicate solves its own week: minutes, not seconds
    python scripts/validation.py --equal-dose       # plus the in-school policies at equal dose
    python scripts/validation.py --school-year      # only the school-year section (about a minute a run)

With --school-year it runs only the school-year section of docs/validation.md: the default school
for a year on seeds 1 and 2 with every disruption of the school year on, under pull-out, push-in,
the hybrid, pull-out with same-week make-ups and pull-out on the 3:1 cycle with its make-up week.

With --equal-dose the in-school policies are run once more at equal dose: each student's weekly
minutes of each service cut to the least any of them schedules, so what remains of a difference is
the setting's, not the timetable's. After-school is left out of that section: its two slots a day
would set every policy's dose. The section reports how equal the doses came out.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from inclusion_sim import load_scenario, run
from inclusion_sim.base.seeds import replicate_seed
from inclusion_sim.present import policy_label

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ["pull_out", "push_in", "push_in_collaborative", "hybrid_parallel", "hybrid",
            "after_school"]
IN_SCHOOL = [p for p in POLICIES if p != "after_school"]


def well_staffed(scenario):
    staff = [dict(s) for s in scenario.spec.model_dump()["staff"]]
    for s in staff:
        s["count"] *= 3
    return scenario.with_changes({"staff": staff})


def collect(scenario, replicates, parameters=None, policies=POLICIES, equal_dose=None):
    rows = []
    for k in range(replicates):
        seed = replicate_seed(scenario.seed, k)
        for policy in policies:
            r = run(scenario, seed=seed, policy=policy, parameters=parameters,
                    equal_dose=equal_dose)
            speech = r.services[r.services.service == "speech"]
            peers = r.students[~r.students.has_iep]
            weak = peers[peers.baseline_sd < -1].spillover_sd.mean()
            strong = peers[peers.baseline_sd > 0].spillover_sd.mean()
            rows.append({"policy": policy, "replicate": k, **r.summary,
                         "speech_carryover": speech.carryover.mean(),
                         "speech_mastery": speech.mastery.mean(),
                         "delivered_per_mandated": r.services.delivered_minutes.sum()
                         / r.services.mandated_minutes.sum(),
                         "scheduled_per_mandated": r.services.scheduled_minutes.sum()
                         / r.services.mandated_minutes.sum(),
                         "withheld_minutes_per_week":
                             r.meta.get("equal_dose_withheld_minutes_per_week", 0),
                         "dose": r.services.set_index(["student_id", "service"])
                         ["scheduled_minutes"] / r.meta["weeks"],
                         "spill_weak_over_strong": weak / strong if strong > 0 else np.nan})
    return pd.DataFrame(rows)


def year_policies():
    """The school-year section's policies: three presets, and pull-out with make-ups."""
    from dataclasses import replace

    from inclusion_sim import POLICY_PRESETS, Policy
    from inclusion_sim.school.world import SERVICES

    pull_out = POLICY_PRESETS["pull_out"]

    def changed(name, **changes):
        return Policy(name, {s: replace(pull_out.for_service(s), **changes) for s in SERVICES})

    return {"pull_out": "pull_out", "push_in": "push_in", "hybrid": "hybrid",
            "pull_out, same-week make-ups": changed("pull_out_same_week", makeup="same_week"),
            "pull_out, 3:1 with make-up week": changed("pull_out_3_1", cycle="three_one",
                                                        makeup="makeup_week")}


def school_year(scenario, seeds=(1, 2)) -> pd.DataFrame:
    """The school year with every disruption on: services received, sessions lost, make-ups."""
    from inclusion_sim import SchoolModel

    rows = []
    for seed in seeds:
        for name, policy in year_policies().items():
            model = SchoolModel.from_scenario(scenario, seed=seed, policy=policy,
                                              disruptions=True)
            r = model.run()
            year, st = r.year, model.state
            held = st.scheduled[model.iep].sum()
            per_session = sum(len(x.students) * x.minutes for x in model.schedule.sessions)
            sessions = sum(len(x.students) for x in model.schedule.sessions)
            # scheduled sessions of the year (3:1 weeks hold fewer): minutes / mean length
            scheduled_sessions = held / (per_session / sessions) if sessions else np.nan
            full = (year.groupby("student_id")
                    .apply(lambda g: (g.scheduled_minutes >= g.mandated_minutes - 1e-9).all(),
                           include_groups=False))
            rows.append({
                "policy": name, "seed": seed,
                "timetable_holds_every_minute": full.mean(),
                **{k: r.year_summary[k] for k in ("share_full_services",
                                                   "share_partial_services",
                                                   "share_no_services")},
                "lost_student_absent_share": year.sessions_lost_student_absent.sum()
                / scheduled_sessions,
                "lost_therapist_absent_share": year.sessions_lost_therapist_absent.sum()
                / scheduled_sessions,
                "cancelled_share_of_scheduled": year.cancelled_minutes.sum() / held,
                "delivered_per_mandated": year.delivered_minutes.sum()
                / year.mandated_minutes.sum(),
                "made_up_minutes_per_student": r.year_summary["made_up_minutes_per_iep_student"],
                "made_up_refused_share": year.made_up_refused_minutes.sum()
                / max(year.made_up_minutes.sum() + year.made_up_refused_minutes.sum(), 1e-9),
                "lesson_hours_absent": r.year_summary["iep_hours_absent"],
                "iep_academic_growth_sd": r.summary["iep_academic_growth_sd"],
            })
    return pd.DataFrame(rows)


def largest_dose_gap(table) -> float:
    """The largest difference between policies in one student's weekly minutes of a service."""
    gaps = [pd.concat(list(part["dose"]), axis=1).pipe(lambda d: (d.max(axis=1) - d.min(axis=1)).max())
            for _, part in table.groupby("replicate")]
    return float(max(gaps)) if gaps else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=8)
    parser.add_argument("--equal-dose", action="store_true",
                        help="also run the in-school policies at equal dose and print that section")
    parser.add_argument("--school-year", action="store_true",
                        help="only the school-year section (disruptions on, seeds 1 and 2)")
    args = parser.parse_args()
    base = load_scenario(ROOT / "scenarios" / "default_elementary.toml")
    if args.school_year:
        table = school_year(base)
        print("\n## The school year (default school, one year, seeds 1 and 2, every disruption "
              "on)\n")
        print(table.set_index(["policy", "seed"]).round(3).T.to_markdown())
        return
    tables = {"default staffing": collect(base, args.replicates),
              "well staffed": collect(well_staffed(base), args.replicates)}
    high = collect(well_staffed(base), max(2, args.replicates // 4),
                   {"spillover_sd_per_year": 0.15, "push_in_disruption": 0.0})
    columns = ["iep_carryover", "speech_carryover", "iep_mastery", "speech_mastery",
               "iep_academic_growth_sd", "peer_academic_growth_sd", "peer_spillover_sd",
               "spill_weak_over_strong", "teacher_strategy_use", "mandate_compliance",
               "iep_core_hours_missed", "iep_stigma", "cost_usd"]
    for name, table in tables.items():
        print(f"\n## {name} ({args.replicates} paired replicates; mean over replicates)\n")
        print(table.groupby("policy", sort=False)[columns].mean().round(3).T.to_markdown())
    print("\n## F3 at the top of the spill-over range (0.15 SD a year full-time, no disruption), "
          "well staffed\n")
    print(high.groupby("policy", sort=False)["peer_spillover_sd"].max().round(3).to_markdown())
    if args.equal_dose:
        equal = collect(base, args.replicates, policies=IN_SCHOOL, equal_dose=IN_SCHOOL)
        print(f"\n## default staffing, equal dose ({args.replicates} paired replicates; in-school "
              "policies)\n")
        print("Every policy gets, for each student and service, the least weekly minutes any of them "
              "schedules. Unmet minutes include the minutes withheld to equalize the dose; "
              "delivered ÷ mandated differs only by refusals and absences. Largest remaining "
              f"difference in one student's weekly minutes of a service: {largest_dose_gap(equal):g}."
              "\n")
        rows = ["scheduled_per_mandated", "withheld_minutes_per_week", *columns]
        print(equal.groupby("policy", sort=False)[rows].mean().round(3).T.to_markdown())
        default = tables["default staffing"]
        shift = (equal.groupby("policy", sort=False)[columns].mean()
                 - default[default.policy.isin(IN_SCHOOL)].groupby("policy", sort=False)[columns]
                 .mean())
        print("\nChange from each policy's own timetable to equal dose (mean over replicates):\n")
        print(shift.round(3).T.to_markdown())

    fig = Figure(figsize=(12, 7), constrained_layout=True)
    axes = fig.subplots(2, 3)
    panels = [("speech_carryover", "F1: speech carry-over"),
              ("teacher_strategy_use", "F2: teachers' strategy use"),
              ("peer_spillover_sd", "F3: spill-over to classmates (SD)"),
              ("spill_weak_over_strong", "F4: spill-over, weakest / above average"),
              ("speech_mastery", "F5: speech goal mastery"),
              ("iep_carryover", "F6: carry-over, all services")]
    width = 0.38
    ticks = [textwrap.fill(policy_label(p, short=True), 10) for p in POLICIES]
    for ax, (column, title) in zip(axes.flat, panels, strict=True):
        for j, (name, table) in enumerate(tables.items()):
            stats = table.groupby("policy", sort=False)[column].agg(["mean", "std"])
            x = np.arange(len(stats)) + (j - 0.5) * width
            ax.bar(x, stats["mean"], width, yerr=stats["std"], label=name, alpha=0.85,
                   color=("#7f9fbf", "#2c5d8a")[j], capsize=2)
        ax.set_xticks(np.arange(len(POLICIES)), ticks, fontsize=7)
        ax.set_title(title, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("Reference findings under the default parameters (mean ± SD across replicates)")
    out = ROOT / "docs" / "img" / "validation.png"
    fig.savefig(out, dpi=110)
    print(f"\nFigure written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
