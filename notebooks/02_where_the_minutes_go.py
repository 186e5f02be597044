# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2. Where the minutes go
#
# An IEP promises minutes. Between the promise and the child, minutes leak: sessions that
# cannot be fitted into the timetable, sessions lost to a student refusing to come, the
# walk to the therapy room. Therapists also spend minutes that are not sessions: walking
# between classrooms, and co-planning with teachers. This notebook keeps a year's
# **ledger** for the whole school under each policy.

# %% [markdown]
# **How to use this notebook.** Click a grey code cell and press **Shift + Enter** to run it;
# the result appears underneath. Run the cells from top to bottom. Where you see sliders or
# menus, move them and the figure or table under them changes (where there is a **Show
# results** button, press it after moving them: those take a few seconds). Some exercises ask
# you to type something, such as a student's id, into a code cell made ready for it, or to
# run a line in a new cell: click **+** in the toolbar to add a cell below the one you are in.
# If something looks wrong, use *Kernel → Restart Kernel and Run All Cells*.
#
# **What this is (and is not).** This is a simulation of a made-up school of about 250 students,
# built from published research where research exists and from stated guesses where it does not.
# It is a thinking tool for discussing trade-offs, not a verdict on any real school or child.

# %%
# Run this cell first. It loads the simulation and the workshop's school.
import pandas as pd
import workshop_helpers as wh
from IPython.display import display
from ipywidgets import interact

from inclusion_sim import SchoolModel, run

# %matplotlib inline
pd.set_option("display.max_colwidth", 200)
scenario = wh.school()
print(scenario.name)

# %% [markdown]
# ## One school year under four policies
#
# Each policy is run for 36 weeks on the same school with the same random draws (seed 1),
# so differences come from the policy, not from luck. A run takes well under a second.

# %%
policies = ["pull_out", "push_in", "push_in_collaborative", "hybrid"]
results = {policy: run(scenario, seed=1, policy=policy) for policy in policies}
print("Ran one school year under:\n  " + "\n  ".join(wh.policy_name(p) for p in policies))

# %% [markdown]
# ## The students' minutes
#
# For every student and service the ledger counts the minutes mandated, the minutes the
# timetable could fit ("scheduled"), and what happened to them. Hours are *student*
# hours: a 30-minute group session with three students counts 1.5 hours.

# %%
ledger = wh.ledger_table(results)
display(wh.readable(ledger))
wh.plot_stacked(ledger, "Mandated student hours in a year, and what happened to them")

# %% [markdown]
# **Refusals.** A student may refuse a session in any setting: refuse to leave for the
# therapy room, or refuse to work with the therapist who comes to the desk. The base
# chance is the same for both, 5% of sessions (an **estimate**: nobody has measured it,
# and students' stated preferences point both ways). It rises with felt stigma, and it
# doubles when the session falls in a favourite period (art, music, gym, lunch or recess;
# also an **estimate**). A refused session is lost whole, and the student stays in the
# lesson. Pull-out loses more minutes to refusals here because its sessions land in art,
# music or gym far more often than pushed-in sessions do.
#
# Why are push-in minutes "never scheduled"? A pushed-in session has to sit in a lesson
# where the skill is used (speech during reading, OT during writing), on a day the
# therapist is at school, and one therapist cannot be in two classrooms at once. Walking
# between classrooms (and, for co-taught push-in, co-planning) also uses up the
# therapists' contracted minutes. Nor can a student always join a session already held in
# their class: the IEP limits the size of the group. The model reports each unscheduled
# session with its reason (minutes a week):

# %%
wh.unmet_table(results)

# %% [markdown]
# ## The staff's minutes
#
# Push-in costs therapist time that pull-out does not: **walking between classrooms**
# (5 minutes a session, an **estimate**). Co-planned, co-taught push-in also costs
# **co-planning**: 30 minutes a week for each teacher-therapist pair, charged to both
# (read in a survey of co-teachers, CT SERC 2016). That time comes out of the therapist's
# contracted hours, which is one reason why co-taught push-in leaves more sessions
# unscheduled when therapists are busy.
#
# Under every policy, pull-out included, each therapist also consults the teachers of the
# classes their students are in: about 1.9 hours a week, the figure a national survey of
# school speech-language pathologists reports (ASHA 2022). The survey counts that time
# apart from sessions, so it takes nothing from the session minutes below and is the same
# under every policy; it is not in these hours. Notebook 3 looks at what teachers learn
# from it.

# %%
display(wh.staff_table(results))
staff = pd.DataFrame({wh.policy_name(p): wh.staff_ledger(r) for p, r in results.items()}).T
wh.plot_stacked(staff, "Staff hours in a year", unit="Staff hours in a year")

# %% [markdown]
# The hourly costs behind the dollar figure are placeholders (**estimates**: 60 USD an hour
# for a school therapist, 90 for an agency therapist, 45 for a teacher). Replace them with
# local numbers before quoting any cost.
#
# ## Core instruction missed
#
# Students with an IEP miss core lessons under every policy. Under pull-out they leave
# the room; under push-in they stay but follow only part of the lesson while they work
# with the therapist (half when the therapist works alongside, 80% when co-taught; both
# **estimates**, see notebook 1). How much each student misses depends on their mandates
# and on where the sessions land: a student with SETSS four times a week can miss far
# more than one with a single speech session. Hours of core lessons missed in a year, per
# student with an IEP:

# %%
from matplotlib.figure import Figure

missed, summary = wh.core_hours_table(results)
display(summary)
fig = Figure(figsize=(10, 3), constrained_layout=True)
axes = fig.subplots(1, 2, sharex=True, sharey=True)
for ax, policy in zip(axes, ["pull_out", "push_in"], strict=True):
    ax.hist(missed[policy], bins=range(0, 115, 5), color=wh.COLOURS[policy],
            edgecolor="white")
    ax.set_title(wh.policy_name(policy), loc="left", fontsize=10)
    ax.set_xlabel("Hours of core lessons missed in a year")
    ax.grid(axis="y", alpha=0.3)
axes[0].set_ylabel("Students with an IEP")
fig

# %% [markdown]
# The two settings spread the loss differently. Under pull-out most students miss no core
# lesson at all (all their sessions land in art, music or gym) and a few miss a great
# deal. With the therapist working alongside, nearly everyone misses some, because every
# pushed-in session sits in a lesson where the skill is used, mostly a core lesson, and
# half of it counts as missed: on average more than under pull-out. Co-taught push-in
# and hybrid miss the least. What a missed core hour costs is explained below.

# %% [markdown]
# ## Which lesson does the pull-out slot land on?
#
# The scheduler prefers to put a pull-out session in art, music or gym, where the group
# misses no core lesson, and uses a core lesson when no such period is free for the
# therapist and every student in the group. Here is where the class time lost went, by
# lesson, for the whole school over a year:

# %%
pull_out_model = SchoolModel.from_scenario(scenario, policy="pull_out", seed=1)
by_lesson = wh.pull_out_minutes_by_lesson(pull_out_model)
fig = Figure(figsize=(7, 3), constrained_layout=True)
ax = fig.subplots()
by_lesson.plot.barh(ax=ax, color="#f4a582")
ax.invert_yaxis()
ax.set_xlabel("Student hours of class lost in a year (session and walk, if attended)")
ax.set_ylabel("")
fig

# %% [markdown]
# It matters which lesson the slot lands on:
#
# * A minute missed in a **core lesson** (reading, writing, math, science, social
#   studies) gives no academic growth and goes onto a backlog of material to catch up.
#   Each week the student catches up 5% of the backlog (an **estimate**: from 0, a missed
#   minute is lost for good, to 20%, nearly all of it is recovered within the year), and
#   caught-up minutes give the growth they would have given in the lesson. The backlog
#   does not slow new learning: each missed minute is counted once.
# * Missing **art, music, gym or recess** costs no core content, but these are the
#   periods students like most: refusals are more likely there (an **estimate**, the same
#   in any setting), and these periods are where many friendships are made.
#
# The scheduler's preference is soft: when art/music/gym is taken, a session still goes
# into a core lesson. A school can instead insist on pull-out **only outside core
# lessons**. Let us compare, on five paired repetitions of the year.

# %%
from inclusion_sim.delivery.policies import uniform

outside_core = uniform("pull_out_outside_core", "pull_out", avoid_core=True)
metrics = ["iep_core_hours_missed", "iep_academic_growth_sd", "mandate_compliance",
           "wasted_minutes_per_iep_student", "iep_mastery", "iep_carryover"]
table, comparison = wh.compare_table(scenario, ["pull_out", outside_core], metrics,
                                     replicates=5)
table


# %% [markdown]
# Keeping pull-out strictly out of core lessons removes the missed instruction, yet academic
# growth hardly changes: the default already keeps most sessions out of core lessons, and
# missed minutes are partly caught up. And there is only one
# art/music/gym period a day, so about a quarter of the mandated minutes no longer fit
# anywhere: the share of mandated minutes delivered falls sharply, and with it mastery and
# carry-over. A policy that looks good on one outcome can fail on another.
#
# ## Try it: how much does the walk cost?
#
# Change the walking-and-settling time and the base chance that a student refuses a session
# (the same in both settings). Both are **estimates**; the sliders span the ranges the model
# documents. The left chart shows where the school's mandated hours went; the right one how
# much class time each pulled-out student loses, in core lessons and in other lessons (art,
# music, gym). A student who refuses stays in class, so more refusals mean *fewer* class
# hours missed, and fewer sessions.

# %%
def ledger_for(walk_minutes=5, refusal_percent=5):
    params = {"transition_minutes": walk_minutes, "pull_out_refusal_rate": refusal_percent / 100}
    result = run(scenario, seed=1, policy="pull_out", parameters=params)
    print(f"Per student with an IEP, in a year: {result.summary['iep_core_hours_missed']:.1f} "
          f"hours of core lessons missed; "
          f"{result.summary['wasted_minutes_per_iep_student']:.0f} session minutes lost to "
          f"refusals.")
    return wh.plot_walk_and_refusals(
        result, f"Pull-out, a walk of {walk_minutes:g} minutes each way, a base refusal rate "
                f"of {refusal_percent:g}% of sessions")


interact(ledger_for,
         walk_minutes=wh.slider("Walk to and from the therapy room (minutes each way)",
                                5, 2, 10, 1),
         refusal_percent=wh.slider("Students refusing a session (% of sessions)",
                                   5, 0, 20, 1));

# %% [markdown]
# ### Exercise 1
#
# *What happens if the pull-out slot moves from math to art?* Use the comparison above
# (pull-out anywhere vs pull-out outside core lessons). Name one thing that gets better
# and two that get worse.
#
# <details><summary>Hint</summary>
#
# Look at core instruction missed (better) and academic growth (about the same), then at
# the share of mandated minutes delivered and at mastery (worse). Also compare the minutes lost to refusals
# with the minutes delivered: sessions in favourite periods are refused more often.
#
# </details>

# %% [markdown]
# ### Exercise 2
#
# Set the walking time to 2 minutes and then to 10. How many hours of core lessons does
# an average student with an IEP lose in a year in each case?
#
# <details><summary>Hint</summary>
#
# Each pulled-out session costs the session plus twice the walking time, up to the length
# of the period. Only the sessions that land in core lessons count here, and most
# pull-out sessions land in art, music or gym.
#
# </details>

# %% [markdown]
# ### Exercise 3
#
# Under push-in (therapist works alongside) the occupational therapist still has almost a
# third of their contracted time free, yet some OT sessions are "not scheduled". Why?
# What could the school change other than hiring?
#
# <details><summary>Hint</summary>
#
# Look at the reasons table, and run `wh.unmet_sessions(results["push_in"])` in a new
# cell: it lists the
# unscheduled sessions by service. The OT therapist is at school only on Tuesdays and
# Thursdays and pushes in only during writing or art/music/gym. In those lessons on those
# two days the therapist is often already in another classroom, or the session already
# held in the student's class is full (the IEP's largest group). Spreading the same hours
# over more days, allowing push-in in other lessons, or grouping students differently
# would give the therapist more usable slots.
#
# </details>
