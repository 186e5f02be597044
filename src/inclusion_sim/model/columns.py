"""What the columns of the library's tables mean: label, unit and description.

Outcome columns are described by `inclusion_sim.model.outcomes.METRICS` and parameter columns
by `inclusion_sim.base.params.PARAMETERS`; this table holds every other column of a run's,
a comparison's, a sweep's and the sensitivity analysis's tables, so each exported CSV ships a
data dictionary (`inclusion_sim.model.outcomes.describe_column`).
"""

from __future__ import annotations

#: Columns that are not outcomes or parameters: (label, unit, description).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "policy": ("Policy", "", "The delivery policy's identifier (e.g. pull_out, push_in)."),
    "policy_label": ("Policy (name)", "", "The delivery policy's plain name."),
    "baseline": ("Baseline policy", "", "The policy the others are compared with."),
    "reference": ("Reference policy", "", "The policy the others are compared with."),
    "replicate": ("Replicate", "number", "Replicate number; replicate k uses the same seed "
                  "under every policy, so results are paired."),
    "seed": ("Seed", "", "The random seed of the run."),
    "wall_seconds": ("Run time", "seconds", "Wall-clock time of the run in its worker, waiting "
                     "for a busy machine's cores included."),
    "cpu_seconds": ("CPU time of the run", "seconds", "CPU time of the worker process during "
                    "the run: what the run cost, whatever else the machine was doing."),
    "week": ("School week", "week", "Week of the school year (0 = the start)."),
    "school_week": ("School week", "week", "Week of the school year the make-up was held in "
                    "(1 = the first week)."),
    "day": ("Day", "", "Day of the week."),
    "period": ("Period", "number", "Period of the school day (1 = the first)."),
    "replaces_day": ("Day of the lost session", "", "Day the session made up had in the "
                     "weekly timetable."),
    "replaces_period": ("Period of the lost session", "number", "Period the session made up "
                        "had in the weekly timetable."),
    "kind": ("Kind of make-up", "", "'same week': later in the week the session was lost; "
             "'make-up week': in the indirect week of the 3:1 model, at the session's period."),
    "held": ("Held", "true/false", "False where the student refused the make-up session."),
    "made_up_refused_minutes": ("Make-up minutes refused", "minutes", "Minutes of make-up "
                                "sessions the student refused (the session they replaced is "
                                "already counted as lost)."),
    "metric": ("Outcome", "", "The outcome's identifier; its label and unit are in this "
               "dictionary."),
    "baseline_mean": ("Baseline mean", "the outcome's unit", "Mean of the outcome under the "
                      "baseline policy, over the paired replicates."),
    "reference_mean": ("Reference mean", "the outcome's unit", "Mean of the outcome under the "
                       "reference policy."),
    "policy_mean": ("Policy mean", "the outcome's unit", "Mean of the outcome under the policy, "
                    "over the paired replicates."),
    "difference": ("Difference from the baseline", "the outcome's unit",
                   "Mean paired difference, policy minus baseline."),
    "ci_low": ("95% interval, low end", "the outcome's unit", "Lower end of the 95% confidence "
               "interval of the difference."),
    "ci_high": ("95% interval, high end", "the outcome's unit", "Upper end of the 95% confidence "
                "interval of the difference."),
    "replicates": ("Paired replicates", "number", "Replicates the difference is computed from."),
    "n_pairs": ("Paired runs", "number", "Runs the difference is computed from."),
    "scheduled_minutes_per_week": ("Scheduled minutes a week", "minutes per week",
                                   "Weekly therapy minutes the timetable schedules, summed over "
                                   "students (mean over replicates)."),
    "delivered_minutes_per_week": ("Delivered minutes a week", "minutes per week",
                                   "Weekly therapy minutes delivered after refusals and "
                                   "absences, summed over students."),
    "withheld_minutes_per_week": ("Withheld minutes a week", "minutes per week",
                                  "Minutes held back to give every policy the same dose (0 "
                                  "unless compared at equal dose)."),
    "unmet_by_schedule_minutes_per_week": ("Minutes the timetable could not fit",
                                           "minutes per week", "Mandated minutes a week with no "
                                           "place in the timetable."),
    "largest_gap_minutes_per_week": ("Largest dose gap", "minutes per week",
                                     "Largest difference from the baseline in one student's "
                                     "weekly minutes of one service."),
    "student_id": ("Student", "", "The student's identifier."),
    "class_id": ("Class", "", "The class's identifier."),
    "grade": ("Grade", "", "Grade: -1 pre-kindergarten, 0 kindergarten, 1 to 12."),
    "has_iep": ("Has an IEP", "true/false", "Whether the student has an IEP."),
    "baseline_sd": ("Starting achievement", "SD", "Achievement at the start of the year, "
                    "relative to the grade's average."),
    "academic_growth_sd": ("Academic growth", "SD", "Academic growth over the run."),
    "spillover_sd": ("Gain from a second adult or a smaller class", "SD",
                     "Growth from a pushed-in therapist or a smaller class."),
    "core_minutes_missed": ("Core instruction missed", "minutes", "Minutes of core lessons "
                            "missed in the run."),
    "other_minutes_missed": ("Non-core lessons missed", "minutes", "Minutes of specials, lunch "
                             "and recess missed in the run."),
    "backlog_minutes": ("Missed material not yet caught up", "minutes", "Core minutes missed "
                        "and not yet caught up at the end of the run."),
    "stigma": ("Felt stigma", "0-1 scale", "Felt stigma at the end of the run."),
    "belonging": ("Belonging", "0-1 scale", "Belonging at the end of the run."),
    "engagement": ("Engagement", "0-1 scale", "Engagement at the end of the run."),
    "refusals": ("Sessions refused", "sessions", "Sessions the student refused in the run."),
    "service": ("Service", "", "Related service: speech, ot, pt, counseling or setss."),
    "mandated_minutes": ("Mandated minutes", "minutes", "Minutes the IEP mandates over the run."),
    "scheduled_minutes": ("Scheduled minutes", "minutes", "Minutes the timetable schedules over "
                          "the run."),
    "delivered_minutes": ("Delivered minutes", "minutes", "Minutes delivered over the run."),
    "wasted_minutes": ("Minutes lost to refusals", "minutes", "Session minutes lost to "
                       "refusals."),
    "absent_minutes": ("Minutes lost to absences", "minutes", "Session minutes lost to "
                       "absences."),
    "teacher_practice_minutes": ("Teacher practice", "minutes", "Minutes the class teacher "
                                 "practised the skill in lessons."),
    "mastery": ("Mastery of the IEP goal", "0-1 scale", "Goal mastery at the end of the run."),
    "carryover": ("Classroom use of the skill", "0-1 scale", "Use of the skill in class at the "
                  "end of the run."),
    "generalization": ("Generalization", "share", "Carry-over ÷ mastery."),
    "therapist_id": ("Therapist", "", "The therapist's identifier."),
    "discipline": ("Discipline", "", "The therapist's service."),
    "employment": ("Employment", "", "School-employed or agency."),
    "contracted_minutes_per_week": ("Contracted time", "minutes per week",
                                    "The therapist's contracted weekly minutes at the school."),
    "direct_minutes": ("Time in sessions", "minutes", "Minutes in sessions over the run."),
    "travel_minutes": ("Travel between rooms", "minutes", "Minutes moving between classrooms."),
    "coplanning_minutes": ("Co-planning", "minutes", "Minutes co-planning with teachers."),
    "consultation_minutes": ("Consultation", "minutes", "Minutes consulting teachers."),
    "utilization": ("Share of contracted time used", "share", "Direct, travel, co-planning and "
                    "consultation time ÷ contracted time."),
    "setting": ("Setting", "", "Where the session would have happened."),
    "sessions": ("Sessions", "sessions", "Number of sessions."),
    "minutes": ("Minutes", "minutes", "Minutes concerned."),
    "reason": ("Reason", "", "Why the minutes were not scheduled."),
    "teacher_strategy_knowledge": ("Teachers' knowledge of therapy strategies", "0-1 scale",
                                   "Mean over teachers and services where practice is "
                                   "possible."),
    "delivered_hours": ("Therapy delivered", "hours", "Session hours delivered, summed over "
                        "students, that week."),
    "wasted_hours": ("Therapy lost", "hours", "Session hours lost to refusals and absences."),
    "scope": ("Scope", "", "'overall' (every design point) or 'point' (one design point)."),
    "point": ("Design point", "number", "The design point's number (-1 for overall rows)."),
    "target": ("Target", "", "A policy's outcome, or the difference between two policies "
               "('push_in - pull_out')."),
    "parameter": ("Parameter", "", "The parameter's identifier; its label is in the parameter "
                  "reference."),
    "method": ("Method", "", "Sensitivity method: sobol or morris."),
    "index": ("Index", "", "S1 (first order), ST (total), mu_star or sigma (Morris)."),
    "value": ("Index value", "share of variance (Sobol) or outcome units (Morris)",
              "The sensitivity index."),
    "conf": ("95% half-width", "as the index", "Bootstrap 95% half-width of the index."),
    "flag": ("Flag", "", "Why the index should not be read as an effect (empty when it can)."),
}

#: A run's bookkeeping, the year's and the months' tables, and a sweep's manifest.
COLUMNS.update({
    "scenario": ("Scenario", "", "The scenario's name."),
    "scenario_hash": ("Scenario fingerprint", "", "Hash of the scenario's resolved settings, to "
                      "tell runs of different settings apart."),
    "weeks": ("School weeks", "weeks", "Weeks simulated: of the whole run (summary), or in the "
              "month (months table)."),
    "scheduler": ("Scheduler", "", "greedy (fast) or optimal (CP-SAT)."),
    "solver_status": ("Optimizer status", "", "OPTIMAL when the timetable is proven best."),
    "schedule_summary": ("Timetable in words", "", "What the scheduler fitted, in a sentence."),
    "ortools_version": ("OR-Tools version", "", "The optimizer's version, for reproducing the run."),
    "mandated_minutes_per_week": ("Mandated minutes a week", "minutes per week",
                                  "Weekly minutes the IEPs mandate, summed over students."),
    "schedulable_bound_minutes_per_week": ("Most any timetable could schedule",
                                           "minutes per week", "The optimizer's proven bound on "
                                           "the weekly minutes any timetable could fit."),
    "role": ("Role", "", "therapist or assistant."),
    "consultation_service_minutes": ("Consultation (as a service)", "minutes", "Minutes of "
                                     "consultation delivered as a mandated service."),
    "supervision_minutes": ("Supervision", "minutes", "Minutes supervising assistants."),
    "made_up_minutes": ("Made-up minutes", "minutes", "Minutes of make-up sessions in the run."),
    "cancelled_minutes": ("Cancelled minutes", "minutes", "Session minutes cancelled by "
                          "absences, events and paperwork."),
    "month": ("School month", "month", "Month of the school year (1 = the first four weeks)."),
    "students": ("Students with IEPs", "students", "Students with a mandate that month."),
    "share_full": ("Served in full", "share", "Share of students with IEPs receiving every "
                   "mandated minute that month."),
    "share_partial": ("Served in part", "share", "Share receiving some but not all of it."),
    "share_none": ("Not served", "share", "Share receiving none of it."),
    "delivered_share": ("Mandated minutes delivered", "share", "Delivered ÷ mandated minutes "
                        "that month, over students with IEPs."),
    "run_id": ("Run", "", "The run's identifier in the sweep (point, policy, replicate)."),
    "chunk": ("Chunk file", "", "The results file the run was written to."),
    "status": ("Status", "", "ok, or failed with an error."),
    "error": ("Error", "", "Why the run failed (empty when it did not)."),
    "traceback": ("Traceback", "", "Where the failure happened, for developers."),
    "finished_at": ("Finished at", "UTC time", "When the run finished."),
    "wall_seconds": ("Run time", "seconds", "Wall-clock seconds the run took."),
    "worker": ("Worker", "", "The process that ran it."),
})
