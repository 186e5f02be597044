"""The model's mechanisms, one module each, as functions over state arrays.

They run in this order every slot (see `inclusion_sim.model.SchoolModel.step`):

1. `sessions` — who is where (the weekly plan is built once from the schedule).
2. `resistance` — refusals and absences turn scheduled minutes into wasted or lost minutes.
3. `therapy` — effective minutes raise goal mastery and classroom carry-over.
4. `instruction` — present students learn in core lessons; absent ones build a backlog.
5. `teacher_practice` — teachers who use a strategy give practice in relevant lessons.
6. `teacher_learning` — observing push-in raises knowledge (weekly: adoption and fading).
7. `peer_modeling` — skilled classmates model the skill in relevant lessons.
8. `spillover` — a pushed-in therapist helps classmates (and can disrupt the lesson).
9. `stigma` — visible support raises felt stigma; it fades; belonging and engagement follow.
10. `ledger` — minutes and costs.
"""
