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
# # 4. Stigma, belonging and peers
#
# Being taken out of class in front of classmates can make a child feel different.
# Staying in class lets a child see classmates use the skill, and a second adult in the
# room may help other students too. This notebook looks at these social mechanisms and
# asks: **how much of the difference between pull-out and push-in do they explain?**
#
# The mechanisms, in plain words (every size is an **estimate** unless marked):
#
# * **Stigma**: each visible removal raises felt stigma a little, and so does each session
#   of support inside the classroom (classmates see that too); older students feel each
#   one more; stigma fades each week. Research finds, on average, no difference in
#   self-concept between placements (Elbaum 2002; Krämer et al. 2021: d = 0.00), so the
#   model keeps the effect small and, by default, the same in both settings.
# * **Belonging and engagement**: higher stigma lowers belonging; lower belonging lowers
#   engagement in lessons and in therapy, and makes refusals more likely.
# * **Resistance**: a student may refuse a session in any setting (5% of sessions at zero
#   stigma, the same for pull-out and push-in; more with stigma, and twice as likely in a
#   favourite period such as art, music or gym). A refused session is lost, and the
#   student stays in the lesson.
# * **Peer modeling**: in lessons where a skill is used, a student copies it from skilled
#   classmates, more when they feel they belong. Kept small, because the large effects in
#   single-case studies cannot be compared with group effects. A student who is out of
#   the room, or working with a therapist in it, gets none in that slot.
# * **What classmates get**: a therapist in a core lesson is a second adult and helps
#   classmates *without* an IEP a little, the weakest most, but can also distract the
#   class a little. Students pulled out of a core lesson leave a smaller class behind for
#   a while, which helps the classmates a little, but leaving and coming back costs the
#   class a minute each time. Both gains are anchored to Tennessee's class-size experiment
#   (STAR: a full-time aide added little, a class about seven students smaller about 0.2
#   SD a year) and scaled to the few hours a week they last.
# * **Missed instruction**: a pulled-out student misses the session and the walk; a
#   pushed-in student misses a share of the lesson (half when the therapist works
#   alongside, a fifth when co-taught; **estimates**). Each missed core minute is counted
#   once, as a backlog that is partly caught up (notebook 2).

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
from ipywidgets import interact_manual

from inclusion_sim import run
from inclusion_sim.faces import present

# %matplotlib inline
pd.set_option("display.max_colwidth", 200)
scenario = wh.school()
print(scenario.name)

# %% [markdown]
# ## Stigma and the rest over the year
#
# Five paired repetitions of the year per policy; the line is the mean and the band the
# middle 80% of repetitions.

# %%
from inclusion_sim.analysis.compare import compare_policies

comparison = compare_policies(scenario, ["pull_out", "push_in_collaborative", "hybrid"],
                              replicates=5)
wh.plot_year(comparison, ["iep_stigma", "iep_carryover", "iep_core_hours_missed",
                          "teacher_strategy_use"], "Five paired school years per policy")

# %% [markdown]
# Felt stigma follows the same curve under all three policies: each visible session adds
# the same amount by default, and these students have about as many sessions a year
# under each. Carry-over and teachers' use of strategies separate. Core hours missed
# differ too (a co-taught session costs a fifth of the lesson, so pull-out misses the most
# here), while academic growth hardly does (the table further down shows it).

# %% [markdown]
# ## Older students feel it more
#
# Felt stigma at the end of the year for each student with an IEP, by grade, under
# pull-out (K is kindergarten). Each removal counts more in higher grades, but a
# student's stigma also depends on how many sessions they have, so the grades overlap.

# %%
from matplotlib.figure import Figure

students = run(scenario, seed=1, policy="pull_out").students
display(wh.by_grade(students))
pulled = students.query("has_iep")
fig = Figure(figsize=(6, 3), constrained_layout=True)
ax = fig.subplots()
ax.scatter(pulled["grade"], 100 * pulled["stigma"], alpha=0.6)
grades = sorted(pulled["grade"].unique())
ax.set_xticks(grades, [present.grade_label(g) for g in grades])
ax.set_xlabel("Grade")
ax.set_ylabel("Felt stigma at year end (0-100)")
ax.grid(alpha=0.3)
fig

# %% [markdown]
# ## Classmates without an IEP
#
# Under push-in, classmates share their lesson with a second adult; under pull-out, they
# have a smaller class while students are out. In the model only classmates without an
# IEP get either gain (nothing measured would size it for classmates with IEPs), and both
# are small by design (within what inclusion studies find, F3 in the literature notes).
# The table shows that gain and the classmates' whole year of academic growth.

# %%
wh.means(comparison, ["peer_academic_growth_sd", "peer_spillover_sd"],
         decimals={"peer_spillover_sd": 3})

# %% [markdown]
# ## Switch each mechanism off
#
# We compare co-taught push-in with pull-out on the same three seeds, first with every
# mechanism on, then with one mechanism switched off at a time. If switching a mechanism
# off moves the difference a lot, that mechanism explains much of it. The dashed line
# marks the difference with everything on. Each panel spans at least 2 points (0.02 SD for
# academic growth) either side of zero, so that a tiny difference looks as small as it is.
# (This runs 60 school years, a few minutes.)

# %%
metrics = ["iep_carryover", "iep_academic_growth_sd", "iep_belonging"]
table = wh.switch_off(scenario, "pull_out", "push_in_collaborative", metrics)
display(wh.switch_off_table(table))
wh.plot_switch_off(table, "pull_out", "push_in_collaborative")


# %% [markdown]
# Read the figure one panel at a time:
#
# * **Carry-over**: co-taught push-in leads, and one mechanism carries nearly all of the
#   lead: *setting efficacy*, the assumption that practice in the real classroom task
#   carries over 1.5 times as much as practice in the therapy room (an **estimate**
#   anchored to one small study; notebook 5 varies it). Switch it off and the two
#   policies are level. Teachers' practice and learning (notebook 3) add a little to the
#   lead, and so do *refusals*: pull-out sessions land in favourite periods,
#   where refusals are more likely. *Peer modeling* works the other way: pushed-in
#   students spend their sessions with the therapist during the very lessons where they
#   would copy skilled classmates, so switching it off widens the lead slightly.
#   Consultation reaches teachers under both policies and changes the difference hardly
#   at all.
# * **Academic growth**: the difference is tiny (about two thousandths of an SD, against a
#   year's growth of about 0.7 SD). *Missed instruction* carries what there is:
#   pulled-out students miss more core time than students in co-taught sessions, but each
#   missed minute is counted once and part of it is caught up.
# * **Belonging**: tiny too. Each visible session raises stigma by the same amount by
#   default, so stigma explains the little there is. With refusals switched off
#   (*refusals off*) pulled-out students leave class more often, and the difference
#   grows a little.
#
# With the default, equal stigma, how students feel hardly depends on the setting. That
# rests on an estimate: the meta-analyses find no difference *on average*, and a
# particular student may mind one setting much more than the other. Move the sliders
# below.

# %% [markdown]
# ## Try it: how much does visible support hurt?
#
# Move the stigma added by each removal from class and by each session of support inside
# the class, in points on the 0-100 stigma scale (0 = none, up to 2, five times the default
# of 0.4), and how much stigma raises the chance of refusing a session. Press **Show
# results**; each press runs two paired years for three seeds.

# %%
def stigma_effect(removal_points=0.4, in_class_points=0.4, refusal_gain=2.0):
    params = {"stigma_per_removal": removal_points / 100,
              "stigma_per_push_in": in_class_points / 100,
              "refusal_stigma_gain": refusal_gain}
    metrics = ["iep_stigma", "iep_belonging", "wasted_minutes_per_iep_student",
               "iep_carryover", "iep_academic_growth_sd"]
    means, _ = wh.compare_table(scenario, ["pull_out", "push_in_collaborative"], metrics,
                                replicates=3, parameters=params,
                                decimals={"iep_academic_growth_sd": 3})
    return means


print("With the default numbers (press Show results under the sliders for yours):")
display(stigma_effect())
interact_manual.options(manual_name="Show results")(
    stigma_effect,
    removal_points=wh.slider("Stigma from each visible exit from class (points out of 100)",
                             0.4, 0, 2, 0.2, readout_format=".1f"),
    in_class_points=wh.slider("Stigma from each session of help in class (points out of 100)",
                              0.4, 0, 2, 0.2, readout_format=".1f"),
    refusal_gain=wh.slider("Extra refusals from stigma (times the base rate, at full stigma)",
                           2, 0, 4, 0.5, readout_format=".1f"));

# %% [markdown]
# ### Exercise 1
#
# Set the stigma of one removal to 0, keeping support in class at its default (a student
# who minds a therapist at the desk, not leaving the room). Which differences between
# pull-out and push-in appear? Then set both to 0.
#
# <details><summary>Hint</summary>
#
# Move the first slider to 0 and press **Show results**; then move the second to 0 too. (Or
# run `stigma_effect(removal_points=0)` and then
# `stigma_effect(removal_points=0, in_class_points=0)` in a new cell.) Look at
# belonging, at the minutes lost to refusals (stigma makes refusals more likely) and at
# academic growth (through engagement).
#
# </details>

# %% [markdown]
# ### Exercise 2
#
# From the switch-off figure: which single mechanism explains most of the difference in
# carry-over between co-taught push-in and pull-out? Which explains the (tiny) difference
# in academic growth?
#
# <details><summary>Hint</summary>
#
# Compare each bar with the dashed line. A bar far from the line means that mechanism
# carries much of the difference.
#
# </details>

# %% [markdown]
# ### Exercise 3
#
# Switching peer modeling off makes co-taught push-in's carry-over lead slightly
# *larger*. Why? When might peer modeling matter more?
#
# <details><summary>Hint</summary>
#
# A student working with the therapist gets no peer modeling in that slot, in either
# setting. Pushed-in sessions always sit in a lesson where the skill is used, which is
# where peer modeling happens; most pulled-out sessions land in art, music or gym. The
# model also keeps peer modeling small (large single-case effects are not comparable with
# group effects), and it needs skilled classmates: in a class where many students share
# a need there are fewer models.
#
# </details>
