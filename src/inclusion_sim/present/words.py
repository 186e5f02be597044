"""Plain names for the library's identifiers: policies, services, grades, parameters, outcomes.

The library names things for programmers (``push_in_collaborative``, ``transition_minutes``,
grade ``0``); a principal reads "Push-in (co-taught)", "Walk to and from the therapy room",
"K". Every face (command line, figures, reports, exports, dashboard, notebooks) takes its words
from here, so the same thing is called the same everywhere. The metadata itself stays where it
is declared: parameters in `inclusion_sim.base.params.PARAMETERS`, outcomes in
`inclusion_sim.model.outcomes.METRICS`, services in `inclusion_sim.school.world.SERVICE_LABELS`.
"""

from __future__ import annotations

import re
import unicodedata

from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.model.outcomes import ALL_METRICS as METRICS
from inclusion_sim.school.world import SERVICE_LABELS

# --------------------------------------------------------------------------- policies

#: Names of the preset policies (every service delivered the same way), in the order offered.
POLICY_LABELS: dict[str, str] = {
    "pull_out": "Pull-out",
    "push_in": "Push-in (alongside the lesson)",
    "push_in_collaborative": "Push-in (co-taught)",
    "hybrid": "Hybrid (half out, half co-taught in)",
    "hybrid_parallel": "Hybrid (half out, half in alongside)",
    "after_school": "After school",
}

#: Shorter names for legends, tick labels and narrow table columns. Each keeps its long name's
#: words in the same order ("Push-in, co-taught" for "Push-in (co-taught)"), so a report and the
#: dashboard name a policy alike; a bare "Push-in" would read as push-in of either kind.
SHORT_POLICY_LABELS: dict[str, str] = {
    "pull_out": "Pull-out",
    "push_in": "Push-in, alongside",
    "push_in_collaborative": "Push-in, co-taught",
    "hybrid": "Hybrid, co-taught",
    "hybrid_parallel": "Hybrid, alongside",
    "after_school": "After school",
}

#: The key and name of a policy a user assembled service by service.
YOUR_PLAN = "your_plan"
YOUR_PLAN_LABEL = "Your plan"


def policy_label(key: str, short: bool = False) -> str:
    """What a person reads for a policy key.

    Args:
        key: A preset's name (`inclusion_sim.delivery.policies.POLICY_PRESETS`) or `YOUR_PLAN`.
            Any other key (a policy defined in a scenario file) is shown with its underscores
            turned into spaces, since its author chose the name.
        short: The shorter name, for legends and tick labels.
    """
    if key == YOUR_PLAN:
        return YOUR_PLAN_LABEL
    table = SHORT_POLICY_LABELS if short else POLICY_LABELS
    if key in table:
        return table[key]
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- services, grades

#: Service names short enough for a timetable cell or a legend.
SHORT_SERVICE_LABELS: dict[str, str] = {"speech": "Speech", "ot": "OT", "pt": "PT",
                                        "counseling": "Counseling", "setss": "SETSS"}


def service_label(service: str, short: bool = False) -> str:
    """A related service's name ("Speech-language therapy"; short: "Speech")."""
    table = SHORT_SERVICE_LABELS if short else SERVICE_LABELS
    return table.get(service, str(service).replace("_", " "))


def grade_label(grade: int | str, long: bool = False) -> str:
    """A grade as schools write it: "Pre-K", "K", "3" (long: "Kindergarten", "Grade 3").

    The model numbers grades with pre-kindergarten as -1 and kindergarten as 0, which nobody
    says; "grade 0" must never reach a page.
    """
    text = str(grade).strip().upper()
    number = {"PK": -1, "PRE-K": -1, "K": 0, "KF": 0, "KP": 0}.get(text)
    if number is None:
        try:
            number = int(float(text))
        except ValueError:
            return str(grade)
    if number == -1:
        return "Pre-kindergarten" if long else "Pre-K"
    if number == 0:
        return "Kindergarten" if long else "K"
    return f"Grade {number}" if long else str(number)


# --------------------------------------------------------------------------- parameters

#: How trustworthy a parameter's default is, in words (`inclusion_sim.base.params.Param.status`).
STATUS_LABELS = {"read": "From a study", "secondary": "From a review citing a study",
                 "estimate": "Estimate (no study found)"}


#: Every model parameter's name, to tell them from other columns of a sweep.
PARAMETER_NAMES: frozenset[str] = frozenset(PARAMETERS)


def parameter_label(name: str) -> str:
    """A parameter's plain name ("Walk to and from the therapy room")."""
    return PARAMETERS[name].label


# --------------------------------------------------------------------------- outcomes

#: Units the model keeps from 0 to 1, and how they are shown: out of 100, as the dashboard does.
_SHOWN_UNITS = {"0-1 scale": "points (0-100 scale)", "share": "%", "SD": "SD",
                "USD": "$", "USD per student-hour": "$ per student-hour"}


def metric_label(metric: str) -> str:
    """An outcome's plain name, or its identifier made readable for an outcome the model lacks."""
    info = METRICS.get(metric)
    if info is not None:
        return info.label
    text = str(metric).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def metric_scale(metric: str) -> float:
    """The factor from the model's unit to the shown one: 100 for 0-1 scales and shares."""
    info = METRICS.get(metric)
    return 100.0 if info is not None and info.unit in ("0-1 scale", "share") else 1.0


def metric_unit(metric: str) -> str:
    """An outcome's unit as people read it (0-1 scales out of 100, shares in %, dollars as $)."""
    info = METRICS.get(metric)
    if info is None:
        return ""
    return _SHOWN_UNITS.get(info.unit, info.unit)


def metric_axis_label(metric: str, difference: bool = False) -> str:
    """A figure axis's label: what is measured and in which unit ("Cost ($ thousand)")."""
    info = METRICS.get(metric)
    unit = metric_unit(metric)
    if info is not None and info.unit.startswith("USD"):
        unit = "$ thousand" if info.unit == "USD" else unit
    label = metric_label(metric)
    if difference:
        label = "Difference"
    return f"{label} ({unit})" if unit else label


# --------------------------------------------------------------------------- sources

#: The literature notes' row codes (``docs/literature.md``), as the works they stand for.
REFERENCES: dict[str, str] = {
    "A7": "Brandel & Loeb 2011",
    "A9": "ASHA 2022 Schools Survey",
    "A14": "CT SERC 2016 co-teaching survey",
    "A15": "Deno, Fuchs, Marston & Shin 2001",
    "A26": "Hill, Bloom, Black & Lipsey 2008",
    "A27": "Tennessee STAR experiment (Krueger 1999; Finn & Achilles 1999)",
    "A28": "Schulte et al. 2016",
    "A29": "Schulte & Stevens 2015",
    "A30": "Gilmour, Fuchs & Wehby 2019",
    "B16": "no study measured this",
    "B17": "Elbaum 2002; Krämer et al. 2021",
    "B18": "Jenkins & Heinen 1989; Klingner et al. 1998",
    "B19": "no study found",
    "B20": "Joyce & Showers 2002",
    "B21": "Wilcox, Kouri & Caswell 1991",
    "B24": "Zhang & Wheeler 2011",
    "F1": "Throneburg et al. 2000",
    "F2": "Joyce & Showers 2002",
    "F3": "Krämer et al. 2021; Szumski et al. 2017",
    "F4": "Case-Smith, Weaver & Holland 2014",
    "F5": "Wilcox, Kouri & Caswell 1991",
}

_CODE = r"(?:[AB]\d{1,2}|(?:C\s?)?F\d)"
_CODES = re.compile(rf"(?:lit\.\s*)?\b({_CODE}(?:\s*/\s*{_CODE})*)\b(:\s*)?")


def _citation(codes: str) -> str:
    works: list[str] = []
    for code in re.split(r"\s*/\s*", codes):
        work = REFERENCES.get(re.sub(r"^C\s?", "", code).strip())
        if work and work not in works:
            works.append(work)
    return "; ".join(works)


def _folded(text: str) -> str:
    """Text without accents, for matching "Krämer" with "Kramer"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def plain_source(text: str) -> str:
    """A parameter's source with the literature notes' row codes replaced by the works.

    "lit. B16: no measurement found" reads "no measurement found"; "lit. A14: CT SERC 2016
    co-teaching survey" keeps the survey; "lit. B17 (qualitative)" becomes "Elbaum 2002;
    Krämer et al. 2021 (qualitative)". A code whose work the text already names is dropped,
    so no author is named twice.
    """
    folded = _folded(text)

    def replace(match: re.Match) -> str:
        work = _citation(match.group(1))
        if not work:
            return match.group(0)
        outside = folded[:match.start()] + " " + folded[match.end():]
        first_author = re.split(r"[ ,;(]", _folded(work), maxsplit=1)[0]
        if work.startswith("no ") and match.group(2):
            return ""
        if first_author in outside:
            return ""
        return f"{work}: " if match.group(2) else work

    out = _CODES.sub(replace, text)
    for pattern, repl in ((r"\(\s*\)", ""), (r"\(\s*[;,]\s*", "("), (r"\s*[;,]\s*\)", ")"),
                          (r"^\s*[,;:]\s*", ""), (r"\s+([,;:)])", r"\1"), (r"\s{2,}", " ")):
        out = re.sub(pattern, repl, out)
    out = out.strip()
    if out.startswith("(") and out.endswith(")") and out.count("(") == 1:
        out = out[1:-1]
    return out[:1].upper() + out[1:] if out else out
