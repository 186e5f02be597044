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
# # 5. Design your policy
#
# No delivery model wins everywhere. Reviews find classroom-based services "at least as
# effective" as pull-out for some goals (Cirrin et al. 2010), and a combined model beat
# both pure models in one district study (Marston 1996). In this notebook you will:
#
# 1. run a small **sweep**: the same comparison under different values of an uncertain
#    number;
# 2. see the **conditions under which pull-out wins**;
# 3. build a **hybrid policy**, service by service;
# 4. compare policies **with uncertainty**: paired repetitions and 95% intervals.

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

import inclusion_sim.faces.plots as plots
from inclusion_sim import experiments
from inclusion_sim.faces import present

# %matplotlib inline
pd.set_option("display.max_colwidth", 200)
scenario = wh.school()
print(scenario.name)

# %% [markdown]
# Every number in the model is documented with a plausible range and a *status*:
# **read** (measured in a published source), **secondary** (read in a source that cites
# it) or **estimate** (nobody measured it; a judgement that must be varied). The ones this
# notebook varies:

# %%
wh.parameter_table(['push_in_generalization', 'push_in_focus', 'mastery_rate'])

# %% [markdown]
# ## 1. A small sweep: how much more does practice in class generalize?
#
# The model assumes that a minute of therapy inside the classroom turns into 1.5 times as
# much classroom use of the skill as a minute in the therapy room (anchored to one small
# randomized study, Wilcox et al. 1991; the size is an **estimate**, plausible from 1.0 to
# 2.0). We run three policies at three values, three paired repetitions each: 27 school
# years.

# %%
import tempfile
from concurrent.futures import ThreadPoolExecutor

spec = experiments.parse_spec('''
[sweep]
name = "Workshop: generalization in class"
scenario = "small_elementary.toml"
policies = ["pull_out", "push_in_collaborative", "hybrid"]
replicates = 3
seed = 11
weeks = 36

[design]
method = "grid"

[parameters]
push_in_generalization = [1.0, 1.5, 2.0]
''', base_dir="../scenarios")
sweep_dir = tempfile.mkdtemp(prefix="workshop-sweep-")
with ThreadPoolExecutor(max_workers=1) as executor:
    print(experiments.run_sweep(spec, sweep_dir, executor=executor, progress=False))
outcomes = experiments.open(sweep_dir).outcomes()
wh.sweep_table(outcomes, "push_in_generalization", "iep_carryover")

# %%
wh.bigger_text(wh.plot_sweep(outcomes, "push_in_generalization",
                             ["iep_carryover", "iep_mastery", "iep_academic_growth_sd"],
                             ["pull_out", "push_in_collaborative", "hybrid"]), 1.25)

# %% [markdown]
# The band around each line is the middle 95% of the repetitions. Carry-over is the only
# outcome this number moves. At 1.0 (practice in class generalizes no better than in
# the therapy room) the three policies are about level; the higher it is, the further
# co-taught push-in and hybrid pull ahead. Mastery and academic growth do not depend on
# it, and differ little between the policies.

# %% [markdown]
# ## 2. When does pull-out win?
#
# Pull-out is cheap in therapist time and easy to schedule. Push-in needs a
# therapist free during the right lesson, walking time and (co-taught) co-planning time.
# So the number of therapist hours matters. We give every therapist 60%, 100% or 150% of
# their contracted time and compare four policies (three paired repetitions each).

# %%
staff = scenario.spec.model_dump()["staff"]
policies = ["pull_out", "push_in", "push_in_collaborative", "hybrid"]
metrics = ["iep_carryover", "iep_mastery", "mandate_compliance"]
rows = []
for factor in (0.6, 1.0, 1.5):
    changed = [{**s, "minutes_per_week": int(s["minutes_per_week"] * factor)} for s in staff]
    comp = wh.compare(scenario.with_changes({"staff": changed}), policies, metrics,
                      replicates=3)
    means = comp.summary().groupby("policy", sort=False)[metrics].mean()
    rows.append(means.assign(staff_time=factor).reset_index())
staffing = pd.concat(rows)
carry = staffing.pivot(index="staff_time", columns="policy", values="iep_carryover")[policies]
carry.index = [f"{factor:.0%} of today's" for factor in carry.index]
carry.index.name = "Therapists' time"
carry.columns = [wh.policy_name(p) for p in carry.columns]
print("Classroom use of IEP skills (carry-over, 0-100 scale), by therapists' contracted time:")
wh.readable(100 * carry, decimals=1)

# %%
from matplotlib.figure import Figure

fig = Figure(figsize=(12, 3.8), constrained_layout=True)
axes = fig.subplots(1, 3)
for ax, metric in zip(axes, metrics, strict=True):
    for policy, part in staffing.groupby("policy", sort=False):
        ax.plot(100 * part["staff_time"], wh.shown(metric, part[metric]), marker="o",
                label=wh.policy_name(policy), color=wh.COLOURS[policy])
    ax.set_title(wh.metric_label(metric), fontsize=9)
    ax.set_xlabel("Therapists' contracted time (% of today's)")
    ax.grid(alpha=0.3)
fig.legend(*axes[0].get_legend_handles_labels(), fontsize=8, loc="outside lower center",
           ncols=4)
fig

# %% [markdown]
# When therapists are short of time, co-taught push-in and hybrid leave many mandated
# minutes undelivered (walking and co-planning come out of the therapists' time): they
# fall behind pull-out on carry-over and far behind on mastery. Parallel push-in holds up
# best: it still leads pull-out on carry-over, but it too delivers fewer of the mandated
# minutes, and pull-out keeps the best mastery. With today's therapist time or more,
# co-taught and parallel push-in lead on carry-over, about level with each other, then
# hybrid, all ahead of pull-out, while mastery is about the same everywhere.
#
# That lead rests on practice in class generalizing more. Where in-class therapy
# generalizes no better than the therapy room, the policies are about level (the sweep
# above); if it is also less focused than the therapy room (both at the bottom of their
# plausible ranges), pull-out wins clearly, on carry-over and on mastery:

# %%
weak = {"push_in_generalization": 1.0, "push_in_focus": 0.7}
weak_table, _ = wh.compare_table(scenario, policies, metrics, replicates=3,
                                 parameters=weak)
weak_table

# %% [markdown]
# ## 3. Build a hybrid policy
#
# A policy can treat each service differently. For example: speech pushed into reading
# with co-planning (language is used everywhere), OT half and half, PT and counseling
# pulled out (space and privacy), SETSS pushed in. Choose a delivery model per service and
# press **Show results**; it is compared with pull-out on three paired repetitions.

# %%
from inclusion_sim.delivery.policies import Policy, ServicePolicy

CHOICES = {"Pull-out": ServicePolicy("pull_out"),
           "Push-in (alongside the lesson)": ServicePolicy("push_in", "parallel"),
           "Push-in (co-taught)": ServicePolicy("push_in", "collaborative"),
           "Hybrid (half out, half co-taught in)": ServicePolicy("hybrid", "collaborative")}
DEFAULTS = {"speech": "Push-in (co-taught)", "ot": "Hybrid (half out, half co-taught in)",
            "pt": "Pull-out", "counseling": "Pull-out", "setss": "Push-in (co-taught)"}


def my_policy(**choices):
    chosen = {**DEFAULTS, **choices}
    return Policy("my_policy", {service: CHOICES[choice]
                                for service, choice in chosen.items()})


def try_policy(**choices):
    policy = my_policy(**choices)
    print("Your policy:\n  " + wh.describe(policy).replace("; ", "\n  "))
    metrics = ["iep_carryover", "iep_mastery", "iep_academic_growth_sd",
               "iep_core_hours_missed", "iep_stigma", "mandate_compliance",
               "coordination_hours", "cost_usd"]
    means, _ = wh.compare_table(scenario, ["pull_out", "hybrid", policy], metrics,
                                replicates=3)
    return means


print("With the choices already in the menus (press Show results under them for yours):")
display(try_policy())
menus = {service: wh.menu(present.service_label(service), list(CHOICES), DEFAULTS[service],
                          label_width="280px")
         for service in wh.services()}
interact_manual.options(manual_name="Show results")(try_policy, **menus);

# %% [markdown]
# ## 4. Paired comparisons with uncertainty
#
# One run is one possible year. To say "policy A beats policy B" we repeat the year with
# different seeds; each seed gives both policies the same school and the same random
# events (refusals, absences), so we can look at the **difference on each seed**. The dot
# is the mean paired difference from pull-out, the bar its 95% confidence interval. An
# interval that crosses zero means these repetitions cannot tell the policies apart on
# that outcome.

# %%
from inclusion_sim.analysis.compare import compare_policies

candidates = ["pull_out", "push_in_collaborative", "hybrid", my_policy()]
paired = compare_policies(scenario, candidates, replicates=5)
wh.bigger_text(wh.plain_names(plots.plot_paired(paired.paired(), metrics=[
    "iep_carryover", "iep_mastery", "iep_academic_growth_sd", "iep_core_hours_missed",
    "iep_stigma", "mandate_compliance", "coordination_hours", "cost_usd"]),
    {"my_policy": "Your policy", "My policy": "Your policy"}))

# %% [markdown]
# Read the numbers on each axis before the positions of the dots: every panel has its own
# scale. Differences in academic growth or in stigma of a thousandth or two are drawn as
# wide as differences in carry-over dozens of times larger, and their intervals cross
# zero: on those outcomes these policies cannot be told apart.

# %%
wh.paired_table(paired.paired(), ["iep_carryover", "mandate_compliance", "cost_usd"])

# %% [markdown]
# ### Exercise 1
#
# From the sweep: does co-taught push-in stop beating pull-out on carry-over anywhere in
# the plausible range of in-class generalization (1.0 to 2.0; nobody has measured it
# precisely)? How large is its lead at the bottom of the range?
#
# <details><summary>Hint</summary>
#
# Read the last column of the sweep table, and the first panel of the
# figure under it.
#
# </details>

# %% [markdown]
# ### Exercise 2
#
# Design a policy that beats pull-out on carry-over **and** delivers at least 90% of
# mandated minutes. What does it cost in co-planning hours and dollars?
#
# <details><summary>Hint</summary>
#
# Services with many sessions a week (SETSS) can be split, since the hybrid rule pulls
# out half of a student's sessions. Services with one session a week are pushed in
# under hybrid. Check the row of mandated minutes delivered, and the core instruction missed:
# a therapist working alongside costs the student half of each session's lesson.
#
# </details>

# %% [markdown]
# ### Exercise 3
#
# Your school has a speech therapist vacancy and the remaining therapists are stretched.
# Which policy would you recommend this year, and what would make you change your
# mind next year?
#
# <details><summary>Hint</summary>
#
# Look at the 60% row of the staffing table, and at the share of mandated
# minutes delivered in the figure under it. Then think about what would have to change
# (more therapist time, reading blocks staggered across classes, co-planning time in
# teachers' timetables) for co-taught push-in or hybrid to pay off.
#
# </details>

# %% [markdown]
# ## 5. The year as schools live it: the 3:1 model
#
# So far every scheduled session happened, refusals aside. In a real year students are
# absent, the therapist is out with no substitute, testing days cancel sessions. Here the
# same school runs a school year with those **disruptions** on, under pull-out delivered
# every week, and under ASHA's **3:1 model**: three weeks of sessions, then a week of
# indirect work in which the therapist consults teachers and **makes up** the sessions
# lost in the three weeks. The same seed gives both the same absences. (This cell takes
# about a minute.)

# %%
from dataclasses import replace

from inclusion_sim import POLICY_PRESETS, run
from inclusion_sim.school.world import SERVICES

weekly = POLICY_PRESETS["pull_out"]
three_one = Policy("pull_out 3:1", {s: replace(weekly.for_service(s), cycle="three_one",
                                                makeup="makeup_week") for s in SERVICES})
rows = []
for label, policy in (("Pull-out every week", weekly),
                      ("Pull-out, 3:1 with a make-up week", three_one)):
    year = run(scenario, seed=5, policy=policy, disruptions=True, scheduling="greedy")
    rows.append({
        "Policy": label,
        "Mandated (hours a year)": round(year.year["mandated_minutes"].sum() / 60),
        "Delivered (hours a year)": round(year.year["delivered_minutes"].sum() / 60),
        "Of which made up (hours)": round(year.year["made_up_minutes"].sum() / 60),
        "Served in full in a month": f"{year.year_summary['share_full_services']:.0%}",
        "Teachers' strategy use (0-100)": round(100 * year.summary["teacher_strategy_use"]),
    })
pd.DataFrame(rows).set_index("Policy")

# %% [markdown]
# ### Exercise 4
#
# Under the 3:1 model, what share of students gets every mandated minute in a month, and
# how many hours of service do they get in the year, compared with weekly pull-out?
# Which of the two numbers would you report to parents, and which to the district?
#
# <details><summary>Hint</summary>
#
# The 3:1 IEP mandates three weeks in four, so its share served in full is measured
# against a smaller mandate. Compare the *delivered hours* column, then the *served in
# full* column.
#
# </details>
