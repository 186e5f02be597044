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
# # 1. A week in class
#
# Students with an IEP (Individualized Education Program) often have **related services**
# written into it: speech-language therapy, occupational therapy (OT), physical therapy
# (PT), counseling, or SETSS (special education teacher support). The IEP says how many
# sessions a week, how long, and the largest group allowed. It usually does not say
# *where* the help happens. Schools choose:
#
# * **Pull-out**: the student leaves the classroom and works with the therapist in a
#   therapy room.
# * **Push-in**: the therapist comes into the classroom and works with the student
#   during a lesson.
#
# In this notebook we meet one student and follow them through the same week under both
# choices: where they are each period, what they miss, and how they feel.

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

from inclusion_sim import SchoolModel

# %matplotlib inline
pd.set_option("display.max_colwidth", 200)
scenario = wh.school()
print(scenario.name)

# %% [markdown]
# ## Meet the student
#
# The simulation builds the whole school (classes, timetables, therapists, every
# student's IEP) from a *seed* number. The same seed gives exactly the same school and
# the same students under every policy, so we can follow one child under pull-out and
# under push-in and know that only the delivery model changed.
#
# We pick a first-grader with three different services. Students in the simulation have
# codes, not names; we will call this student **Sam**.

# %%
models = {policy: SchoolModel.from_scenario(scenario, policy=policy, seed=1)
          for policy in ("pull_out", "push_in")}
sam = wh.pick_student(models["pull_out"], services=3)
print(f"Sam is student {wh.about(models['pull_out'], sam)}.")
wh.student_card(models["pull_out"], sam)

# %% [markdown]
# Sam's **friends** matter later: a student who feels singled out may be less willing to
# leave class in front of them, and students copy skills from classmates they feel close
# to.

# %%
wh.friends_card(models['pull_out'], sam)

# %% [markdown]
# ## Sam's week, two ways
#
# Each box is one period. Blue: Sam is in class with everyone else. Green: Sam is in
# class and a therapist is in the room working with Sam (push-in). Orange: Sam has left
# the room for therapy (pull-out).
#
# The scheduler places sessions where the therapist and every student in the group are
# free. It first fits as many of the mandated minutes as it can, then spreads each
# student's sessions over different days. Under push-in it only uses lessons where the
# skill is actually used (speech in reading, OT in writing, ...). Under pull-out it
# prefers lessons outside the core subjects (art, music, gym), but a group can mix
# students from classes with different timetables, so a period that is art for one
# student can be a core lesson for another. That is why the green boxes sit in different
# places from the orange ones.

# %%
wh.plot_weeks(models, sam)

# %% [markdown]
# The same week as a table (useful for reading aloud or copying):

# %%
wh.week_table(models['pull_out'], sam)

# %% [markdown]
# ## What Sam missed
#
# A pulled-out student misses the session *plus* the walk to the therapy room and back
# and the time to settle. The simulation assumes **5 minutes each way**. Nobody has
# measured this carefully; it is an **estimate** (between 2 and 10 minutes is
# plausible). A session can never cost more than the period it falls in.
#
# A pushed-in student stays in the room, but while working with the therapist follows
# only part of the lesson. How much is an **estimate** too. When the therapist works
# alongside (at a side table, on the therapy task) the model assumes the student still
# follows half of the lesson, so half of each session counts as lesson missed (anything
# from none to all of it is plausible). In a co-taught session, planned around the
# lesson's own task, the student follows 80% of it.
#
# Time missed in art, music, gym or lunch costs no academic content. A minute missed in a
# **core** lesson (reading, writing, math, science, social studies) is counted once: it
# gives no academic growth that day and goes onto a **backlog** of material to catch up.
# Each week the student catches up a share of the backlog (5%, an **estimate**: 0 would
# mean a missed minute is simply lost), and what is caught up gives the growth it would
# have given in the lesson. Whatever is still on the backlog at the end of the year is
# growth lost. A student who refuses a session stays in class and misses nothing (the
# session is lost instead; notebook 2 counts those minutes).

# %%
missed = wh.missed_lessons(models["pull_out"], sam)
display(missed)
core = wh.core_minutes_lost(missed)
print(f"Under pull-out Sam loses {core:.0f} minutes of core lessons a week "
      f"(about {core * 36 / 60:.0f} hours over a 36-week year).")
share = 1 - models["push_in"].params.parallel_lesson_share
pushed = sum(s.minutes for s in wh.sessions_of(models["push_in"], sam))
print(f"Under push-in Sam stays in the room but misses {share:.0%} of each session's "
      f"lesson: {share * pushed:.0f} minutes a week, all in core lessons here.")

# %% [markdown]
# For Sam push-in costs more core time than pull-out: pull-out takes Sam out of two core
# lessons a week in full, push-in takes half of six. Which costs more depends on
# estimates nobody has measured (the walk, how much of a lesson a student follows beside a
# therapist). Co-taught sessions cost less, and so do pull-out sessions that land in art,
# music or gym.
#
# ## How Sam felt
#
# Two feelings are tracked for every student, each on a scale from 0 to 100 (as on the
# dashboard):
#
# * **Stigma** (feeling singled out). Each visible exit from class raises it a little, and
#   so does each session of support inside the classroom, because classmates see that
#   too. Older students feel each one more. It fades by about a tenth each week.
# * **Belonging** (feeling part of the class). It falls as stigma rises, and lower
#   belonging lowers engagement in lessons and therapy.
#
# All of these sizes are **estimates**. Research on placement and self-concept finds, on
# average, almost no difference between settings (Elbaum 2002; Krämer et al. 2021), so the
# model keeps the effect small and, by default, the same for an exit and for a session in
# class. What differs between the settings is then how often support is visible, not how
# much each time. Here is Sam's week, day by day.

# %%
wh.follow_days(scenario, ["pull_out", "push_in"], sam)

# %% [markdown]
# ## Sam's whole year
#
# One week shows little. Over 36 weeks small differences add up. The left two panels
# show Sam's IEP skills: **mastery** of the IEP goals is how well Sam performs the skill;
# **carry-over** is how much Sam uses it in class, which is what the IEP is for.
# **Academic growth** is progress in reading and math, in standard deviations (SD) of test
# scores: a typical first-grader gains about 1.3 SD in a year (published benchmarks), a
# student with an IEP less (85% of that, an **estimate** bracketed by studies of students in
# special education). We add the **hybrid** policy:
# half the sessions pulled out, half pushed in with a co-planning teacher and
# therapist.

# %%
year = [wh.student_year(scenario, policy, sam) for policy in ("pull_out", "push_in", "hybrid")]
wh.plot_student_year(year)

# %% [markdown]
# Things to notice: Sam's **mastery** ends up similar under all three policies, while
# **carry-over** is somewhat higher under push-in and hybrid, because the model lets
# practice in the real task carry over more (an **estimate**; notebook 5 varies it). Core
# lessons are missed under every policy, in different ways: under pull-out Sam leaves two
# core lessons a week and loses art, music or gym on four days of five; under push-in Sam
# stays for every lesson but follows only half of the six lessons with a therapist in
# them, which adds up to more; hybrid, whose pushed-in half is co-taught, misses the
# least. Yet Sam's **academic growth** barely differs: the missed hours are a small
# share of a year's core lessons, and part of them is caught up. **Stigma** rises about
# equally under every policy: Sam has as many visible sessions under each, and by default
# an exit and a session in class add the same. The picture for one child depends on the
# child; notebook 5 looks at the whole school with many repetitions.

# %% [markdown]
# ## Try it: another student, another policy
#
# Choose any student with an IEP and a policy to compare with pull-out; the figure opens on
# Sam and the hybrid policy. The first time you pick a policy, the tool makes that policy's
# timetable for the whole school, which takes several seconds: the figure changes when it is
# done (a line under the menus says which policy is being timetabled).

# %%
built = dict(models)  # timetables already made, by policy: picked again, they show at once


def show_week(student=sam, policy="hybrid"):
    if policy not in built:
        print(f"Making the school's timetable under {wh.policy_name(policy)}...")
        built[policy] = SchoolModel.from_scenario(scenario, policy=policy, seed=1)
    chosen = {"pull_out": built["pull_out"], policy: built[policy]}
    display(wh.student_card(chosen["pull_out"], student))
    return wh.plot_weeks(chosen, student)


interact(show_week, student=wh.student_menu(models["pull_out"], sam),
         policy=wh.policy_menu(["push_in", "push_in_collaborative", "hybrid",
                                "hybrid_parallel", "after_school"], "hybrid",
                               description="Compare pull-out with"));

# %% [markdown]
# ### Exercise 1
#
# Pick an older student (grade 4 or 5) with a pull-out session. Compare their
# stigma after one year with Sam's. Why might it differ?
#
# <details><summary>Hint</summary>
#
# Use the menu above to find an older student, then type their id in the cell below in
# place of Sam's and run it. The model makes each visible session (an exit or support in
# class) count a little more in higher grades (an **estimate** based on reports that older
# students' preferences differ). Count the sessions too.
#
# </details>

# %%
# Type the id of the student you picked between the quotes (S00211, s211 and 211 are the same
# student), then press Shift + Enter.
wh.year_of(scenario, "S00050")

# %% [markdown]
# ### Exercise 2
#
# Look at Sam's pull-out week. Which sessions land in a lesson Sam enjoys
# (art/music/gym or lunch/recess)? What do you expect to happen at the classroom door on
# those days?
#
# <details><summary>Hint</summary>
#
# The model makes a student twice as likely to refuse a session that falls in a
# favourite period (an **estimate**; no study measured it), in any setting: a therapist
# pushing into gym would meet the same reluctance. A refused session is lost whole, and
# the student stays in class. Notebook 2 counts these lost minutes.
#
# </details>

# %% [markdown]
# ### Exercise 3
#
# Under push-in, Sam's sessions sit in reading, writing, math and social studies. Is
# there a cost to Sam (or to the class) of having a therapist work with Sam *during* the
# lesson?
#
# <details><summary>Hint</summary>
#
# Think about attention: the model counts half of each pushed-in session as lesson Sam
# misses when the therapist works alongside (a fifth when co-taught), and during the
# session Sam gets no practice from classmates or the teacher in that lesson (Sam is
# practising with the therapist). A second adult distracts the class a little (2% of the
# lesson). A therapist's minute in class counts as much as in the therapy room, as one
# small study found, though a busy room could lower it. All of these are **estimates**.
# Classmates without an IEP gain a little from a second adult; under pull-out they gain a
# little from a smaller class while Sam is out, and lose a minute each time students
# leave or come back. Notebook 4 switches these on and off.
#
# </details>
