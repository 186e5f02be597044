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
# # 3. Teachers learning from therapists
#
# One argument for push-in is that the classroom teacher sees what the therapist does and
# starts doing it too, so the student practises the skill every day, not only in the two
# weekly sessions. Does watching lead to doing?
#
# Research on teacher training says: rarely, on its own. Joyce and Showers (2002) estimate
# what share of trained teachers *use* a new strategy in class after each kind of
# training: none after theory and a demonstration, 5% after practice, 95% after
# coaching. Their figures are published as estimates, and other versions circulate, so
# treat them as rough.

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

from inclusion_sim import MECHANISMS, run

# %matplotlib inline
pd.set_option("display.max_colwidth", 200)
scenario = wh.school()
print(scenario.name)

# %%
from matplotlib.figure import Figure

training = pd.DataFrame(
    {"know it": [10, 30, 60, 95], "can do it": [5, 30, 60, 95], "use it in class": [0, 0, 5, 95]},
    index=["theory", "+ demonstration", "+ practice", "+ coaching"])
fig = Figure(figsize=(8, 3), constrained_layout=True)
ax = fig.subplots()
training.plot.bar(ax=ax, rot=0)
ax.set_ylabel("% of teachers (estimated)")
ax.set_title("Joyce & Showers 2002: watching is not adopting", loc="left")
fig

# %% [markdown]
# ## Two kinds of push-in
#
# * **Parallel push-in**: the therapist works with the student in the classroom, beside the
#   lesson. The teacher can watch, which is like a *demonstration*.
# * **Collaborative push-in**: teacher and therapist plan the lesson together (30 minutes
#   a week) and teach it together, which comes closer to *practice with coaching*.
#
# And under **every** policy, pull-out included:
#
# * **Consultation**: each therapist spends about 1.9 hours a week consulting the teachers
#   of the classes their students are in (the figure a national survey of school
#   speech-language pathologists reports, ASHA 2022), shared among those classes. This is
#   like *theory and discussion*: it builds knowledge, rarely use.
#
# In the model consultation, and every pushed-in session held in the teacher's lesson,
# raise the teacher's **knowledge** of that service's strategies a little (both
# **estimates**). Knowledge turns into **use** at 5% a year when the teacher is only
# consulted or only watches, and at 50% a year with co-planning and co-teaching. These
# rates are **estimates** too: Joyce and Showers give shares of trained teachers, not
# yearly rates; weekly co-teaching with a therapist is not quite their coaching, so the
# model sits between practice (5%) and coaching (95%) and lets you try anything from 10%
# to 95%. After a demonstration alone their share is 0%, so the model is, if anything,
# generous to watching. Use that no therapist reinforces in a week fades slowly (an
# **estimate**). Pull-out sessions happen out of the teacher's sight, so under pull-out
# teachers learn only from consultation. The homeroom teacher is not in the room during
# art, music, gym or lunch, so push-in sessions there (PT in gym, for instance) teach the
# teacher nothing, and teachers give no practice in those periods.

# %% [markdown]
# The numbers behind these mechanisms, with their status:

# %%
display(wh.parameter_table(["consultation_minutes", "consultation_knowledge_gain",
                            "adoption_consultation", "observe_knowledge_gain",
                            "adoption_parallel", "adoption_collaborative", "strategy_fade",
                            "practice_minutes_per_lesson", "teacher_practice_efficacy",
                            "coplanning_minutes"]))

# %%
curves = [wh.teacher_curves(scenario, policy)
          for policy in ("push_in", "push_in_collaborative", "pull_out")]
display(wh.year_end(curves))
fig = Figure(figsize=(11, 3.4), constrained_layout=True)
axes = fig.subplots(1, 2)
for ax, column in zip(axes, ["Teachers know the strategies (0-100)",
                             "Teachers use them (0-100)"], strict=True):
    for part in curves:
        policy = part["policy"].iloc[0]
        ax.plot(part["Week"], part[column], label=wh.policy_name(policy),
                color=wh.COLOURS[policy])
    ax.set_title(column, loc="left")
    ax.set_xlabel("School week")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
axes[0].legend(fontsize=8)
fig

# %% [markdown]
# Under both kinds of push-in teachers come to *know* the strategies about equally well:
# they see the same sessions. Under pull-out, consultation alone takes their knowledge to
# less than half the level push-in reaches, and they hardly use it. Only with co-planning and
# co-teaching does *use* grow, and after a year it is still well below what teachers
# know.
#
# ## What that does for students between sessions
#
# A teacher who uses a strategy gives each student who needs it a few minutes of practice
# in every relevant lesson (5 minutes, at half the effect of a therapist's minute; both
# **estimates**). That is practice in the real task, so it shows up mostly as
# **carry-over**: using the skill in class. (While a student is in a session, the
# teacher's practice and the classmates' example in that lesson do not reach them: they
# are practising with the therapist.)

# %%
metrics = ["teacher_strategy_use", "iep_mastery", "iep_carryover", "mandate_compliance",
           "coordination_hours", "cost_usd"]
table, comparison = wh.compare_table(scenario, ["push_in", "push_in_collaborative"], metrics,
                                     replicates=3)
table

# %%
wh.practice_table(scenario, ["push_in", "push_in_collaborative"])

# %% [markdown]
# ## Is it the practice, or something else?
#
# Co-taught push-in comes out only just ahead of parallel push-in on carry-over, although
# its teachers practise far more. Switch the teachers' practice off (teachers still learn,
# but never practise with the students) and compare the two again. What is left is the
# cost of co-planning: it takes therapist time that would otherwise go to sessions
# (notebook 2).

# %%
no_practice = [m for m in MECHANISMS if m != "teacher_practice"]
rows = {}
for label, mechanisms in (("Teacher practice on", MECHANISMS),
                          ("Teacher practice off", no_practice)):
    diffs = []
    for seed in (1, 2, 3):
        a = run(scenario, seed=seed, policy="push_in", mechanisms=mechanisms).summary
        b = run(scenario, seed=seed, policy="push_in_collaborative",
                mechanisms=mechanisms).summary
        diffs.append(100 * (b["iep_carryover"] - a["iep_carryover"]))
    rows[label] = f"{sum(diffs) / len(diffs):+.1f}"
pd.Series(rows, name="Use of IEP skills in class: co-taught minus alongside "
                     "(points, 0-100 scale)").to_frame()


# %% [markdown]
# ## Try it: how fast do teachers adopt?
#
# The adoption rates are estimates built on a source that itself calls its figures
# estimates. Move them and see how teachers' use of strategies changes over a year.
# (Press **Show results** after moving the sliders; each press runs two school years.)

# %%
def adoption(watch_percent=5, coteach_percent=50):
    params = {"adoption_parallel": watch_percent / 100,
              "adoption_collaborative": coteach_percent / 100}
    fig = Figure(figsize=(7, 3.2), constrained_layout=True)
    ax = fig.subplots()
    for policy in ("push_in", "push_in_collaborative"):
        part = wh.teacher_curves(scenario, policy, parameters=params)
        ax.plot(part["Week"], part["Teachers use them (0-100)"], label=wh.policy_name(policy),
                color=wh.COLOURS[policy])
    ax.set_ylim(0, 100)
    ax.set_xlabel("School week")
    ax.set_title("Teachers' use of the therapists' strategies (0-100)", loc="left")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


interact_manual.options(manual_name="Show results")(
    adoption,
    watch_percent=wh.slider("Teachers adopting strategies they only watch (% a year)",
                            5, 0, 10, 1),
    coteach_percent=wh.slider("Teachers adopting strategies they co-teach (% a year)",
                              50, 10, 95, 5));

# %% [markdown]
# ### Exercise 1
#
# Set the parallel adoption rate to its highest plausible value (10% a year). Does
# parallel push-in catch up with collaborative push-in? What does that tell you about
# "the teacher will pick it up by watching"? Then move the co-taught rate to the two ends
# of its range (10% and 95% a year): how much does the picture depend on it?
#
# <details><summary>Hint</summary>
#
# Run `adoption(watch_percent=10)` or `adoption(coteach_percent=95)` in a new cell if the
# sliders are not available. Compare the end-of-year use under both
# policies. 95% is Joyce and Showers' figure for coaching; 10% is near their 5% for
# practice without coaching.
#
# </details>

# %% [markdown]
# ### Exercise 2
#
# Collaborative push-in costs co-planning time. Using the table above, how many hours of
# co-planning does the school spend in a year, and what would you ask a principal for to
# make it possible?
#
# <details><summary>Hint</summary>
#
# The co-planning row counts both the therapists' and the teachers' co-planning hours.
# The therapists' share comes out of their contracted time, which is why co-taught
# push-in can leave sessions unscheduled (notebook 2).
#
# </details>

# %% [markdown]
# ### Exercise 3
#
# Under pull-out teachers learn strategies only from consultation, and after a year
# they hardly use them. What would have to change for consultation to lead to use? Try
# switching consultation off, or raising how fast consulted teachers adopt what they
# learn.
#
# <details><summary>Hint</summary>
#
# In a new cell, run
# `wh.year_end([wh.teacher_curves(scenario, "pull_out", parameters={"adoption_consultation": 0.3})])`
# (30% a year, the top of its range, stands for consultation with feedback on the teacher's
# own practice); or switch consultation off with
# `wh.year_end([wh.teacher_curves(scenario, "pull_out", off=["consultation"])])` and compare
# with the pull-out row of the table at the top. Joyce and Showers found that discussion gives knowledge, not
# use; what turns knowledge into use is practice with feedback in the teacher's own
# lessons.
#
# </details>
