"""The presentation core: every name, unit and number a person reads, said one way.

Labels (policies, services, grades, parameters, outcomes, sources), units, rounding to
meaningful precision, signs and wording of differences, the changed-from-defaults summary,
export data dictionaries and text laid out for a 100-column terminal. It sits just above the
model, so the library's own text (a feasibility report's `to_text`, a calibration's sentences,
a run's CSV files) reads the same as the command line, the reports and the dashboard. The
faces use it through `inclusion_sim.faces.present`, which adds cards and figure helpers.

The names below are the stable interface; the submodules are an implementation detail.
"""

from __future__ import annotations

from inclusion_sim.present.exports import (
    COLUMNS,
    csv_text,
    data_dictionary,
    describe_column,
    tidy_floats,
    write_tables,
)
from inclusion_sim.present.lessons import (
    COLLABORATION_LABELS,
    SHORT_SUBJECTS,
    STAFF_IN_PLACE,
    SUBJECT_LABELS,
    WHERE_LABELS,
    collaboration_label,
    setting_label,
)
from inclusion_sim.present.numbers import (
    counted,
    decimals_for_width,
    finite,
    hours,
    money,
    money_k,
    number,
    percent,
    plural,
    round_to,
)
from inclusion_sim.present.outcomes import (
    PHRASES,
    Difference,
    describe_difference,
    finest_decimals,
    interval_decimals,
    is_money,
    mean_and_interval,
    sd_reading,
    value_text,
    verdict,
)
from inclusion_sim.present.parameters import (
    changed_parameters,
    changes_summary,
    format_parameter,
    format_range,
    parameter_axis_label,
    parameter_note,
    parameter_scale,
    parameter_unit,
    refusals_sentence,
)
from inclusion_sim.present.terminal import (
    WIDTH,
    path_line,
    table_lines,
    terminal_problems,
    wrap,
)
from inclusion_sim.present.words import (
    PARAMETER_NAMES,
    POLICY_LABELS,
    REFERENCES,
    SHORT_POLICY_LABELS,
    SHORT_SERVICE_LABELS,
    STATUS_LABELS,
    YOUR_PLAN,
    YOUR_PLAN_LABEL,
    grade_label,
    metric_axis_label,
    metric_label,
    metric_scale,
    metric_unit,
    parameter_label,
    plain_source,
    policy_label,
    service_label,
)

__all__ = [
    "COLLABORATION_LABELS", "STAFF_IN_PLACE", "collaboration_label",
    "SHORT_SUBJECTS", "SUBJECT_LABELS", "WHERE_LABELS", "setting_label",
    "changed_parameters", "changes_summary", "COLUMNS", "counted", "csv_text",
    "data_dictionary", "decimals_for_width", "describe_column", "describe_difference",
    "Difference", "finest_decimals", "finite", "format_parameter", "format_range",
    "grade_label", "interval_decimals", "is_money", "mean_and_interval", "metric_axis_label",
    "metric_label", "metric_scale", "metric_unit", "money", "money_k", "number", "hours",
    "parameter_axis_label", "parameter_label", "PARAMETER_NAMES", "parameter_note",
    "parameter_scale",
    "parameter_unit", "path_line", "percent", "PHRASES", "plain_source", "plural",
    "policy_label", "POLICY_LABELS", "REFERENCES", "refusals_sentence", "round_to",
    "sd_reading", "service_label",
    "SHORT_POLICY_LABELS", "SHORT_SERVICE_LABELS", "STATUS_LABELS", "table_lines",
    "terminal_problems", "tidy_floats", "value_text", "verdict", "WIDTH", "wrap",
    "write_tables", "YOUR_PLAN", "YOUR_PLAN_LABEL",
]
