"""Scenario-level numbers a sweep can vary alongside model parameters.

Model parameters (`inclusion_sim.PARAMETERS`) change how mechanisms behave; these change the
school itself: how big it is, how many students have an IEP, how much therapist time there is.
They are named like the scenario keys they replace (``school.class_size``) plus ``staffing``, a
factor on every therapist's weekly minutes, and ``master_schedule``: 1 for the realistic master
schedule of generated schools (staggered core blocks, rotating specials, lunch waves, varied
days), 0 for the old layout (every class's ELA and math in the same periods, the same day all
week); a replicate has the same students under either (`Scenario.with_master_schedule`), so the
knob's paired differences are the layout's alone. In a spec they go under ``[parameters]``
with a quoted key, e.g. ``"school.class_size" = [18, 21, 25]`` or ``"master_schedule" = [0, 1]``.

``disruptions`` = 1 turns on every disruption of the school year (student and therapist
absences, events and testing days, heavy duty weeks); their rates are model parameters and can
be swept like any other. One knob changes the comparison rather than the school:
``equal_dose``, 1 to give every policy of the sweep the same weekly minutes of each service for
each student (the least any of them schedules), 0 for each policy's own timetable. Varied as
``equal_dose = [0, 1]`` it puts the settings' effect at equal dose next to their effect with
each timetable's own dose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inclusion_sim.base.params import DISRUPTIONS


@dataclass(frozen=True)
class Knob:
    """A scenario number that can be swept.

    Attributes:
        name: Key in a sweep spec.
        default: Typical value (its type says whether the knob takes whole numbers).
        low: Lowest value a sweep may use.
        high: Highest value a sweep may use.
        doc: What it changes.
        csv_school: Whether it changes a school read from CSV files too (the others describe
            a generated school, which such a scenario does not have).
    """

    name: str
    default: float
    low: float
    high: float
    doc: str
    csv_school: bool = False


SCENARIO_KNOBS: dict[str, Knob] = {k.name: k for k in (
    Knob("school.class_size", 21, 10, 35, "students per class"),
    Knob("school.classes_per_grade", 4, 1, 10, "classes in each grade"),
    Knob("school.iep_prevalence", 0.15, 0.05, 0.30, "share of students with an IEP"),
    Knob("staffing", 1.0, 0.5, 2.0, "factor on every therapist's weekly minutes",
         csv_school=True),
    Knob("master_schedule", 1, 0, 1, "1: realistic (staggered) master schedule, a K-8 "
         "school's middle grades on their own bell; 0: the old aligned layout, one bell "
         "(generated schools only)"),
    Knob("equal_dose", 0, 0, 1, "1: every policy gets the same weekly minutes of each service "
         "for each student (the least any of the sweep's policies schedules); 0: its own",
         csv_school=True),
    Knob("disruptions", 0, 0, 1, "1: every disruption of the school year on (absences, events, "
         "duty weeks; their rates are model parameters); 0: the scenario's [disruptions]",
         csv_school=True),
)}

#: The knob that switches every disruption of the school year on.
DISRUPTIONS_KNOB = "disruptions"

#: The knob that switches equal-dose runs on (not a scenario change: the worker reads it).
EQUAL_DOSE_KNOB = "equal_dose"

#: The scenario table each value of the ``master_schedule`` knob stands for.
MASTER_SCHEDULES: dict[int, dict[str, str]] = {
    0: {"core_blocks": "aligned", "specials": "fixed", "lunch": "single", "days": "same",
        "middle_bell": "shared"},
    1: {"core_blocks": "staggered", "specials": "rotating", "lunch": "waves", "days": "varied",
        "middle_bell": "own"},
}


def knobs_without_effect(names: list[str], scenario: Any) -> list[str]:
    """The knobs among `names` that would not change `scenario`'s school.

    A scenario whose school is read from CSV files has its roster, class sizes and timetable
    from the files, so varying ``school.class_size`` or ``master_schedule`` there would give
    runs that differ only in their label. Such a sweep is refused before it starts.
    """
    spec = getattr(scenario, "spec", None)
    school = getattr(spec, "school", None)
    if getattr(school, "data", None) is None:
        return []
    return [n for n in names if n in SCENARIO_KNOBS and not SCENARIO_KNOBS[n].csv_school]


def split_values(values: dict[str, float]) -> tuple[dict[str, Any], dict[str, float]]:
    """Separate scenario knobs from model parameters, giving whole-number knobs as ints."""
    knobs, parameters = {}, {}
    for name, value in values.items():
        knob = SCENARIO_KNOBS.get(name)
        if knob is None:
            parameters[name] = value
        else:
            knobs[name] = int(round(value)) if isinstance(knob.default, int) else float(value)
    return knobs, parameters


def apply_knobs(scenario: Any, knobs: dict[str, Any]) -> Any:
    """The scenario with the knobs' values; the same object when there are none."""
    if not knobs:
        return scenario
    changes = {name: value for name, value in knobs.items()
               if name not in ("staffing", "master_schedule", EQUAL_DOSE_KNOB, DISRUPTIONS_KNOB)}
    if knobs.get(DISRUPTIONS_KNOB):
        changes.update({f"disruptions.{name}": True for name in DISRUPTIONS})
    if changes:
        scenario = scenario.with_changes(changes)
    if "master_schedule" in knobs:  # the same students under the other layout
        scenario = scenario.with_master_schedule(MASTER_SCHEDULES[int(knobs["master_schedule"])])
    if "staffing" in knobs:
        scenario = scenario.with_staffing(knobs["staffing"])
    return scenario
