"""Every difference between pull-out and push-in the model makes, and where it comes from.

The model must not favour a setting by construction. So each place where the two settings are
treated differently is one row here: what each setting gets, the parameters that make the
difference, the values at which the difference vanishes, and the evidence for it. Where no source
exists the default is symmetric and the range covers both directions the evidence allows.

The table is data, not prose: `docs/ODD.md` shows it (``make docs``), and the symmetry audit test
sets every row's parameters to their symmetric values and checks that pull-out and push-in then
give the same outcomes for the same sessions, with every mechanism on, and that each row alone
breaks that equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inclusion_sim.base.params import PARAMETERS


@dataclass(frozen=True)
class Asymmetry:
    """One way the settings are treated differently.

    Attributes:
        mechanism: The mechanism (a module in `inclusion_sim.model.mechanisms`).
        pull_out: What a pulled-out session gets.
        push_in: What a pushed-in session gets.
        symmetric: The parameter values at which the two are treated alike.
        basis: ``sourced`` (the direction is in the evidence; the size may be an estimate),
            ``symmetric default`` (no source for a difference, so none by default; the range
            goes both ways) or ``physical`` (follows from where the student is).
        source: The evidence, with row numbers of `docs/literature.md`.
        words: The difference in plain words, for the dashboard.
    """

    mechanism: str
    pull_out: str
    push_in: str
    symmetric: dict[str, float]
    basis: str
    source: str
    words: str


ASYMMETRIES: tuple[Asymmetry, ...] = (
    Asymmetry("therapy", "focus `pull_out_focus`", "focus `push_in_focus`",
              {"push_in_focus": 1.0}, "sourced",
              "F5: equal learning in classroom and individual sessions (Wilcox, Kouri & Caswell "
              "1991); the range lets a busy room lower it",
              "Students learn the same in a session wherever it is held (one study of 20 "
              "children); a busy classroom could lower that, and you can try it."),
    Asymmetry("therapy", "carry-over x 1", "carry-over x `push_in_generalization`",
              {"push_in_generalization": 1.0}, "sourced",
              "F5: more use of the words at home after classroom treatment (Wilcox et al. 1991); "
              "the size is an estimate",
              "Practice inside the real lesson carries over more to classroom use (the same "
              "study found more use at home); how much more is an estimate."),
    Asymmetry("instruction", "misses the session, and the walk: `transition_minutes`",
              "misses 1 - `parallel_lesson_share` of the session, or 1 - "
              "`cotaught_lesson_share` when co-taught",
              {"transition_minutes": 0.0, "parallel_lesson_share": 0.0}, "physical",
              "a pulled-out student is out of the room (lit. B16: walk time an estimate); how "
              "much of the lesson a pushed-in student follows is an estimate with a range down to "
              "none",
              "A pulled-out student misses the session and the walk; a pushed-in student misses "
              "part of the lesson while working with the therapist (less when co-taught). Both "
              "shares are estimates."),
    Asymmetry("resistance", "refusal `pull_out_refusal_rate`",
              "refusal `push_in_refusal_rate`", {"push_in_refusal_rate": 0.05},
              "symmetric default",
              "lit. B18: students' preferences go both ways; lit. B19: no figure found. Favourite "
              "periods raise refusals in both settings",
              "Students refuse sessions equally often in both settings unless you change it: no "
              "study measured it, and students' preferences go both ways."),
    Asymmetry("stigma", "removal stigma `stigma_per_removal`",
              "in-class stigma `stigma_per_push_in`", {"stigma_per_push_in": 0.004},
              "symmetric default",
              "lit. B17: no placement difference in self-concept (Elbaum 2002; Kramer et al. "
              "2021)",
              "Being taken out of class and being helped in front of classmates add the same "
              "stigma unless you change it: studies find no difference in self-concept by "
              "placement."),
    Asymmetry("teacher_learning", "consultation only",
              "consultation, and the teacher sees the session: `observe_knowledge_gain`; "
              "use at `adoption_parallel` or, co-taught, `adoption_collaborative`",
              {"observe_knowledge_gain": 0.0}, "sourced",
              "F2: teachers learn strategies by seeing and co-teaching them (Joyce & Showers "
              "2002); the rates are estimates. Consultation (ASHA: 1.9 h a week) reaches "
              "teachers under every policy",
              "Teachers are consulted under every policy; under push-in they also see the "
              "sessions, and co-teaching turns strategies into classroom use fastest (teacher- "
              "training studies)."),
    Asymmetry("spillover", "classmates: a smaller class, `smaller_class_sd_per_year`, "
              "and lesson lost as they leave and return: `pull_out_disruption_minutes`",
              "classmates: a second adult, `spillover_sd_per_year`, and "
              "`push_in_disruption`",
              {"smaller_class_sd_per_year": 0.0, "pull_out_disruption_minutes": 0.0,
               "spillover_sd_per_year": 0.0, "push_in_disruption": 0.0}, "sourced",
              "lit. A27: Tennessee STAR (aides added little, smaller classes about 0.2 SD); F3 "
              "bounds classmates' effects; disruption sizes are estimates",
              "Classmates get a second adult under push-in and a smaller class while students "
              "are out under pull-out; each also disrupts the lesson a little. Sizes are "
              "anchored to a class-size experiment."),
    Asymmetry("ledger", "no therapist travel", "therapist travel `push_in_travel_minutes`; "
              "co-planning `coplanning_minutes` when co-taught",
              {"push_in_travel_minutes": 0.0}, "physical",
              "the therapist goes to the classroom; co-planning time: lit. A14. Affects staff "
              "time and cost, not students",
              "Push-in costs therapist travel time, and co-teaching costs co-planning time; "
              "this changes staff time and cost, not students' outcomes."),
)


def _with_defaults(text: str) -> str:
    """Follow each parameter named in backticks with its default and unit."""
    def name_and_default(match: re.Match) -> str:
        p = PARAMETERS.get(match[1])
        return f"{match[0]} ({p.default:g} {p.unit})" if p else match[0]
    return re.sub(r"`(\w+)`", name_and_default, text)


_BASIS_WORDS = {"sourced": "from the evidence", "symmetric default": "equal unless you change it",
                "physical": "follows from where the student is"}


_MECHANISM_WORDS = {"therapy": "Learning in the session", "instruction": "Lesson time missed",
                    "resistance": "Refusals", "stigma": "Stigma",
                    "teacher_learning": "Teachers learning strategies",
                    "spillover": "What classmates get", "ledger": "Staff time"}


def plain_rows() -> list[dict[str, str]]:
    """The table in words, for people who read the dashboard rather than the code."""
    return [{"What": _MECHANISM_WORDS[a.mechanism], "How the settings differ": a.words,
             "Why": _BASIS_WORDS[a.basis]} for a in ASYMMETRIES]


def markdown_table() -> str:
    """The table for `docs/ODD.md`, with each parameter's current default."""
    rows = ["| mechanism | pull-out gets | push-in gets | equal when | basis | evidence |",
            "|---|---|---|---|---|---|"]
    for a in ASYMMETRIES:
        equal = ", ".join(f"`{k}` = {v:g}" for k, v in a.symmetric.items())
        rows.append(f"| {a.mechanism} | {_with_defaults(a.pull_out)} | "
                    f"{_with_defaults(a.push_in)} | {equal} | {a.basis} | {a.source} |")
    return "\n".join(rows) + "\n"


def symmetric_parameters() -> dict[str, float]:
    """Every row's symmetric values together: the settings treated alike."""
    values: dict[str, float] = {}
    for a in ASYMMETRIES:
        for name, value in a.symmetric.items():
            if name not in PARAMETERS:
                raise KeyError(f"asymmetry table names an unknown parameter: {name}")
            values[name] = value
    return values
