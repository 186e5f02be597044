"""The presentation layer: every number and name a person reads, said the same way everywhere.

Labels (policies, services, grades, parameters, outcomes, sources), units, rounding to
meaningful precision, signs and wording of differences, the changed-from-defaults summary,
export data dictionaries, terminal layout and figure helpers. The command line, the figures, the sweep report,
the dashboard and the notebooks all take their words and numbers from here, so a principal
reads "Push-in (co-taught)" and "$180,000" on every page, never ``push_in_collaborative`` or
``1.803e+05``.

Words, numbers, exports and terminal layout live in `inclusion_sim.present` (so the library's
own text can use them too) and are re-exported here with the cards and figure helpers. The
names below are the stable interface; the submodules are an implementation detail.
"""

from __future__ import annotations

from inclusion_sim.faces.present.cards import (
    CARD_METRICS,
    OutcomeCard,
    means_table,
    outcome_card,
    outcome_cards,
    run_label,
)
from inclusion_sim.faces.present.figures import (
    caption,
    caption_text,
    scale_axis,
    text_problems,
)
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
    SUBJECT_LABELS,
    WHERE_LABELS,
    setting_label,
)
from inclusion_sim.present.numbers import (
    counted,
    decimals_for_width,
    finite,
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
    parameter_scale,
    parameter_unit,
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
    "COLLABORATION_LABELS", "SHORT_SUBJECTS", "SUBJECT_LABELS", "WHERE_LABELS", "setting_label",
    "caption", "caption_text", "CARD_METRICS", "changed_parameters", "changes_summary",
    "COLUMNS", "counted", "csv_text", "data_dictionary", "decimals_for_width",
    "describe_column", "describe_difference", "Difference", "finest_decimals", "finite",
    "format_parameter", "format_range", "grade_label", "interval_decimals", "is_money",
    "mean_and_interval", "means_table", "metric_axis_label", "metric_label", "metric_scale",
    "metric_unit", "money", "money_k", "number", "outcome_card", "outcome_cards", "OutcomeCard",
    "parameter_axis_label", "parameter_label", "PARAMETER_NAMES", "parameter_scale",
    "parameter_unit", "path_line", "percent", "PHRASES", "plain_source", "plural",
    "policy_label", "POLICY_LABELS", "REFERENCES", "round_to", "run_label", "scale_axis",
    "sd_reading", "service_label", "SHORT_POLICY_LABELS", "SHORT_SERVICE_LABELS",
    "STATUS_LABELS", "table_lines", "terminal_problems", "text_problems", "tidy_floats",
    "value_text", "verdict", "WIDTH", "wrap", "write_tables", "YOUR_PLAN", "YOUR_PLAN_LABEL",
]
