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
    _P("after_school_slots", 2, "sessions per therapist per day", 0, 6, "estimate",
       "no measurement found; wide range (none to a therapist's whole late afternoon)",
       "sessions",
       "After-school sessions a therapist can hold each day they are on site."),
    # --- Resistance ------------------------------------------------------------------------
    _P("pull_out_refusal_rate", 0.05, "probability per session", 0.0, 0.20, "estimate",
       "lit. B19: no figure found (5-20% of sessions suggested); symmetric with push-in by "
       "default because students' own preferences go both ways (lit. B18)", "resistance",
       "Chance that a student refuses a pull-out session (at zero stigma, in a lesson they do "
       "not especially like). A refusing student stays in class and the session is lost."),
    _P("push_in_refusal_rate", 0.05, "probability per session", 0.0, 0.20, "estimate",
       "no figure found; same default as pull-out: lit. B18 finds most students preferring help "
       "from the class teacher in one study and more choosing pull-out in another", "resistance",
       "Chance that a student refuses to work with a pushed-in therapist. A refusing student "
       "follows the lesson and the session is lost."),
    _P("after_school_refusal_rate", 0.05, "probability per session", 0.0, 0.20, "estimate",
       "no figure found", "resistance",
       "Chance that a student at an after-school session refuses to work."),
    _P("refusal_stigma_gain", 2.0, "relative increase per unit of stigma", 0.0, 4.0, "estimate",
       "lit. B18 (qualitative: preferences depend on grade and prior model)", "resistance",
       "How much felt stigma raises the chance of refusal: rate x (1 + gain x stigma)."),
    _P("refusal_favourite_gain", 1.0, "relative increase", 0.0, 2.0, "estimate",
       "no figure found", "resistance",
       "Extra relative risk of refusal when the session falls in a favourite period of the "
       "student's class (specials, lunch or recess), whatever the setting."),
    _P("after_school_attendance", 0.85, "probability per session", 0.5, 1.0, "estimate",
       "no figure found; the seed article's argument against after-school sessions; wide range",
       "resistance",
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
    _P("push_in_focus", 1.0, "multiplier on minutes", 0.7, 1.0, "estimate",
       "lit. C F5: Wilcox, Kouri & Caswell 1991 found equal learning in classroom and individual "
       "sessions, so the default equals the therapy room; a busy room can only lower it",
       "therapy",
       "Efficacy per minute for goal mastery when working inside a busy classroom."),
    _P("after_school_focus", 0.8, "multiplier on minutes", 0.5, 1.0, "estimate",
       "no figure found (fatigue at the end of the day); wide range", "therapy",
       "Efficacy per minute at the end of the school day."),
    _P("push_in_generalization", 1.5, "multiplier on carry-over", 1.0, 2.0, "estimate",
       "lit. B21, anchored to Wilcox, Kouri & Caswell 1991 (lit. C F5)", "therapy",
       "How much more practice in the real classroom task carries over to classroom use."),
    # --- Instruction and missed material -------------------------------------------------------
    _P("annual_growth_scale", 1.0, "multiplier on the grade's benchmark", 0.7, 1.3, "secondary",
       "Hill, Bloom, Black & Lipsey 2008, annual gains in SD units by grade (mean of reading and "
       "mathematics; lit. A26): about 1.3 SD in grade 1 falling to about 0.3 by grade 7",
       "instruction",
       "Scales the year's academic growth of a typical student, which follows the published "
       "benchmark for the student's grade."),
    _P("iep_growth_factor", 0.85, "multiplier", 0.7, 1.05, "estimate",
       "bracketed in SD units by special-education growth studies: reading-comprehension gaps "
       "of students with disabilities stay stable from grade 3 to 7, their growth equal or "
       "slightly faster (Schulte et al. 2016, lit. A28: about 1.0 to 1.05); in mathematics "
       "they grow more slowly (Schulte & Stevens 2015, lit. A29: below 1); a whole reading gap "
       "of 1.17 SD (Gilmour, Fuchs & Wehby 2019, lit. A30) built by slower growth alone since "
       "kindergarten, against the grade benchmarks (lit. A26), would mean about 0.76 by grade "
       "4, a floor since part of the gap exists at school entry (the range leaves a margin below "
       "it); the default is the middle of the bracket",
       "instruction",
       "Relative growth per core minute of a student with an IEP, in the same SD units as "
       "their classmates' growth."),
    _P("backlog_catchup", 0.05, "fraction per week", 0.0, 0.20, "estimate",
       "no measurement found; 0 means a missed minute is simply lost, 0.2 that nearly all of it "
       "is recovered within the year", "instruction",
       "Share of the backlog of missed core material a student catches up each week; caught-up "
       "minutes give the growth they would have given in the lesson."),
    _P("parallel_lesson_share", 0.5, "fraction of the lesson", 0.0, 1.0, "estimate",
       "no measurement found; 0 is a pull-out at the back of the room, 1 a session entirely "
       "within the lesson's task", "instruction",
       "Share of a lesson's instruction a student still receives while working with a therapist "
       "who works in parallel at a side table; the rest counts as missed."),
    _P("cotaught_lesson_share", 0.8, "fraction of the lesson", 0.5, 1.0, "estimate",
       "no measurement found; co-taught sessions are planned around the lesson's task",
       "instruction",
       "Share of a lesson's instruction a student still receives during a co-taught session."),
    # --- Teacher practice and learning ----------------------------------------------------------
    _P("practice_minutes_per_lesson", 5.0, "min per relevant lesson", 0.0, 10.0, "estimate",
       "no measurement found", "teacher_practice",
       "Minutes of embedded practice a teacher who fully uses a strategy gives each student who "
       "needs it, in each relevant lesson."),
    _P("teacher_practice_efficacy", 0.5, "multiplier on minutes", 0.2, 1.0, "estimate",
       "no measurement found", "teacher_practice",
       "Efficacy of a teacher's embedded practice relative to a therapist's minute in class."),
    _P("observe_knowledge_gain", 0.04, "per observed session", 0.0, 0.10, "estimate",
       "lit. C F2 (demonstration: 30% know)", "teacher_learning",
       "Fractional gain in a teacher's knowledge of a strategy from each push-in session held in "
       "their room."),
    _P("adoption_parallel", 0.05, "share adopting per year", 0.0, 0.10, "estimate",
       "anchored to lit. B20 / C F2: Joyce & Showers 2002 report 0% use after demonstration "
       "and 5% after practice (shares of trained teachers, published as estimates); used here "
       "as an annual rate", "teacher_learning",
       "Annual rate at which known strategies enter classroom use when the therapist works in "
       "parallel (observation only)."),
    _P("adoption_collaborative", 0.5, "share adopting per year", 0.1, 0.95, "estimate",
       "lit. B20 / C F2: Joyce & Showers 2002 report 95% use after coaching, 5% after practice "
       "(published as estimates); weekly co-teaching with a therapist is not their coaching "
       "condition, so the default sits between the two with a range covering both",
       "teacher_learning",
       "Annual rate at which known strategies enter classroom use with co-planning and co-teaching."),
    _P("consultation_minutes", 114.0, "min/week per therapist", 0.0, 180.0, "secondary",
       "lit. A9: ASHA 2022 Schools Survey, 1.9 h a week of collaboration and consultation, "
       "whatever the setting", "teacher_learning",
       "Time each therapist spends a week consulting the teachers of the classes with students "
       "on their caseload, shared equally among those classes, under every policy. It is not "
       "taken from the minutes a therapist has for sessions (the survey counts it apart)."),
    _P("consultation_knowledge_gain", 0.05, "per hour of consultation", 0.0, 0.15, "estimate",
       "lit. C F2: discussion gives knowledge (theory 10%, demonstration 30% know)",
       "teacher_learning",
       "Fractional gain in a teacher's knowledge of a strategy per hour of consultation."),
    _P("adoption_consultation", 0.05, "share adopting per year", 0.0, 0.30, "estimate",
       "lit. C F2: discussion alone gives knowledge, not use (0%); practice with feedback about "
       "5%; the range allows consultation with feedback on practice", "teacher_learning",
       "Annual rate at which known strategies enter classroom use in a class whose teacher "
       "is consulted but does not co-teach."),
    _P("strategy_fade", 0.02, "fraction per week", 0.0, 0.05, "estimate",
       "no measurement found", "teacher_learning",
       "Weekly loss of use of a strategy no therapist reinforced that week."),
    # --- Peer modeling ----------------------------------------------------------------------
    _P("peer_modeling_rate", 0.0005, "per hour in a relevant lesson", 0.0, 0.002, "estimate",
       "lit. B24: large single-case effects (Zhang & Wheeler 2011) are not comparable to d; "
       "kept small", "peer_modeling",
       "Carry-over gained per hour in a relevant lesson alongside skilled peers, at full belonging."),
    # --- Spill-over -------------------------------------------------------------------------
    _P("spillover_sd_per_year", 0.03, "SD per year of full-time presence", 0.0, 0.15, "estimate",
       "lit. A27: in Tennessee's STAR experiment a full-time aide added little (about 0 to 0.05 "
       "SD) while a class a third smaller added about 0.2; F3 bounds classmates' effects at "
       "0.15 a year", "spillover",
       "Academic gain to a classmate without an IEP if a second adult (a pushed-in therapist) "
       "were in every core lesson for a whole year; a therapist present for part of the core "
       "time gives that part of it."),
    _P("spillover_weakest_gain", 1.0, "relative increase per SD below average", 0.0, 2.0,
       "estimate", "lit. C F4 (weakest improve most; Case-Smith et al. 2014)", "spillover",
       "How much more spill-over reaches classmates who start below average."),
    _P("smaller_class_sd_per_year", 0.02, "SD per year per student fewer", 0.0, 0.04,
       "secondary",
       "lit. A27: STAR's small classes (about 7 fewer students) gained about 0.2 SD in their "
       "first year (Krueger 1999; Finn & Achilles 1999), about 0.03 per student fewer",
       "spillover",
       "Academic gain to a classmate without an IEP for each student fewer in every core lesson "
       "for a whole year; students pulled out of a core lesson give their classmates that share "
       "of it."),
    _P("pull_out_disruption_minutes", 1.0, "lesson min per exit or return", 0.0, 3.0,
       "estimate", "no measurement found", "spillover",
       "Lesson minutes the class loses each time students leave for, or come back from, a "
       "pull-out session during a core lesson."),
    _P("push_in_disruption", 0.02, "fraction of the lesson's learning", 0.0, 0.10, "estimate",
       "lit. C F3: peers' cognitive d = -0.14 (Kramer et al. 2021) shows costs are possible",
       "spillover",
       "Share of a lesson's learning classmates lose to a second adult working with a group in "
       "the room."),
    # --- Stigma and belonging ------------------------------------------------------------------
    _P("stigma_per_removal", 0.004, "per visible removal", 0.0, 0.02, "estimate",
       "lit. B17: placement effect on self-concept ~0 on average (Elbaum 2002; Kramer et al. "
       "2021); the same default as in-class support",
       "stigma",
       "Rise in felt stigma each time a student is visibly taken out of class, as a share of "
       "the way from the current level to the maximum."),
    _P("stigma_per_push_in", 0.004, "per in-class session", 0.0, 0.02, "estimate",
       "lit. B17: no placement difference in self-concept (Elbaum 2002), so the default equals "
       "removal stigma; support in front of peers is visible too", "stigma",
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
    "after_school_attendance": "Students who turn up for after-school sessions",
    "mastery_rate": "Speed of learning the IEP goal in sessions",
    "carryover_rate": "Speed at which a learned skill is used in class",
    "pull_out_focus": "Focus in the therapy room",
    "push_in_focus": "Focus when working inside the classroom",
    "after_school_focus": "Focus at the end of the school day",
    "push_in_generalization": "Extra carry-over from practising in the real lesson",
    "annual_growth_scale": "A typical year's academic growth (relative to benchmarks)",
    "iep_growth_factor": "Relative growth of students with IEPs",
    "backlog_catchup": "Missed material caught up each week",
    "parallel_lesson_share": "Lesson followed beside a therapist working in parallel",
    "cotaught_lesson_share": "Lesson followed during a co-taught session",
    "practice_minutes_per_lesson": "Teacher's practice per relevant lesson",
    "teacher_practice_efficacy": "Value of a teacher's practice minute",
    "observe_knowledge_gain": "What a teacher learns from watching one session",
    "adoption_parallel": "Teachers adopting strategies they only watch",
    "adoption_collaborative": "Teachers adopting strategies they co-teach",
    "consultation_minutes": "Therapists' weekly consultation with teachers",
    "consultation_knowledge_gain": "What a teacher learns from an hour of consultation",
    "adoption_consultation": "Teachers adopting strategies discussed in consultation",
    "strategy_fade": "Strategies dropped in a week without the therapist",
    "peer_modeling_rate": "Learning from classmates who have the skill",
    "spillover_sd_per_year": "Help to classmates from a second adult",
    "smaller_class_sd_per_year": "Help to classmates from a smaller class",
    "pull_out_disruption_minutes": "Lesson lost when students leave or come back",
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


#: Parameters of earlier versions, with what took their place (so old files get a clear answer).
REMOVED: dict[str, str] = {
    "skill_gap_drag": "removed in 0.2: progress in classroom skills no longer speeds academic "
                      "learning (no source, and it reported carry-over twice)",
    "backlog_half_hours": "removed in 0.2: missed core minutes are counted once, as a backlog "
                          "whose catch-up restores their growth (see backlog_catchup)",
    "refusal_wasted_fraction": "removed in 0.2: a refused session is lost whole and the student "
                               "stays in class",
    "push_in_lesson_share": "replaced in 0.2 by parallel_lesson_share and cotaught_lesson_share",
    "annual_growth_sd": "replaced in 0.2 by annual_growth_scale (growth now follows published "
                        "benchmarks by grade)",
    "spillover_sd_per_hour": "replaced in 0.2 by spillover_sd_per_year (the gain of a second "
                             "adult in every core lesson for a year)",
}


#: Mechanisms that can be switched off (for teaching and for the symmetry test).
MECHANISMS: tuple[str, ...] = (
    "resistance",
    "setting_efficacy",
    "missed_instruction",
    "teacher_practice",
    "teacher_learning",
    "consultation",
    "peer_modeling",
    "spillover",
    "stigma",
)


class Params(Mapping[str, float]):
    """An immutable, validated set of parameter values (defaults plus overrides).

    Values are reachable as attributes (``params.transition_minutes``) for readable mechanism
    code, and as a mapping for tables and hashing.

    Args:
        overrides: Values that differ from the defaults.
        source: Where the overrides come from, for error messages.
        check_ranges: Refuse values outside each parameter's plausible range (the default).
            Only audits turn it off, e.g. to set a walk of 0 minutes and show that the settings
            then give equal outcomes.
    """

    def __init__(self, overrides: Mapping[str, Any] | None = None, *, source: str = "parameters",
                 check_ranges: bool = True):
        values = {name: float(p.default) for name, p in PARAMETERS.items()}
        problems = []
        for key, value in (overrides or {}).items():
            spec = PARAMETERS.get(key)
            if spec is None:
                hint = (f"'{key}' was {REMOVED[key]}" if key in REMOVED
                        else nearest(key, PARAMETERS))
                problems.append(Problem(source, f"key '{key}'", "a model parameter name",
                                        f"'{key}'", hint))
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(Problem(source, f"key '{key}'", f"a number ({spec.unit})",
                                        repr(value)))
                continue
            if check_ranges and not spec.low <= value <= spec.high:
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
