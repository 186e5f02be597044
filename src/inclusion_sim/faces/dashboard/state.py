"""The dashboard's state, one copy per browser session.

Solara keeps the value of a `solara.reactive` variable per virtual kernel, i.e. per browser
page, even though the variable is declared once here: two principals using the same server
never see each other's school, upload or results. Nothing in this module holds data at module
level except these reactive variables, and the comparison task (`solara.lab.task`), which also
keeps one result per kernel.
"""

from __future__ import annotations

from typing import Any

import solara

from inclusion_sim.delivery.policies import POLICY_PRESETS, Policy, ServicePolicy
from inclusion_sim.faces.present import (  # noqa: F401  (re-exported for the pages)
    POLICY_LABELS,
    YOUR_PLAN,
    YOUR_PLAN_LABEL,
    policy_label,
)
from inclusion_sim.school.world import SERVICES

#: How the delivery models are named on the page, and what each means.
DELIVERY_CHOICES: dict[str, tuple[str, str]] = {
    "pull_out": ("Pull-out", "The therapist takes the student out of class to a therapy room."),
    "push_in_parallel": ("Push-in (alongside the lesson)", "The therapist works with the "
                         "student in class, alongside the lesson, without co-planning with the "
                         "teacher."),
    "push_in_collaborative": ("Push-in (co-taught)", "Therapist and teacher co-plan and "
                              "co-teach; costs co-planning time for both."),
    "hybrid": ("Hybrid (half out, half co-taught in)", "About half the sessions pulled out for focused "
               "practice, the rest pushed in (co-taught) to practise in the real lesson."),
    "after_school": ("After school", "Sessions after the school day: no class time is missed, "
                     "but attendance and focus are lower."),
}

#: Labels of the preset policies (every service delivered the same way), in the order offered.
PRESET_LABELS: dict[str, str] = POLICY_LABELS


def policy_options() -> dict[str, str]:
    """Label -> key of every policy the pages offer, so a select shows only labels."""
    return {**{label: key for key, label in PRESET_LABELS.items()}, YOUR_PLAN_LABEL: YOUR_PLAN}


#: Parameters offered on the Policy page: the ones administrators ask about most.
KEY_PARAMETERS: tuple[str, ...] = (
    "transition_minutes",
    "push_in_travel_minutes",
    "coplanning_minutes",
    "stigma_per_removal",
    "pull_out_refusal_rate",
    "school_therapist_cost",
    "agency_therapist_cost",
    "teacher_cost",
)


def service_policy(choice: str, avoid_core: bool = False,
                   makeup: bool = False) -> ServicePolicy:
    """Turn a delivery choice from the page into the library's `ServicePolicy`.

    ``makeup``: sessions cancelled by an absence, an event or duties are made up later in the
    same week where therapist and student are both free (only matters when the school's year
    has disruptions on).
    """
    how = {"push_in_parallel": ("push_in", "parallel"),
           "push_in_collaborative": ("push_in", "collaborative"),
           "hybrid": ("hybrid", "collaborative")}.get(choice, (choice, "parallel"))
    return ServicePolicy(*how, avoid_core=avoid_core,
                         makeup="same_week" if makeup else "none")


def build_plan(choices: dict[str, str], avoid_core: bool, makeup: bool = False) -> Policy:
    """The user's own policy: a delivery model per service."""
    return Policy(YOUR_PLAN, {s: service_policy(choices.get(s, "pull_out"), avoid_core, makeup)
                              for s in SERVICES})


def policy_for(key: str) -> tuple[str, str, Policy]:
    """(key, label, policy) for a preset name or `YOUR_PLAN`, read from this session."""
    if key == YOUR_PLAN:
        return key, YOUR_PLAN_LABEL, build_plan(plan_choices.value, plan_avoid_core.value,
                                                plan_makeup.value)
    return key, PRESET_LABELS.get(key, key), POLICY_PRESETS[key]


# --- the school ------------------------------------------------------------------------------
#: The `SchoolChoice` in use (None until one is picked).
school_choice: solara.Reactive[Any] = solara.reactive(None)
#: Key of the ready school picked in the list ("" for an upload).
ready_key = solara.reactive("")
#: Problems of the last upload or load, as (file, where, what) rows; empty when it worked.
load_problems: solara.Reactive[list[dict[str, str]]] = solara.reactive([])
load_message = solara.reactive("")
upload_busy = solara.reactive(False)

#: Policies the School page's staffing check schedules.
staffing_policies = solara.reactive(["pull_out", "push_in_collaborative"])
#: (the `SchoolChoice` checked, the check's table), or None; set by the task in `app`.
staffing_result: solara.Reactive[Any] = solara.reactive(None)
staffing_text = solara.reactive("")

# --- the policy ------------------------------------------------------------------------------
plan_choices: solara.Reactive[dict[str, str]] = solara.reactive(
    {"speech": "push_in_collaborative", "ot": "push_in_collaborative", "pt": "pull_out",
     "counseling": "push_in_collaborative", "setss": "hybrid"})
plan_avoid_core = solara.reactive(False)
#: Make up cancelled sessions later in the same week (your plan only).
plan_makeup = solara.reactive(False)
#: Parameter values the user changed (name -> value).
overrides: solara.Reactive[dict[str, float]] = solara.reactive({})

# --- the comparison ----------------------------------------------------------------------------
compared = solara.reactive(["pull_out", "push_in_collaborative", YOUR_PLAN])
replicates = solara.reactive(5)
weeks = solara.reactive(36)
progress_text = solara.reactive("")
#: The finished `Comparison` (None until one ran); set by the task in `app`.
comparison: solara.Reactive[Any] = solara.reactive(None)
weekly_metric = solara.reactive("iep_core_hours_missed")
distribution_column = solara.reactive("core_minutes_missed")

# --- the classroom and the student ---------------------------------------------------------------
classroom_id = solara.reactive("")
classroom_policy = solara.reactive("pull_out")
#: Position in the class's week shown on the Classroom page (index into its list of periods).
#: None until the user steps: the page then opens on the first period where something happens.
classroom_step: solara.Reactive[int | None] = solara.reactive(None)
#: Week of the year shown on the Classroom page when the year has disruptions (0-based); None
#: until the user picks one: the page then opens on the class's first week with a loss.
classroom_week: solara.Reactive[int | None] = solara.reactive(None)
student_id = solara.reactive("")
