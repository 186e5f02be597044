"""Model parameters: each with a unit, a default, a plausible range and a source.

Every number the mechanisms use is declared here once, next to where it came from, in the
spirit of Covasim's parameter file. ``status`` says how much to trust it:

* ``read`` — the value was read in the cited source;
* ``secondary`` — read in a source that cites the original;
* ``estimate`` — no measurement was found; the value is a judgement and belongs in
  sensitivity analysis.

Row numbers such as "lit. A7" point at the tables of `docs/literature.md`.
`docs/parameters.md` is generated from this file (``python -m inclusion_sim.params``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from inclusion_sim.base.errors import InputError, Problem, nearest


@dataclass(frozen=True)
class Param:
    """One documented model parameter.

    Attributes:
        name: Identifier used in scenario files, sweeps and code.
        default: Default value.
        unit: Unit of the value.
        low: Lowest plausible value (the sensitivity range).
        high: Highest plausible value.
        status: ``read``, ``secondary`` or ``estimate``.
        source: Where the default comes from.
        mechanism: The mechanism that uses it.
        doc: What the parameter means, in one or two sentences.
    """

    name: str
    default: float
    unit: str
    low: float
    high: float
    status: str
    source: str
    mechanism: str
    doc: str

    @property
    def label(self) -> str:
        """The parameter's plain-language name."""
        return LABELS[self.name]


_P = Param

_DEFINITIONS: tuple[Param, ...] = (
    # --- Sessions and locations -------------------------------------------------------------
    _P("transition_minutes", 5, "min each way", 2, 10, "estimate",
       "lit. B16: no measurement found; Haynes & Jenkins 1986 and Moody et al. 2000 describe "
       "little instruction around resource-room visits",
       "sessions",
       "Class time a pulled-out student loses walking to and from the therapy room and settling, "
       "each way, on top of the session."),
    _P("push_in_travel_minutes", 5, "min per session", 0, 15, "estimate",
       "no measurement found", "sessions",
       "Therapist time spent moving to a classroom and setting up for each pushed-in session."),
    _P("coplanning_minutes", 30, "min/week per teacher-therapist pair", 15, 45, "read",
       "lit. A14: CT SERC 2016 co-teaching survey", "sessions",
       "Co-planning time charged to both the therapist and the teacher for each pair that "
       "co-teaches (collaborative push-in) that week."),
    _P("after_school_slots", 2, "sessions per therapist per day", 0, 4, "estimate",
       "no measurement found", "sessions",
       "After-school sessions a therapist can hold each day they are on site."),
    # --- Resistance ------------------------------------------------------------------------
    _P("pull_out_refusal_rate", 0.10, "probability per session", 0.05, 0.20, "estimate",
       "lit. B19: no figure found", "resistance",
       "Chance that a student resists leaving class for a pulled-out session (at zero stigma, "
       "not missing a favourite activity)."),
    _P("push_in_refusal_rate", 0.03, "probability per session", 0.0, 0.20, "estimate",
       "no figure found; refusal to work with an adult in front of classmates", "resistance",
       "Chance that a student refuses to engage with a pushed-in therapist."),
    _P("after_school_refusal_rate", 0.05, "probability per session", 0.0, 0.15, "estimate",
       "no figure found", "resistance",
       "Chance that a student at an after-school session resists working."),
    _P("refusal_stigma_gain", 2.0, "relative increase per unit of stigma", 0.0, 4.0, "estimate",
       "lit. B18 (qualitative: preferences depend on grade and prior model)", "resistance",
       "How much felt stigma raises the chance of refusal: rate x (1 + gain x stigma)."),
    _P("refusal_favourite_gain", 1.0, "relative increase", 0.0, 2.0, "estimate",
       "no figure found", "resistance",
       "Extra relative risk of refusal when the session takes the student out of a favourite "
       "period (specials, lunch or recess)."),
    _P("refusal_wasted_fraction", 0.5, "fraction of session", 0.25, 1.0, "estimate",
       "no figure found", "resistance",
       "Share of a session lost to the power struggle when a student resists."),
    _P("after_school_attendance", 0.85, "probability per session", 0.6, 0.95, "estimate",
       "no figure found; the seed article's argument against after-school sessions", "resistance",
       "Chance that a student attends a scheduled after-school session."),
    # --- Therapy dose ----------------------------------------------------------------------
    _P("mastery_rate", 0.05, "per effective hour", 0.02, 0.10, "estimate",
       "no direct measurement; sets the time scale of goal mastery", "therapy",
       "Fractional progress toward goal mastery per effective hour of therapy (diminishing "
       "returns: the gain is rate x (1 - mastery))."),
    _P("carryover_rate", 0.03, "per effective hour", 0.01, 0.06, "estimate",
       "no direct measurement; carry-over lags mastery (lit. C F5)", "therapy",
       "Fractional progress of classroom use toward the mastered level per effective hour of "
       "practice."),
    _P("pull_out_focus", 1.0, "multiplier on minutes", 0.8, 1.0, "estimate",
       "reference setting", "therapy",
       "Efficacy per minute in a distraction-free therapy room (the reference)."),
    _P("push_in_focus", 0.9, "multiplier on minutes", 0.7, 1.0, "estimate",
       "anchored to lit. C F5 (equal learning in the session)", "therapy",
       "Efficacy per minute for goal mastery when working inside a busy classroom."),
    _P("after_school_focus", 0.8, "multiplier on minutes", 0.6, 1.0, "estimate",
       "no figure found (fatigue at the end of the day)", "therapy",
       "Efficacy per minute at the end of the school day."),
    _P("push_in_generalization", 1.5, "multiplier on carry-over", 1.0, 2.0, "estimate",
       "lit. B21, anchored to Wilcox, Kouri & Caswell 1991 (lit. C F5)", "therapy",
       "How much more practice in the real classroom task carries over to classroom use."),
    # --- Instruction and missed material -------------------------------------------------------
    _P("annual_growth_sd", 0.6, "SD per year", 0.3, 1.0, "secondary",
       "Hill, Bloom, Black & Lipsey 2008 annual-gain benchmarks (grades 1-5), as summarised in "
       "effect-size guides", "instruction",
       "Academic growth of a typical student over a year of core instruction."),
    _P("iep_growth_factor", 0.6, "multiplier", 0.4, 0.9, "estimate",
       "lit. A15: Deno, Fuchs, Marston & Shin 2001 (slower growth in special education)",
       "instruction",
       "Relative growth per core minute of a student with an IEP, before skill effects."),
    _P("skill_gap_drag", 0.5, "fraction of growth", 0.0, 0.8, "estimate",
       "no measurement found", "instruction",
       "How much progress in classroom skills speeds academic learning: growth x (1 + drag x "
       "the fall in the mean skill gap since the start of the year)."),
    _P("backlog_half_hours", 30.0, "hours of backlog", 10.0, 80.0, "estimate",
       "no measurement found", "instruction",
       "Hours of missed core material at which learning of new material is halved."),
    _P("push_in_lesson_share", 0.8, "fraction of the lesson", 0.5, 1.0, "estimate",
       "no measurement found", "instruction",
       "Share of a lesson's instruction a student still receives while working with a pushed-in "
       "therapist during it; the rest counts as missed."),
    _P("backlog_catchup", 0.20, "fraction per week", 0.05, 0.40, "estimate",
       "no measurement found", "instruction",
       "Share of the backlog of missed material a student recovers each week."),
    # --- Teacher practice and learning ----------------------------------------------------------
    _P("practice_minutes_per_lesson", 5.0, "min per relevant lesson", 0.0, 10.0, "estimate",
       "no measurement found", "teacher_practice",
       "Minutes of embedded practice a teacher who fully uses a strategy gives each student who "
       "needs it, in each relevant lesson."),
    _P("teacher_practice_efficacy", 0.5, "multiplier on minutes", 0.2, 1.0, "estimate",
       "no measurement found", "teacher_practice",
       "Efficacy of a teacher's embedded practice relative to a therapist's minute in class."),
    _P("observe_knowledge_gain", 0.04, "per observed session", 0.01, 0.10, "estimate",
       "lit. C F2 (demonstration: 30% know)", "teacher_learning",
       "Fractional gain in a teacher's knowledge of a strategy from each push-in session held in "
       "their room."),
    _P("adoption_parallel", 0.05, "share adopting per year", 0.0, 0.10, "estimate",
       "anchored to lit. B20 / C F2: Joyce & Showers 2002 report 0% use after demonstration "
       "and 5% after practice (shares of trained teachers, published as estimates); used here "
       "as an annual rate", "teacher_learning",
       "Annual rate at which known strategies enter classroom use when the therapist works in "
       "parallel (observation only)."),
    _P("adoption_collaborative", 0.95, "share adopting per year", 0.5, 0.95, "estimate",
       "anchored to lit. B20 / C F2: Joyce & Showers 2002 report 95% use after coaching (a "
       "share of trained teachers, published as an estimate); used here as an annual rate",
       "teacher_learning",
       "Annual rate at which known strategies enter classroom use with co-planning and co-teaching."),
    _P("strategy_fade", 0.02, "fraction per week", 0.0, 0.05, "estimate",
       "no measurement found", "teacher_learning",
       "Weekly loss of use of a strategy no therapist reinforced that week."),
    # --- Peer modeling ----------------------------------------------------------------------
    _P("peer_modeling_rate", 0.0005, "per hour in a relevant lesson", 0.0, 0.002, "estimate",
       "lit. B24: large single-case effects (Zhang & Wheeler 2011) are not comparable to d; "
       "kept small", "peer_modeling",
       "Carry-over gained per hour in a relevant lesson alongside skilled peers, at full belonging."),
    # --- Spill-over -------------------------------------------------------------------------
    _P("spillover_sd_per_hour", 0.0006, "SD per hour of a second adult", 0.0, 0.0009, "estimate",
       "anchored to lit. B22 (d +0.05 per year at a typical push-in load); bounded by F3",
       "spillover",
       "Academic gain to classmates without an IEP per hour a pushed-in therapist is in their "
       "core lesson (F3 bounds it for them; no figure exists for classmates with IEPs, who get "
       "none)."),
    _P("spillover_weakest_gain", 1.0, "relative increase per SD below average", 0.0, 2.0,
       "estimate", "lit. C F4 (weakest improve most; Case-Smith et al. 2014)", "spillover",
       "How much more spill-over reaches classmates who start below average."),
    _P("push_in_disruption", 0.02, "fraction of the lesson's learning", 0.0, 0.10, "estimate",
       "lit. C F3: peers' cognitive d = -0.14 (Kramer et al. 2021) shows costs are possible",
       "spillover",
       "Share of a lesson's learning classmates lose to a second adult working with a group in "
       "the room."),
    # --- Stigma and belonging ------------------------------------------------------------------
    _P("stigma_per_removal", 0.004, "per visible removal", 0.0, 0.02, "estimate",
       "lit. B17: placement effect on self-concept ~0 on average (Elbaum 2002; Kramer et al. 2021)",
       "stigma",
       "Rise in felt stigma each time a student is visibly taken out of class, as a share of "
       "the way from the current level to the maximum."),
    _P("stigma_per_push_in", 0.002, "per in-class session", 0.0, 0.01, "estimate",
       "no measurement found; support in front of peers is visible too", "stigma",
       "Rise in felt stigma for each session of visible support inside the classroom, as a "
       "share of the way from the current level to the maximum."),
    _P("stigma_grade_gain", 0.15, "relative increase per grade", 0.0, 0.4, "estimate",
       "lit. B18 (preferences depend on grade)", "stigma",
       "How much more older students feel each removal: x (1 + gain x grade)."),
    _P("stigma_fade", 0.10, "fraction per week", 0.02, 0.30, "estimate",
       "no measurement found", "stigma",
       "Share of felt stigma that fades each week."),
    _P("belonging_stigma_weight", 0.5, "fraction", 0.0, 1.0, "estimate",
       "no measurement found", "stigma",
       "How strongly felt stigma lowers belonging: belonging = base x (1 - weight x stigma)."),
    _P("engagement_belonging_weight", 0.5, "fraction", 0.0, 1.0, "estimate",
       "no measurement found", "stigma",
       "How strongly low belonging lowers engagement: engagement = 1 - weight x (1 - belonging)."),
    # --- Ledger and cost ------------------------------------------------------------------------
    _P("school_therapist_cost", 60.0, "USD per hour", 40.0, 90.0, "estimate",
       "no source adopted; replace with local salary data", "ledger",
       "Loaded hourly cost of a school-employed therapist."),
    _P("agency_therapist_cost", 90.0, "USD per hour", 60.0, 130.0, "estimate",
       "no source adopted; replace with the local agency rate", "ledger",
       "Hourly rate of an agency therapist."),
    _P("teacher_cost", 45.0, "USD per hour", 30.0, 70.0, "estimate",
       "no source adopted; replace with local salary data", "ledger",
       "Loaded hourly cost of a teacher's co-planning time."),
)

#: Every parameter, by name.
PARAMETERS: dict[str, Param] = {p.name: p for p in _DEFINITIONS}

#: Plain-language names, for people who read the dashboard and reports rather than code.
LABELS: dict[str, str] = {
    "transition_minutes": "Walk to and from the therapy room",
    "push_in_travel_minutes": "Therapist travel and set-up for a push-in session",
    "coplanning_minutes": "Co-planning time for a co-teaching pair",
    "after_school_slots": "After-school sessions a therapist can hold a day",
    "pull_out_refusal_rate": "Students refusing a pull-out session",
    "push_in_refusal_rate": "Students refusing to work with a pushed-in therapist",
    "after_school_refusal_rate": "Students resisting an after-school session",
    "refusal_stigma_gain": "How much stigma adds to refusals",
    "refusal_favourite_gain": "How much missing a favourite period adds to refusals",
    "refusal_wasted_fraction": "Share of a session lost when a student refuses",
    "after_school_attendance": "Students who turn up for after-school sessions",
    "mastery_rate": "Speed of learning the IEP goal in sessions",
    "carryover_rate": "Speed at which a learned skill is used in class",
    "pull_out_focus": "Focus in the therapy room",
    "push_in_focus": "Focus when working inside the classroom",
    "after_school_focus": "Focus at the end of the school day",
    "push_in_generalization": "Extra carry-over from practising in the real lesson",
    "annual_growth_sd": "A typical year's academic growth",
    "iep_growth_factor": "Relative growth of students with IEPs",
    "skill_gap_drag": "How much unmet skill needs slow learning",
    "backlog_half_hours": "Missed material that halves new learning",
    "push_in_lesson_share": "Lesson a pushed-in student still follows",
    "backlog_catchup": "Missed material caught up each week",
    "practice_minutes_per_lesson": "Teacher's practice per relevant lesson",
    "teacher_practice_efficacy": "Value of a teacher's practice minute",
    "observe_knowledge_gain": "What a teacher learns from watching one session",
    "adoption_parallel": "Teachers adopting strategies they only watch",
    "adoption_collaborative": "Teachers adopting strategies they co-teach",
    "strategy_fade": "Strategies dropped in a week without the therapist",
    "peer_modeling_rate": "Learning from classmates who have the skill",
    "spillover_sd_per_hour": "Help to classmates from a second adult",
    "spillover_weakest_gain": "Extra help reaching the weakest classmates",
    "push_in_disruption": "Disruption of the lesson by a second adult",
    "stigma_per_removal": "Stigma from being visibly taken out of class",
    "stigma_per_push_in": "Stigma from visible help in class",
    "stigma_grade_gain": "How much more older students feel it",
    "stigma_fade": "Stigma fading each week",
    "belonging_stigma_weight": "How much stigma lowers belonging",
    "engagement_belonging_weight": "How much belonging drives engagement",
    "school_therapist_cost": "Cost of a school-employed therapist",
    "agency_therapist_cost": "Cost of an agency therapist",
    "teacher_cost": "Cost of a teacher's co-planning time",
}


#: Mechanisms that can be switched off (for teaching and for the symmetry test).
MECHANISMS: tuple[str, ...] = (
    "resistance",
    "setting_efficacy",
    "missed_instruction",
    "teacher_practice",
    "teacher_learning",
    "peer_modeling",
    "spillover",
    "stigma",
)


class Params(Mapping[str, float]):
    """An immutable, validated set of parameter values (defaults plus overrides).

    Values are reachable as attributes (``params.transition_minutes``) for readable mechanism
    code, and as a mapping for tables and hashing.
    """

    def __init__(self, overrides: Mapping[str, Any] | None = None, *, source: str = "parameters"):
        values = {name: float(p.default) for name, p in PARAMETERS.items()}
        problems = []
        for key, value in (overrides or {}).items():
            spec = PARAMETERS.get(key)
            if spec is None:
                problems.append(Problem(source, f"key '{key}'", "a model parameter name",
                                        f"'{key}'", nearest(key, PARAMETERS)))
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(Problem(source, f"key '{key}'", f"a number ({spec.unit})",
                                        repr(value)))
                continue
            if not spec.low <= value <= spec.high:
                problems.append(Problem(source, f"key '{key}'",
                                        f"a value in [{spec.low}, {spec.high}] {spec.unit}",
                                        repr(value)))
                continue
            values[key] = float(value)
        if problems:
            raise InputError(problems)
        self._values = values
        self.__dict__.update(values)

    def __getitem__(self, key: str) -> float:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __setattr__(self, name: str, value: Any) -> None:
        if name != "_values" and name in PARAMETERS:
            raise AttributeError("Params are immutable; build a new Params with overrides")
        super().__setattr__(name, value)

    def replace(self, **overrides: float) -> Params:
        """Return a copy with some values changed (validated like any override)."""
        changed = {k: v for k, v in self._values.items() if v != PARAMETERS[k].default}
        changed.update(overrides)
        return Params(changed)

    def changed(self) -> dict[str, float]:
        """The values that differ from the defaults."""
        return {k: v for k, v in self._values.items() if v != PARAMETERS[k].default}


def markdown_table() -> str:
    """Render the parameter reference as Markdown, grouped by mechanism."""
    lines = [
        "# Model parameters",
        "",
        "Generated from `src/inclusion_sim/base/params.py` by `make docs`; "
        "do not edit by hand.",
        "",
        "Status: **read** (value read in the source), **secondary** (read in a source citing it), "
        "**estimate** (no measurement found; varied in sensitivity analysis). "
        "Row numbers (lit. A7, B19, C F2) refer to the tables in `docs/literature.md`.",
        "",
    ]
    by_mechanism: dict[str, list[Param]] = {}
    for p in _DEFINITIONS:
        by_mechanism.setdefault(p.mechanism, []).append(p)
    for mechanism, params in by_mechanism.items():
        lines += [f"## {mechanism.replace('_', ' ').capitalize()}", "",
                  "| name | default | unit | range | status | meaning | source |",
                  "|---|---|---|---|---|---|---|"]
        for p in params:
            lines.append(f"| `{p.name}` | {p.default:g} | {p.unit} | {p.low:g}–{p.high:g} | "
                         f"{p.status} | **{p.label}.** {p.doc} | {p.source} |")
        lines.append("")
    estimates = [p.name for p in _DEFINITIONS if p.status == "estimate"]
    lines += [f"{len(estimates)} of {len(_DEFINITIONS)} parameters are estimates.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
