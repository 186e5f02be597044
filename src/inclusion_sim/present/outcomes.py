"""Outcomes in plain words: values, differences between policies and their 95% intervals.

A difference is said once, consistently: the number in the sentence is the interval's mean
rounded like the interval ("50 fewer hours"; "95% interval: 47 to 53 fewer hours"), an interval
that spans zero is read as "about the same", nouns agree with their number ("1 point less"),
0-1 scales are shown out of 100 and money in round dollars.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from inclusion_sim.model.outcomes import ALL_METRICS as METRICS
from inclusion_sim.present.numbers import (
    SHOWN_DECIMALS,
    finite,
    money,
    number,
    plural,
    round_to,
    significant_decimals,
)
from inclusion_sim.present.words import metric_label, metric_scale, metric_unit


def finest_decimals(metric: str) -> int:
    """The finest decimals worth showing for an outcome, in its shown unit."""
    return SHOWN_DECIMALS.get(metric_unit(metric), 2)


def is_money(metric: str) -> bool:
    """Whether an outcome is in dollars."""
    info = METRICS.get(metric)
    return info is not None and info.unit.startswith("USD")


def interval_decimals(metric: str, low: float, high: float) -> int:
    """Decimals for an outcome's mean and interval, from the interval's width (shown unit).

    The interval is shown with about four steps of its last digit across it: a width of 6
    hours to the hour, 0.4 hours to the tenth, $24,000 to the thousand; never finer than the
    outcome's meaningful resolution (`finest_decimals`), nor than three significant digits of
    its larger end (a simulated 144 hours is not known to the tenth, however narrow the
    interval).
    """
    finest = finest_decimals(metric)
    width = (high - low) * metric_scale(metric) if finite(low) and finite(high) else math.nan
    if not finite(width) or width < 0:
        return finest
    largest = max(abs(low), abs(high)) * metric_scale(metric)
    # A width of 0 (the same in every run, a fixed school's co-planning) sets no limit.
    by_width = math.ceil(-math.log10(width / 4)) if width > 0 else finest
    return max(-6, min(finest, by_width, significant_decimals(largest, 3) if largest else finest))


def value_text(metric: str, value: float, decimals: int | None = None, signed: bool = False,
               unit: bool = False) -> str:
    """An outcome's value as shown: on its shown scale, rounded, dollars as "$14,900".

    Args:
        metric: The outcome (`inclusion_sim.model.outcomes.METRICS` key).
        value: The value in the model's unit (a 0-1 scale from 0 to 1).
        decimals: Rounding (default: money to three significant digits, others to the unit's
            resolution).
        signed: Show "+" on positive values (for differences).
        unit: Append the shown unit ("12.5 points (0-100 scale)"; money needs none).
    """
    if not finite(value):
        return "n/a"
    shown = float(value) * metric_scale(metric)
    if is_money(metric):
        text = money(shown, decimals, signed)
        per = metric_unit(metric).removeprefix("$")
        return f"{text}{per}" if unit and per else text
    text = number(shown, finest_decimals(metric) if decimals is None else decimals, signed)
    shown_unit = metric_unit(metric)
    if not unit or not shown_unit:
        return text
    return f"{text}%" if shown_unit == "%" else f"{text} {shown_unit}"


# --------------------------------------------------------------------------- differences

@dataclass(frozen=True)
class _Phrase:
    """How a difference in one outcome is said.

    ``template`` has ``{n}`` (the number as shown), ``{noun}`` (agreeing with it) and
    ``{word}`` (``up`` or ``down``).
    """

    template: str
    up: str
    down: str
    noun: tuple[str, str] = ("", "")


_HOURS = ("hour", "hours")
_POINTS = ("point", "points")
_PP = ("percentage point", "percentage points")
_SD = ("standard deviation", "standard deviations")
_MINUTES = ("minute", "minutes")

PHRASES: dict[str, _Phrase] = {
    "iep_core_hours_missed": _Phrase(
        "Students with IEPs miss {n} {word} {noun} of core instruction a year each", "more",
        "fewer", _HOURS),
    "iep_other_hours_missed": _Phrase(
        "Students with IEPs miss {n} {word} {noun} of specials, lunch and recess a year each",
        "more", "fewer", _HOURS),
    "cost_usd": _Phrase("Related services and co-planning cost {n} {word} a year", "more",
                        "less"),
    "cost_per_delivered_hour": _Phrase("Each student-hour of service delivered costs {n} {word}",
                                       "more", "less"),
    "mandate_compliance": _Phrase("{n} {noun} {word} of the mandated minutes are delivered",
                                  "more", "fewer", _PP),
    "unmet_minutes_per_week": _Phrase("{n} {word} mandated {noun} a week cannot be scheduled",
                                      "more", "fewer", _MINUTES),
    "iep_mastery": _Phrase("Students with IEPs master their IEP goals {n} {noun} {word} "
                           "(0-100 scale)", "more", "less", _POINTS),
    "iep_generalization": _Phrase("Students with IEPs use {n} {noun} {word} of what they have "
                                  "mastered in class", "more", "less", _PP),
    "iep_carryover": _Phrase("Students with IEPs use their IEP skills in class {n} {noun} "
                             "{word} (0-100 scale)", "more", "less", _POINTS),
    "iep_stigma": _Phrase("Students with IEPs feel {n} {noun} {word} stigma (0-100 scale)",
                          "more", "less", _POINTS),
    "iep_belonging": _Phrase("Students with IEPs feel {n} {noun} {word} belonging (0-100 scale)",
                             "more", "less", _POINTS),
    "iep_academic_growth_sd": _Phrase("Students with IEPs grow {n} {noun} {word} academically",
                                      "more", "less", _SD),
    "peer_academic_growth_sd": _Phrase("Classmates without IEPs grow {n} {noun} {word} "
                                       "academically", "more", "less", _SD),
    "peer_spillover_sd": _Phrase("Classmates gain {n} {noun} {word} from a second adult or a "
                                 "smaller class", "more", "less", _SD),
    "peer_spillover_weakest_sd": _Phrase("The weakest classmates gain {n} {noun} {word} from a "
                                         "second adult or a smaller class", "more", "less",
                                         _SD),
    "teacher_strategy_use": _Phrase("Teachers use therapy strategies {n} {noun} {word} where "
                                    "they apply (0-100 scale)", "more", "less", _POINTS),
    "coordination_hours": _Phrase("Co-planning takes {n} {word} staff {noun} a year", "more",
                                  "fewer", _HOURS),
    "therapist_direct_hours": _Phrase("Therapists spend {n} {word} {noun} in sessions", "more",
                                      "fewer", _HOURS),
    "therapist_travel_hours": _Phrase("Therapists spend {n} {word} {noun} travelling between "
                                      "classrooms", "more", "fewer", _HOURS),
    "share_full_services": _Phrase("{n} {noun} {word} of students with IEPs get every mandated "
                                   "minute in a month", "more", "fewer", _PP),
    "sessions_lost_student_absent": _Phrase("Students with IEPs lose {n} {word} {noun} a year "
                                            "each to absence", "more", "fewer",
                                            ("session", "sessions")),
    "made_up_minutes_per_iep_student": _Phrase("Students with IEPs get {n} {word} {noun} of "
                                               "make-up sessions a year each", "more", "fewer",
                                               _MINUTES),
    "iep_hours_absent": _Phrase("Students with IEPs miss {n} {word} {noun} of lessons a year "
                                "each by being absent", "more", "fewer", _HOURS),
    "wasted_minutes_per_iep_student": _Phrase(
        "{n} {word} session {noun} per student are lost to refusals and absences", "more",
        "fewer", _MINUTES),
}


def _phrase(metric: str) -> _Phrase:
    if metric in PHRASES:
        return PHRASES[metric]
    unit = metric_unit(metric)
    return _Phrase(metric_label(metric) + ": {n} {noun} {word}", "higher", "lower", (unit, unit))


def _amount(metric: str, value: float, decimals: int) -> str:
    """The size of a difference with its noun, no sign: "50 hours", "1 point", "$14,900"."""
    text = value_text(metric, abs(value), decimals)
    noun = _phrase(metric).noun
    if not noun[0]:
        return text
    return f"{text} {plural(text, *noun)}"


def sd_reading(value: float) -> str:
    """An everyday reading of an academic difference in standard deviations.

    For scale: a typical year's growth in grades 3 to 5 is about 0.4 to 0.9 SD (Hill, Bloom,
    Black & Lipsey 2008) and Tennessee's classes about 7 students smaller gained about 0.2 SD
    in a year.
    """
    size = abs(value)
    if not finite(size):
        return ""
    if size < 0.05:
        return "a very small difference"
    if size < 0.2:
        return "a small difference (classes about 7 students smaller gain about 0.2 a year)"
    if size < 0.5:
        return "a moderate difference (about half of a typical year's growth in grades 3 to 5)"
    return "a large difference (about a typical year's growth in grades 3 to 5)"


@dataclass(frozen=True)
class Difference:
    """A paired difference from the baseline, in words.

    Attributes:
        metric: The outcome.
        sentence: The difference said in one sentence ("... than with Pull-out.").
        interval: The 95% interval in the same words and rounding ("95% interval: 47 to 53
            fewer hours"), or how to get one.
        amount: The mean's size with its noun and no sign ("50 hours").
        direction: "up", "down" or "same" (the interval spans zero, or the mean rounds to 0).
        decimals: The rounding used for the mean and the interval (shown unit).
    """

    metric: str
    sentence: str
    interval: str
    amount: str
    direction: str
    decimals: int


def _interval_words(metric: str, low: float, high: float, decimals: int) -> str:
    phrase = _phrase(metric)
    if round_to(low * metric_scale(metric), decimals) == 0 and \
            round_to(high * metric_scale(metric), decimals) == 0:
        step = _amount(metric, 10.0 ** -decimals / metric_scale(metric), decimals)
        side = "either way" if low < 0 < high else (phrase.up if high > 0 else phrase.down)
        return f"95% interval: less than {step} {side}"
    lo_text = _amount(metric, low, decimals)
    hi_text = _amount(metric, high, decimals)
    if low == high:
        return f"95% interval: {hi_text} {phrase.up if high > 0 else phrase.down} in every run"
    if low >= 0 or high <= 0:
        word = phrase.up if low >= 0 else phrase.down
        near, far = (low, high) if low >= 0 else (high, low)
        near_text = value_text(metric, abs(near), decimals)
        far_text = _amount(metric, far, decimals)
        if near_text == value_text(metric, abs(far), decimals):
            return f"95% interval: {far_text} {word} (narrower than this rounding)"
        return f"95% interval: {near_text} to {far_text} {word}"
    return f"95% interval: from {lo_text} {phrase.down} to {hi_text} {phrase.up}"


def describe_difference(metric: str, mean: float, low: float, high: float,
                        baseline_label: str) -> Difference:
    """Say one paired difference (policy minus baseline) and its 95% interval in words.

    Args:
        metric: The outcome.
        mean: Mean difference, in the model's unit.
        low: Lower end of its 95% interval (NaN when there is a single replicate).
        high: Upper end.
        baseline_label: The baseline policy's name as shown.
    """
    title = metric_label(metric)
    has_interval = finite(low) and finite(high)
    decimals = interval_decimals(metric, low, high) if has_interval else (
        None if is_money(metric) else finest_decimals(metric))
    if not finite(mean):
        return Difference(metric, f"{title}: not measured in this comparison.",
                          "No interval: not measured.", "n/a", "same", decimals or 0)
    if decimals is None:  # money without an interval: as `money` rounds it
        decimals = min(0, significant_decimals(mean, 3)) if abs(mean) >= 1000 else 0
    shown_value = round_to(mean * metric_scale(metric), decimals)
    spans_zero = has_interval and low <= 0 <= high
    if shown_value == 0 or spans_zero:
        direction = "same"
        sentence = f"{title}: about the same as with {baseline_label}."
    else:
        direction = "up" if mean > 0 else "down"
        phrase = _phrase(metric)
        text = phrase.template.format(n=value_text(metric, abs(mean), decimals),
                                      noun=plural(value_text(metric, abs(mean), decimals),
                                                  *phrase.noun) if phrase.noun[0] else "",
                                      word=phrase.up if mean > 0 else phrase.down)
        text = " ".join(text.split())
        sentence = f"{text[0].upper()}{text[1:]} than with {baseline_label}"
        sentence += f": {sd_reading(mean)}." if metric.endswith("_sd") else "."
    interval = (_interval_words(metric, low, high, decimals) if has_interval else
                "Run two or more replicates to see the uncertainty.")
    return Difference(metric, sentence, interval, _amount(metric, mean, decimals), direction,
                      decimals)


def verdict(metric: str, mean: float, low: float, high: float) -> str:
    """"better", "worse", "unclear" (the interval spans zero) or "neither" for a difference."""
    info = METRICS.get(metric)
    better = info.better if info else "neither"
    if better == "neither" or not finite(mean):
        return "neither"
    if finite(low) and finite(high) and low <= 0 <= high:
        return "unclear"
    if mean == 0:
        return "unclear"
    return "better" if (mean > 0) == (better == "higher") else "worse"


def mean_and_interval(metric: str, mean: float, low: float, high: float,
                      decimals: int | None = None) -> str:
    """A mean with its interval's half-width, rounded alike: "29.0 ± 0.4", "$142,000 ± $3,000".

    For tables of levels (not differences); "n/a" when the mean is missing and the mean alone
    when there is no interval.

    Args:
        metric: The outcome.
        mean: The mean, in the model's unit.
        low: Lower end of its 95% interval.
        high: Upper end.
        decimals: Rounding to use (default: from this interval's width), e.g. a table row's
            common precision.
    """
    if not finite(mean):
        return "n/a"
    if not (finite(low) and finite(high)):
        return value_text(metric, mean, decimals)
    if decimals is None:
        decimals = interval_decimals(metric, low, high)
    half = (high - low) / 2
    return f"{value_text(metric, mean, decimals)} ± {value_text(metric, half, decimals)}"
