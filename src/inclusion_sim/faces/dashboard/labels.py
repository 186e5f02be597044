"""Plain words for the library's names, so no page shows an identifier.

The library names things for programmers (``pull_out_refusal_rate``, ``0-1 scale``); a principal
reads "Students who refuse a pull-out session: 10% of sessions". Everything here is wording and
number formatting only: the values themselves come unchanged from `inclusion_sim.params` and
`inclusion_sim.outcomes`.
"""

from __future__ import annotations

from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.model.outcomes import METRICS

#: Scales the model keeps from 0 to 1, shown from 0 to 100 (points), as the cards do.
_POINTS_UNITS = {"0-1 scale": "0-100 scale", "share": "%"}

STATUS_LABELS = {"read": "From a study", "secondary": "From a review citing a study",
                 "estimate": "Estimate (no study found)"}


def parameter_label(name: str) -> str:
    """A parameter's plain name."""
    return PARAMETERS[name].label


def format_parameter(name: str, value: float) -> str:
    """A parameter value with its unit, in the words and scale a person uses."""
    value = round(float(value), 10)  # no 0.30000000000000004 on the page
    unit = PARAMETERS[name].unit
    if unit == "USD per hour":
        return f"${value:,.0f} an hour"
    if unit.startswith("probability"):
        return f"{value:.0%} of sessions"
    if name.startswith("stigma_per"):
        # stigma is a 0-1 scale in the model and 0-100 on every page
        return f"+{value * 100:.1f} points (0-100 scale) {unit}"
    if unit.startswith("min"):
        unit = unit.replace("min/week", "minutes a week").replace("min ", "minutes ", 1)
    return f"{value:g} {unit}"


def format_range(name: str) -> str:
    """The range tried for a parameter, in the same words and scale as its default.

    "5% to 20% of sessions" beside a default of "10% of sessions", not "0.05 to 0.2".
    """
    p = PARAMETERS[name]
    low, high = format_parameter(name, p.low), format_parameter(name, p.high)
    low_number, _, low_unit = low.partition(" ")
    _, _, high_unit = high.partition(" ")
    return f"{low_number} to {high}" if low_unit == high_unit else f"{low} to {high}"


_STEPS = (5.0, 1.0, 0.5, 0.25, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002,
          0.0001, 0.00005, 0.00002, 0.00001)


def slider_step(name: str) -> float:
    """The largest round step giving at least ten positions that lands on the default.

    A slider snaps its value to ``low + k * step`` as soon as it is drawn; with a step that
    misses the default, merely opening the page would change the parameter (and every result
    after it) without anyone touching it.
    """
    p = PARAMETERS[name]
    span = float(p.high - p.low)
    for step in _STEPS:
        offset = (float(p.default) - float(p.low)) / step
        if span / step >= 10 and abs(offset - round(offset)) < 1e-6:
            return step
    return span / 100 if span > 0 else 1.0


def metric_label(metric: str) -> str:
    """An outcome's plain name from `inclusion_sim.outcomes.METRICS`."""
    info = METRICS.get(metric)
    return info.label if info else metric.replace("_", " ").capitalize()


def metric_unit(metric: str) -> str:
    """An outcome's unit as the pages show it (0-1 scales as 0-100, shares as %)."""
    info = METRICS.get(metric)
    return _POINTS_UNITS.get(info.unit, info.unit) if info else ""
