"""Parameter values in words, and what a run changed from the defaults.

A principal who moved the walking time to 6 minutes must see it beside every result that
depends on it ("Walk to and from the therapy room: 6 minutes each way (default 5)"), in the
same units as the default and the range, never as ``transition_minutes = 6``.
"""

from __future__ import annotations

from collections.abc import Mapping

from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.present.numbers import money, number
from inclusion_sim.present.words import plain_source

#: The chances that a student refuses a session, by where the session happens.
REFUSAL_RATES: dict[str, str] = {"pull_out_refusal_rate": "pull-out",
                                 "push_in_refusal_rate": "pushed-in",
                                 "after_school_refusal_rate": "after-school"}


def _stigma_unit(unit: str) -> str:
    """A stigma gain's unit as read: points on the 0-100 scale of the felt-stigma results."""
    return f"points of felt stigma {unit}, on a 0-100 scale"


#: Units spelled out for reading (the parameter table abbreviates them).
_UNIT_WORDS = (("min/week", "minutes a week"), ("lesson min ", "lesson minutes "),
               ("min ", "minutes "), ("USD per hour", "an hour"))


def _unit_words(unit: str) -> str:
    for short, words in _UNIT_WORDS:
        if unit.startswith(short) or f" {short}" in f" {unit}":
            unit = unit.replace(short, words, 1)
    return unit


def _plain_number(value: float) -> str:
    value = round(float(value), 10)  # no 0.30000000000000004
    return f"{value:,.0f}" if value == int(value) and abs(value) >= 1000 else f"{value:g}"


def format_parameter(name: str, value: float, unit: bool = True) -> str:
    """A parameter value with its unit, in the words and scale a person uses.

    Probabilities and fractions are shown as percentages ("10% of sessions"), stigma gains as
    points of felt stigma on the 0-100 scale of the felt-stigma results ("+0.4 points of
    felt stigma per visible removal, on a 0-100 scale"), costs in dollars ("$95 an hour"), minutes
    spelled out.

    Args:
        name: The parameter.
        value: Its value, in the model's unit.
        unit: Include the unit (False gives the bare number as shown, for a range's low end).
    """
    p = PARAMETERS[name]
    value = round(float(value), 10)
    if p.unit == "USD per hour":
        return money(value) + (" an hour" if unit else "")
    if p.unit.startswith("probability"):
        return f"{value:.0%}" + (" of sessions" if unit else "")
    if p.unit.startswith(("fraction", "share")):
        rest = p.unit.removeprefix("fraction").removeprefix("share").strip()
        text = f"{round(value * 100, 4):g}%"
        return text + (f" {rest}" if unit and rest else "")
    if name.startswith("stigma_per"):
        # stigma is a 0-1 scale in the model and 0-100 on every page
        text = f"+{round(value * 100, 4):g}"
        return text + (f" {_stigma_unit(p.unit)}" if unit else "")
    text = _plain_number(value)
    return f"{text} {_unit_words(p.unit)}" if unit else text


def format_range(name: str) -> str:
    """A parameter's plausible range in the units of its default ("2 to 10 minutes each way")."""
    p = PARAMETERS[name]
    return f"{format_parameter(name, p.low, unit=False)} to {format_parameter(name, p.high)}"


def changed_parameters(values: Mapping[str, float] | None) -> list[str]:
    """One line per parameter that differs from its default, in plain words.

    Args:
        values: Parameter values (all of them, e.g. a `Params`, or only the overrides);
            unknown names are ignored, values equal to the default left out.

    Returns:
        Lines like "Walk to and from the therapy room: 6 minutes each way (default 5)", in the
        parameter table's order.
    """
    values = dict(values or {})
    lines = []
    for name, p in PARAMETERS.items():
        if name not in values or round(float(values[name]), 10) == round(float(p.default), 10):
            continue
        lines.append(f"{p.label}: {format_parameter(name, values[name])} "
                     f"(default {format_parameter(name, p.default, unit=False)})")
    return lines


def changes_summary(values: Mapping[str, float] | None, *, none: str = "") -> str:
    """The changed parameters as one paragraph for a caption or report ("" when none).

    Args:
        values: As for `changed_parameters`.
        none: What to say when nothing was changed (e.g. "All parameters at their defaults.").
    """
    lines = changed_parameters(values)
    if not lines:
        return none
    return "Changed from the defaults: " + "; ".join(lines) + "."


def parameter_scale(name: str) -> float:
    """The factor from a parameter's model unit to the one shown (100 for shares and stigma)."""
    p = PARAMETERS[name]
    if p.unit.startswith(("probability", "fraction", "share")) or name.startswith("stigma_per"):
        return 100.0
    return 1.0


def parameter_unit(name: str) -> str:
    """A parameter's unit as shown beside values scaled by `parameter_scale`."""
    p = PARAMETERS[name]
    if p.unit == "USD per hour":
        return "$ an hour"
    if p.unit.startswith("probability"):
        return "% of sessions"
    if p.unit.startswith(("fraction", "share")):
        rest = p.unit.removeprefix("fraction").removeprefix("share").strip()
        return f"% {rest}".strip()
    if name.startswith("stigma_per"):
        return _stigma_unit(p.unit)
    return _unit_words(p.unit)


def parameter_note(name: str) -> str:
    """A sentence that makes a parameter's unit concrete, where its definition alone does not.

    Felt stigma is a model quantity nobody measures at school; a principal reading "+0.4
    points" needs the scale (0 none, 100 the most), what one event adds and what stigma does.
    Empty for parameters whose unit speaks for itself (minutes, dollars, shares).
    """
    if not name.startswith("stigma_per"):
        return ""
    event = PARAMETERS[name].unit.removeprefix("per ")
    return (f"Felt stigma runs from 0 (none) to 100 (the most a student can feel), as in the "
            f"results; the value is what one {event} adds for a kindergartner who feels none "
            "(more in higher grades, less as stigma nears 100). Felt stigma lowers belonging "
            "and engagement and makes refusals likelier.")


def parameter_axis_label(name: str) -> str:
    """A figure axis's label for a parameter: its plain name and shown unit.

    Names the model does not know (a sweep may vary something else) are made readable.
    """
    if name not in PARAMETERS:
        text = name.replace("_", " ")
        return text[:1].upper() + text[1:]
    return f"{PARAMETERS[name].label} ({parameter_unit(name)})"


def refusals_sentence(lost: Mapping[str, float], what: str, decimals: int = 0,
                      values: Mapping[str, float] | None = None) -> str:
    """Sessions lost to students' refusals per policy, and that the refusal rates are estimates.

    Refusals can be a large share of what a policy loses, yet how often a student refuses is
    an estimate with no measurement behind it; a reader of "served in full" should know both.

    Args:
        lost: Policy name as shown -> sessions lost to refusals.
        what: What the numbers count, in words ("sessions in the year").
        decimals: Decimals of the counts.
        values: Parameter values that differ from the defaults (the rates the runs used).

    Returns:
        Two sentences, or "" when no session was refused under any policy.
    """
    if not any(v > 0 for v in lost.values()):
        return ""
    values = dict(values or {})
    counts = ", ".join(f"{number(n, decimals)} with {name}" for name, n in lost.items())
    rates = ", ".join(
        f"{format_parameter(name, values.get(name, PARAMETERS[name].default), unit=False)} "
        f"of {where} sessions" for name, where in REFUSAL_RATES.items())
    first = PARAMETERS[next(iter(REFUSAL_RATES))]
    status = ("an estimate, not a measurement" if first.status == "estimate"
              else "taken from a source")
    source = plain_source(first.source)
    if source.startswith("No "):  # "No figure found", mid-sentence here
        source = "n" + source[1:]
    return (f"Sessions lost to students' refusals ({what}): {counts}. How often a student "
            f"refuses ({rates}; more with felt stigma) is {status}: {source}.")
