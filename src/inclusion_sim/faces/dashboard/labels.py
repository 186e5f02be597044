"""Plain words for the dashboard's pages: the library's presentation layer, re-exported.

The wording and number formatting live in `inclusion_sim.faces.present`, shared with the
command line, the figures, the reports and the notebooks; this module keeps the names the
pages import, plus the slider steps that only a page needs.
"""

from __future__ import annotations

from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.faces.present import (  # noqa: F401  (re-exported for the pages)
    STATUS_LABELS,
    format_parameter,
    format_range,
    hours,
    metric_label,
    metric_unit,
    parameter_label,
    parameter_note,
    plain_source,
)

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
