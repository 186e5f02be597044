"""Stage 2, delivery: policies, the weekly scheduler and the weekly plan of who is where.

It turns a `School` and a `Policy` into a `WeeklySchedule` (sessions, unmet minutes, therapist
loads) and then into one `SlotPlan` per slot of the week, which is all the model reads about
timetables.
"""
