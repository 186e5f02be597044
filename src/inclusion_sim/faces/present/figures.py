"""What every figure shares: captions, money axes and a check that no text is clipped.

Figures are read at a glance, often pasted into slides: their text must fit the canvas and
not overlap, axes must say what and in which unit, and a caption must say what a band or an
interval is and which parameters differ from the defaults.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from inclusion_sim.model.outcomes import ALL_METRICS as METRICS
from inclusion_sim.present.numbers import money_k
from inclusion_sim.present.parameters import changes_summary
from inclusion_sim.present.words import metric_scale, metric_unit


def scale_axis(ax: Axes, metric: str, axis: str = "x", ticks: int = 4) -> None:
    """Ticks an outcome's axis for reading: dollars as "$50k", at most ``ticks`` of them.

    Values must already be on the shown scale (`inclusion_sim.faces.present.metric_scale`).
    """
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(ticks, steps=[1, 2, 2.5, 5, 10]))
    info = METRICS.get(metric)
    if info is not None and info.unit == "USD":
        target.set_major_formatter(FuncFormatter(money_k))


def shown(metric: str, values):
    """Values on the shown scale (0-1 scales and shares times 100)."""
    return values * metric_scale(metric)


def unit_text(metric: str) -> str:
    """An outcome's unit for an axis label ("$" and "$ per student-hour" as they read)."""
    return metric_unit(metric)


def caption_text(text: str, parameters: Mapping[str, float] | None = None,
                 width: int = 150) -> str:
    """A figure's caption: what is drawn, then what was changed from the defaults, wrapped.

    Args:
        text: What the marks, bands and intervals are.
        parameters: Parameter values of the runs; those that differ from the defaults are
            listed.
        width: Characters per line.
    """
    parts = [text]
    changed = changes_summary(parameters)
    if changed:
        parts.append(changed)
    return "\n".join(textwrap.fill(part, width, break_on_hyphens=False) for part in parts)


def caption(fig: Figure, text: str, parameters: Mapping[str, float] | None = None,
            width: int = 150) -> None:
    """Add a caption under a figure (`caption_text`), inside the canvas.

    The caption is the figure's ``supxlabel``, which a constrained layout keeps in the bottom
    margin without overlapping the panels.
    """
    fig.supxlabel(caption_text(text, parameters, width), fontsize=8, color="#444444")


def text_problems(fig: Figure) -> list[str]:
    """Text that leaves the canvas or overlaps other text, after drawing the figure.

    Returns one line per problem ("'Mastery…' leaves the canvas", "'$50k' overlaps '$100k'"),
    empty when every label fits. Used by the tests on every figure the package makes.
    """
    # lay the figure out as saving it would, without rasterizing it
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    page = fig.bbox
    # tick labels beyond an axis's limits exist but are not drawn
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            tol = (high - low) * 1e-6
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - tol <= tick.get_loc() <= high + tol:
                    hidden.update({id(tick.label1), id(tick.label2)})
    boxes, seen = [], set()
    for artist in fig.findobj(Text):
        if id(artist) in seen or id(artist) in hidden:
            continue
        seen.add(id(artist))
        if not artist.get_visible() or not artist.get_text().strip():
            continue
        # an artist inside an invisible axes is not drawn
        axes = getattr(artist, "axes", None)
        if axes is not None and not axes.get_visible():
            continue
        box = artist.get_window_extent(renderer)
        if box.width <= 0 or box.height <= 0:
            continue
        boxes.append((artist.get_text().replace("\n", " ")[:40], box))
    problems = []
    for text, box in boxes:
        if box.x0 < page.x0 - 1 or box.y0 < page.y0 - 1 or box.x1 > page.x1 + 1 or \
                box.y1 > page.y1 + 1:
            problems.append(f"'{text}' leaves the canvas")
    for i, (text, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1:]:
            if box.overlaps(other_box):
                inter_w = min(box.x1, other_box.x1) - max(box.x0, other_box.x0)
                inter_h = min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
                if inter_w > 1 and inter_h > 1:  # touching edges are not an overlap
                    problems.append(f"'{text}' overlaps '{other}'")
    return problems
