"""Plain words for lessons, places and session settings: kept as an alias of the presentation layer.

The words live in `inclusion_sim.present.lessons` (exported by `inclusion_sim.faces.present`),
with every other name, unit and number people read; import them from there. This module only
re-exports them so existing imports keep working.
"""

from __future__ import annotations

from inclusion_sim.present.lessons import (
    COLLABORATION_LABELS,
    SHORT_SUBJECTS,
    SUBJECT_LABELS,
    WHERE_LABELS,
    collaboration_label,
    setting_label,
)

__all__ = ["COLLABORATION_LABELS", "SHORT_SUBJECTS", "SUBJECT_LABELS", "WHERE_LABELS",
           "collaboration_label", "setting_label"]
