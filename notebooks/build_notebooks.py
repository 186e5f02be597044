"""Write the workshop notebooks from the cell texts below.

The notebooks are generated so that their content stays reviewable as plain Python; edit this
file, not the ``.ipynb`` files, then run::

    python notebooks/build_notebooks.py

The notebooks are written without outputs (small diffs, no stale figures); the test suite
executes them (``pytest -m notebooks``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

def setup(widgets: str, library: str, plots: bool = False) -> str:
    """The first code cell: imports (sorted as ruff wants them) and the workshop's school."""
    plots_import = "import inclusion_sim.faces.plots as plots\n" if plots else ""
    return f"""\
# Run this cell first. It loads the simulation and the workshop's school.
import pandas as pd
import workshop_helpers as wh
from IPython.display import display
from ipywidgets import {widgets}

{plots_import}from inclusion_sim import {library}

%matplotlib inline
pd.set_option("display.precision", 3)
pd.set_option("display.max_colwidth", 200)
scenario = wh.school()
print(scenario.name)"""


HOW_TO = """\
**How to use this notebook.** Click a grey code cell and press **Shift + Enter** to run it;
the result appears underneath. Run the cells from top to bottom. You do not need to change any
code: where you see sliders or menus, move them and the figure updates (cells with a
**Run Interact** button recompute only when you click it). If something looks wrong, use
*Kernel → Restart & Run All*.

**What this is (and is not).** This is a simulation of a made-up school of about 250 students,
built from published research where research exists and from stated guesses where it does not.
It is a thinking tool for discussing trade-offs, not a verdict on any real school or child."""


def md(text: str):
    """A Markdown cell."""
    return new_markdown_cell(dedent(text).strip())


def code(text: str):
    """A code cell."""
    return new_code_cell(dedent(text).strip())


def exercise(number: int, question: str, hint: str):
    """An exercise with a collapsible hint."""
    return md(f"""\
### Exercise {number}

{dedent(question).strip()}

<details><summary>Hint</summary>

{dedent(hint).strip()}

</details>""")


# -- 01 -------------------------------------------------------------------------------------------
def nb01() -> list:
    return [
        md("""\
        # 1. A week in class

        Students with an IEP (Individualized Education Program) often have **related services**
        written into it: speech-language therapy, occupational therapy (OT), physical therapy
        (PT), counseling, or SETSS (special education teacher support). The IEP says how many
        sessions a week, how long, and the largest group allowed. It usually does not say
        *where* the help happens. Schools choose:

        * **Pull-out**: the student leaves the classroom and works with the therapist in a
          therapy room.
        * **Push-in**: the therapist comes into the classroom and works with the student
          during a lesson.

        In this notebook we meet one student and follow them through the same week under both
        choices: where they are each period, what they miss, and how they feel."""),
        md(HOW_TO),
        code(setup("Dropdown, interact", "SchoolModel")),
        md("""\
        ## Meet the student

        The simulation builds the whole school (classes, timetables, therapists, every
        student's IEP) from a *seed* number. The same seed gives exactly the same school and
        the same students under every policy, so we can follow one child under pull-out and
        under push-in and know that only the delivery model changed.

        We pick a first-grader with three different services. Students in the simulation have
        codes, not names; we will call this student **Sam**."""),
        code("""\
        models = {policy: SchoolModel.from_scenario(scenario, policy=policy, seed=1)
                  for policy in ("pull_out", "push_in")}
        sam = wh.pick_student(models["pull_out"], services=3)
        record = models["pull_out"].student_agents[sam].record
        print(f"Sam is student {record.id}, grade {record.grade}, class {record.class_id}.")
        wh.student_card(models["pull_out"], sam)"""),
        md("""\
        Sam's **friends** matter later: a student who feels singled out may be less willing to
        leave class in front of them, and students copy skills from classmates they feel close
        to."""),
        code("wh.friends_card(models['pull_out'], sam)"),
        md("""\
        ## Sam's week, two ways

        Each box is one period. Blue: Sam is in class with everyone else. Green: Sam is in
        class and a therapist is in the room working with Sam (push-in). Orange: Sam has left
        the room for therapy (pull-out).

        The scheduler places sessions where the therapist and every student in the group are
        free. It first fits as many of the mandated minutes as it can, then spreads each
        student's sessions over different days. Under push-in it only uses lessons where the
        skill is actually used (speech in reading, OT in writing, ...). Under pull-out it
        prefers lessons outside the core subjects (art, music, gym), but a group can mix
        students from classes with different timetables, so a period that is art for one
        student can be a core lesson for another. That is why the green boxes sit in different
        places from the orange ones."""),
        code("wh.plot_weeks(models, sam)"),
        md("The same week as a table (useful for reading aloud or copying):"),
        code("wh.week_table(models['pull_out'], sam)"),
        md("""\
        ## What Sam missed

        A pulled-out student misses the session *plus* the walk to the therapy room and back
        and the time to settle. The simulation assumes **5 minutes each way**. Nobody has
        measured this carefully; it is an **estimate** (between 2 and 10 minutes is
        plausible). A session can never cost more than the period it falls in.

        A pushed-in student stays in the room, but while working with the therapist follows
        only part of the lesson. The model assumes the student still follows 80% of it, so 20%
        of each pushed-in session counts as lesson missed (an **estimate**; anything from 0% to
        50% is plausible). Only missed *core* lessons (reading, writing, math, science, social
        studies) leave a backlog to catch up."""),
        code("""\
        missed = wh.missed_lessons(models["pull_out"], sam)
        display(missed)
        core = missed.loc[missed["core subject"], "class minutes lost (session + walking)"].sum()
        print(f"Under pull-out Sam loses {core:.0f} minutes of core lessons a week "
              f"(about {core * 36 / 60:.0f} hours over a 36-week year).")
        share = 1 - models["push_in"].params.parallel_lesson_share
        pushed = sum(s.minutes for s in wh.sessions_of(models["push_in"], sam))
        print(f"Under push-in Sam stays in the room but misses {share:.0%} of each session's "
              f"lesson: {share * pushed:.0f} minutes a week, all in core lessons here.")"""),
        md("""\
        ## How Sam felt

        Two feelings are tracked for every student, each on a 0 to 1 scale:

        * **Stigma** (feeling singled out). Each visible exit from class raises it a little;
          support inside the classroom raises it less, because classmates see that too. It
          fades by about a tenth each week. Older students feel each exit more.
        * **Belonging** (feeling part of the class). It falls as stigma rises, and lower
          belonging lowers engagement in lessons and therapy.

        All of these sizes are **estimates**. Research on placement and self-concept finds, on
        average, almost no difference between settings (Elbaum 2002; Krämer et al. 2021), so the
        model keeps the effect of one removal small. Here is Sam's week, day by day."""),
        code("""\
        days = pd.concat([wh.follow_days(scenario, policy, sam) for policy in models])
        days.pivot(index="day", columns="policy",
                   values=["stigma", "belonging", "core minutes missed"]).round(3)"""),
        md("""\
        ## Sam's whole year

        One week shows little. Over 36 weeks small differences add up. The left two panels
        show Sam's IEP skills: **mastery** of the IEP goals is how well Sam performs the skill;
        **carry-over** is how much Sam uses it in class, which is what the IEP is for. We add
        the **hybrid** policy: half the sessions pulled out, half pushed in with a co-planning
        teacher and therapist."""),
        code("""\
        year = [wh.student_year(scenario, policy, sam) for policy in ("pull_out", "push_in", "hybrid")]
        wh.plot_student_year(year)"""),
        md("""\
        Things to notice: Sam's **mastery** ends up similar under all three policies, while
        **carry-over** is higher under push-in and hybrid, because practice happens in the real
        task. Core lessons are missed under every policy, in different ways: under pull-out
        Sam leaves two core lessons a week and loses art, music or gym on four days of five;
        under push-in Sam stays for every lesson but follows only part of the lessons with a
        therapist in them. Push-in also leaves some sessions unscheduled, one of Sam's SETSS
        sessions among them (we will see why in notebook 2). The picture for one child depends
        on the child; notebook 5 looks at the whole school with many repetitions."""),
        md("""\
        ## Try it: another student, another policy

        Choose any student with an IEP and a policy. The first figure shows the default (Sam
        under pull-out and push-in) when this notebook is run without sliders."""),
        code("""\
        iep = wh.iep_students(models["pull_out"])
        labels = {f"{models['pull_out'].student_agents[i].record.id} (grade "
                  f"{models['pull_out'].student_agents[i].record.grade}): "
                  + ", ".join(m.service for m in models['pull_out'].student_agents[i].record.mandates): i
                  for i in iep}


        def show_week(student=sam, policy="hybrid"):
            chosen = {"pull_out": models["pull_out"],
                      policy: SchoolModel.from_scenario(scenario, policy=policy, seed=1)}
            display(wh.student_card(chosen["pull_out"], student))
            return wh.plot_weeks(chosen, student)


        interact(show_week, student=Dropdown(options=labels, value=sam),
                 policy=Dropdown(options=list(wh.POLICY_NAMES), value="hybrid"));"""),
        exercise(1, """\
        Pick an older student (grade 4 or 5) with a pull-out session. Compare their
        stigma after one year with Sam's. Why might it differ?""", """\
        Use the menu above to find an older student, then run
        `wh.plot_student_year([wh.student_year(scenario, "pull_out", STUDENT)])` in a new cell,
        replacing `STUDENT` with the number shown in the menu. The model makes each removal
        count a little more in higher grades (an **estimate** based on reports that older
        students' preferences differ)."""),
        exercise(2, """\
        Look at Sam's pull-out week. Which sessions land in a lesson Sam enjoys
        (art/music/gym or lunch/recess)? What do you expect to happen at the classroom door on
        those days?""", """\
        The model makes a student more likely to resist leaving when the session takes them
        out of a favourite period (an **estimate**; no study measured it). A refused session
        loses about half its minutes. Notebook 2 counts these lost minutes."""),
        exercise(3, """\
        Under push-in, Sam's sessions sit in reading, writing, math and social studies. Is
        there a cost to Sam (or to the class) of having a therapist work with Sam *during* the
        lesson?""", """\
        Think about attention: the model counts 20% of each pushed-in session as lesson Sam
        misses, gives a therapist in a busy classroom slightly less effect per minute than in
        a quiet room (90%), and lets a second adult distract the class a little (2% of the
        lesson); all three are **estimates**. It also gives classmates without an IEP a small
        benefit from a second adult. Notebook 4 switches these on and off."""),
    ]


# -- 02 -------------------------------------------------------------------------------------------
def nb02() -> list:
    return [
        md("""\
        # 2. Where the minutes go

        An IEP promises minutes. Between the promise and the child, minutes leak: sessions that
        cannot be fitted into the timetable, sessions lost to a student refusing to come, the
        walk to the therapy room. Therapists also spend minutes that are not sessions: walking
        between classrooms, and co-planning with teachers. This notebook keeps a year's
        **ledger** for the whole school under each policy."""),
        md(HOW_TO),
        code(setup("FloatSlider, interact", "PARAMETERS, SchoolModel, run")),
        md("""\
        ## One school year under four policies

        Each policy is run for 36 weeks on the same school with the same random draws (seed 1),
        so differences come from the policy, not from luck. A run takes well under a second."""),
        code("""\
        policies = ["pull_out", "push_in", "push_in_collaborative", "hybrid"]
        results = {policy: run(scenario, seed=1, policy=policy) for policy in policies}
        for policy in policies:
            print(f"{policy:>22}: {wh.POLICY_NAMES[policy]}")"""),
        md("""\
        ## The students' minutes

        For every student and service the ledger counts the minutes mandated, the minutes the
        timetable could fit ("scheduled"), and what happened to them. Hours are *student*
        hours: a 30-minute group session with three students counts 1.5 hours."""),
        code("""\
        ledger = pd.DataFrame({policy: wh.minutes_ledger(results[policy]) for policy in policies}).T
        display(ledger.round(0))
        wh.plot_stacked(ledger, "Mandated student hours in a year, and what happened to them")"""),
        md("""\
        Why are push-in minutes "never scheduled"? A pushed-in session has to sit in a lesson
        where the skill is used (speech during reading, OT during writing), on a day the
        therapist is at school, and one therapist cannot be in two classrooms at once. Walking
        between classrooms (and, for co-taught push-in, co-planning) also uses up the
        therapists' contracted minutes. Nor can a student always join a session already held in
        their class: the IEP limits the size of the group. The model reports each unscheduled
        session with its reason (minutes a week):"""),
        code("""\
        from inclusion_sim.delivery.scheduling import UNMET_REASONS

        reasons = pd.concat({policy: r.unmet.groupby("reason")["minutes"].sum()
                             for policy, r in results.items()}, axis=1).fillna(0)
        reasons.index = [UNMET_REASONS.get(code, code) for code in reasons.index]
        reasons"""),
        md("""\
        ## The staff's minutes

        Push-in costs therapist time that pull-out does not: **walking between classrooms**
        (5 minutes a session, an **estimate**). Co-planned, co-taught push-in also costs
        **co-planning**: 30 minutes a week for each teacher-therapist pair, charged to both
        (read in a survey of co-teachers, CT SERC 2016). That time comes out of the therapist's
        contracted hours, which is one reason why co-taught push-in leaves more sessions
        unscheduled when therapists are busy."""),
        code("""\
        staff = pd.DataFrame({policy: wh.staff_ledger(results[policy]) for policy in policies}).T
        staff["staff cost (USD)"] = [results[p].summary["cost_usd"] for p in policies]
        display(staff.round(0))
        wh.plot_stacked(staff.drop(columns="staff cost (USD)"), "Staff hours in a year")"""),
        md("""\
        The hourly costs behind the dollar figure are placeholders (**estimates**: 60 USD an hour
        for a school therapist, 90 for an agency therapist, 45 for a teacher). Replace them with
        local numbers before quoting any cost.

        ## Core instruction missed

        Under pull-out, students with an IEP miss class. How much each student misses depends on
        their mandates and on where the sessions land: a student with SETSS four times a week
        can miss far more than one with a single speech session. (Under push-in students miss
        a share of the lessons with a therapist in them; notebook 1 explains how much.)"""),
        code("""\
        from matplotlib.figure import Figure

        pulled = results["pull_out"].students.query("has_iep")
        hours = pulled["core_minutes_missed"] / 60
        print(f"Students with an IEP miss on average {hours.mean():.0f} hours of core lessons "
              f"a year under pull-out (median {hours.median():.0f}, most {hours.max():.0f}).")
        fig = Figure(figsize=(7, 3), constrained_layout=True)
        ax = fig.subplots()
        ax.hist(hours, bins=15, color="#f4a582", edgecolor="white")
        ax.set_xlabel("hours of core lessons missed in a year (pull-out)")
        ax.set_ylabel("students with an IEP")
        fig"""),
        md("""\
        ## Which lesson does the pull-out slot land on?

        The scheduler prefers to put a pull-out session in art, music or gym, where the group
        misses no core lesson, and uses a core lesson when no such period is free for the
        therapist and every student in the group. Here is where the class time lost went, by
        lesson, for the whole school over a year:"""),
        code("""\
        pull_out_model = SchoolModel.from_scenario(scenario, policy="pull_out", seed=1)
        by_lesson = wh.pull_out_minutes_by_lesson(pull_out_model)
        fig = Figure(figsize=(7, 3), constrained_layout=True)
        ax = fig.subplots()
        by_lesson.plot.barh(ax=ax, color="#f4a582")
        ax.invert_yaxis()
        ax.set_xlabel("student hours of class lost in a year (session + walking)")
        fig"""),
        md("""\
        It matters which lesson the slot lands on:

        * Missing **core lessons** (reading, writing, math, science, social studies) leaves a
          backlog of material the student has to catch up, which slows new learning. How fast
          students catch up (20% of the backlog a week) is an **estimate**.
        * Missing **art, music, gym or recess** costs no core content, but these are the
          periods students like most: resistance at the door is more likely (an **estimate**),
          and these periods are where many friendships are made.

        The scheduler's preference is soft: when art/music/gym is taken, a session still goes
        into a core lesson. A school can instead insist on pull-out **only outside core
        lessons**. Let us compare, on five paired repetitions of the year."""),
        code("""\
        from inclusion_sim.delivery.policies import uniform

        outside_core = uniform("pull_out_outside_core", "pull_out", avoid_core=True)
        metrics = ["iep_core_hours_missed", "iep_academic_growth_sd", "mandate_compliance",
                   "wasted_minutes_per_iep_student", "iep_mastery", "iep_carryover"]
        table, comparison = wh.compare_table(scenario, ["pull_out", outside_core], metrics,
                                             replicates=5)
        table"""),
        md("""\
        Keeping pull-out strictly out of core lessons removes the missed instruction, and
        students with an IEP grow a little more academically. But there is only one
        art/music/gym period a day, so about a quarter of the mandated minutes no longer fit
        anywhere: the share of mandated minutes delivered falls sharply, and with it mastery and
        carry-over. A policy that looks good on one outcome can fail on another.

        ## Try it: how much does the walk cost?

        Change the walking-and-settling time and the base chance that a student resists leaving
        class. Both are **estimates**; the sliders span the ranges the model documents."""),
        code("""\
        def ledger_for(transition_minutes=5.0, pull_out_refusal_rate=0.05):
            params = {"transition_minutes": transition_minutes,
                      "pull_out_refusal_rate": pull_out_refusal_rate}
            result = run(scenario, seed=1, policy="pull_out", parameters=params)
            print(f"Core hours missed per student with an IEP: "
                  f"{result.summary['iep_core_hours_missed']:.0f}; session minutes lost to "
                  f"refusals per student: {result.summary['wasted_minutes_per_iep_student']:.0f}")
            return wh.plot_stacked(pd.DataFrame({"pull_out": wh.minutes_ledger(result)}).T,
                                   "Pull-out: mandated student hours in a year")


        p = PARAMETERS
        interact(ledger_for,
                 transition_minutes=FloatSlider(value=5, min=p["transition_minutes"].low,
                                                max=p["transition_minutes"].high, step=1,
                                                continuous_update=False),
                 pull_out_refusal_rate=FloatSlider(value=0.05, min=p["pull_out_refusal_rate"].low,
                                                   max=p["pull_out_refusal_rate"].high, step=0.01,
                                                   continuous_update=False));"""),
        exercise(1, """\
        *What happens if the pull-out slot moves from math to art?* Use the comparison above
        (pull-out anywhere vs pull-out outside core lessons). Name one thing that gets better
        and two that get worse.""", """\
        Look at core hours missed and academic growth (better), then at the share of mandated
        minutes delivered and at mastery (worse). Also compare the minutes lost to refusals
        with the minutes delivered: sessions in favourite periods are refused more often."""),
        exercise(2, """\
        Set the walking time to 2 minutes and then to 10. How many hours of core lessons does
        an average student with an IEP lose in a year in each case?""", """\
        Each pulled-out session costs the session plus twice the walking time, up to the length
        of the period. Only the sessions that land in core lessons count here, and most
        pull-out sessions land in art, music or gym."""),
        exercise(3, """\
        Under push-in (therapist works alongside) the occupational therapist still has almost a
        third of their contracted time free, yet some OT sessions are "not scheduled". Why?
        What could the school change other than hiring?""",
        """\
        Look at the reasons table, and at `results["push_in"].unmet`, which lists the
        unscheduled sessions by service. The OT therapist is at school only on Tuesdays and
        Thursdays and pushes in only during writing or art/music/gym. In those lessons on those
        two days the therapist is often already in another classroom, or the session already
        held in the student's class is full (the IEP's largest group). Spreading the same hours
        over more days, allowing push-in in other lessons, or grouping students differently
        would give the therapist more usable slots."""),
    ]


# -- 03 -------------------------------------------------------------------------------------------
def nb03() -> list:
    return [
        md("""\
        # 3. Teachers learning from therapists

        One argument for push-in is that the classroom teacher sees what the therapist does and
        starts doing it too, so the student practises the skill every day, not only in the two
        weekly sessions. Does watching lead to doing?

        Research on teacher training says: rarely, on its own. Joyce and Showers (2002) estimate
        what share of trained teachers *use* a new strategy in class after each kind of
        training: none after theory and a demonstration, 5% after practice, 95% after
        coaching. Their figures are published as estimates, and other versions circulate, so
        treat them as rough."""),
        md(HOW_TO),
        code(setup("FloatSlider, interact_manual", "PARAMETERS, run")),
        code("""\
        from matplotlib.figure import Figure

        training = pd.DataFrame(
            {"know it": [10, 30, 60, 95], "can do it": [5, 30, 60, 95], "use it in class": [0, 0, 5, 95]},
            index=["theory", "+ demonstration", "+ practice", "+ coaching"])
        fig = Figure(figsize=(8, 3), constrained_layout=True)
        ax = fig.subplots()
        training.plot.bar(ax=ax, rot=0)
        ax.set_ylabel("% of teachers (estimated)")
        ax.set_title("Joyce & Showers 2002: watching is not adopting", loc="left")
        fig"""),
        md("""\
        ## Two kinds of push-in

        * **Parallel push-in**: the therapist works with the student in the classroom, beside the
          lesson. The teacher can watch, which is like a *demonstration*.
        * **Collaborative push-in**: teacher and therapist plan the lesson together (30 minutes
          a week) and teach it together, which is like *practice with coaching*.

        In the model every pushed-in session held in the teacher's lesson raises the teacher's
        **knowledge** of that service's strategies a little (an **estimate**). Knowledge turns
        into **use** at 5% a year with parallel push-in and 95% a year with collaborative
        push-in. These rates are **estimates** too: Joyce and Showers give shares of trained
        teachers, not yearly rates, and after a demonstration alone their share is 0%, so the
        model is, if anything, generous to parallel push-in. Use that no therapist reinforces
        fades slowly (an **estimate**). Pull-out sessions happen out of the teacher's sight, so
        they teach the teacher nothing. The homeroom teacher is not in the room during art,
        music, gym or lunch, so push-in sessions there (PT in gym, for instance) teach the
        teacher nothing either, and teachers give no practice in those periods."""),
        md("The numbers behind these mechanisms, with their status:"),
        code("""\
        display(wh.parameter_table(["observe_knowledge_gain", "adoption_parallel",
                                    "adoption_collaborative", "strategy_fade",
                                    "practice_minutes_per_lesson", "teacher_practice_efficacy",
                                    "coplanning_minutes"]))"""),
        code("""\
        curves = pd.concat([wh.teacher_curves(scenario, policy)
                            for policy in ("push_in", "push_in_collaborative", "pull_out")])
        fig = Figure(figsize=(11, 3.4), constrained_layout=True)
        axes = fig.subplots(1, 2)
        for ax, column in zip(axes, ["knows", "uses"], strict=True):
            for policy, part in curves.groupby("policy", sort=False):
                ax.plot(part["week"], part[column], label=wh.POLICY_NAMES[policy])
            ax.set_title(f"Teachers' strategies: {column} (0-1)", loc="left")
            ax.set_xlabel("school week")
            ax.set_ylim(0, 1)
            ax.grid(alpha=0.3)
        axes[0].legend(fontsize=8)
        fig"""),
        md("""\
        Under both kinds of push-in teachers come to *know* the strategies about equally well:
        they see the same sessions. Only with co-planning and co-teaching do they *use* them.

        ## What that does for students between sessions

        A teacher who uses a strategy gives each student who needs it a few minutes of practice
        in every relevant lesson (5 minutes, at half the effect of a therapist's minute; both
        **estimates**). That is practice in the real task, so it shows up mostly as
        **carry-over**: using the skill in class."""),
        code("""\
        metrics = ["teacher_strategy_use", "iep_mastery", "iep_carryover", "coordination_hours",
                   "cost_usd"]
        table, comparison = wh.compare_table(scenario, ["push_in", "push_in_collaborative"], metrics,
                                             replicates=3)
        table"""),
        code("""\
        practice = pd.concat({policy: run(scenario, seed=1, policy=policy).services
                              for policy in ("push_in", "push_in_collaborative")}, names=["policy"])
        practice = practice.reset_index(level=0)
        summary = practice.groupby(["policy", "service"])[["teacher_practice_minutes", "carryover"]].mean()
        summary["teacher practice, hours a year"] = summary.pop("teacher_practice_minutes") / 60
        summary.round(2)"""),
        md("""\
        ## Is it the practice, or something else?

        Switch the teachers' practice off (teachers still learn, but never practise with the
        students) and compare collaborative with parallel push-in again. If the advantage of
        collaboration disappears, it came from what teachers do between sessions."""),
        code("""\
        from inclusion_sim import MECHANISMS

        no_practice = [m for m in MECHANISMS if m != "teacher_practice"]
        rows = {}
        for label, mechanisms in (("teacher practice on", MECHANISMS),
                                  ("teacher practice off", no_practice)):
            diffs = []
            for seed in (1, 2, 3):
                a = run(scenario, seed=seed, policy="push_in", mechanisms=mechanisms).summary
                b = run(scenario, seed=seed, policy="push_in_collaborative",
                        mechanisms=mechanisms).summary
                diffs.append(b["iep_carryover"] - a["iep_carryover"])
            rows[label] = sum(diffs) / len(diffs)
        pd.Series(rows, name="carry-over: collaborative minus parallel push-in").round(3)"""),
        md("""\
        ## Try it: how fast do teachers adopt?

        The adoption rates are estimates built on a source that itself calls its figures
        estimates. Move them and see how teachers' use of strategies changes over a year.
        (Press **Run Interact** after moving the sliders; each press runs two school years.)"""),
        code("""\
        def adoption(adoption_parallel=0.05, adoption_collaborative=0.5, strategy_fade=0.02):
            params = {"adoption_parallel": adoption_parallel,
                      "adoption_collaborative": adoption_collaborative,
                      "strategy_fade": strategy_fade}
            fig = Figure(figsize=(7, 3.2), constrained_layout=True)
            ax = fig.subplots()
            for policy in ("push_in", "push_in_collaborative"):
                part = wh.teacher_curves(scenario, policy, parameters=params)
                ax.plot(part["week"], part["uses"], label=wh.POLICY_NAMES[policy])
            ax.set_ylim(0, 1)
            ax.set_xlabel("school week")
            ax.set_title("Teachers' use of strategies (0-1)", loc="left")
            ax.legend(fontsize=8)
            ax.grid(alpha=0.3)
            return fig


        p = PARAMETERS
        interact_manual(
            adoption,
            adoption_parallel=FloatSlider(value=0.05, min=p["adoption_parallel"].low,
                                          max=p["adoption_parallel"].high, step=0.01),
            adoption_collaborative=FloatSlider(value=0.5, min=p["adoption_collaborative"].low,
                                               max=p["adoption_collaborative"].high, step=0.05),
            strategy_fade=FloatSlider(value=0.02, min=p["strategy_fade"].low,
                                      max=p["strategy_fade"].high, step=0.01));"""),
        exercise(1, """\
        Set the parallel adoption rate to its highest plausible value (10% a year). Does
        parallel push-in catch up with collaborative push-in? What does that tell you about
        "the teacher will pick it up by watching"?""", """\
        Run `adoption(adoption_parallel=0.10)` in a new cell if the slider is not available.
        Compare the end-of-year use under both policies."""),
        exercise(2, """\
        Collaborative push-in costs co-planning time. Using the table above, how many hours of
        co-planning does the school spend in a year, and what would you ask a principal for to
        make it possible?""", """\
        `coordination_hours` counts both the therapists' and the teachers' co-planning hours.
        The therapists' share comes out of their contracted time, which is why co-taught
        push-in can leave sessions unscheduled (notebook 2)."""),
        exercise(3, """\
        Pull-out gives teachers' use of strategies exactly 0 in the model. Is that realistic?
        What could a school add to pull-out so teachers still learn the strategies?""", """\
        In the model the teacher only learns from sessions held in their room. In real schools
        therapists also consult, share goals and model strategies at meetings. A hybrid policy
        (notebook 5) mixes the two."""),
    ]


# -- 04 -------------------------------------------------------------------------------------------
def nb04() -> list:
    return [
        md("""\
        # 4. Stigma, belonging and peers

        Being taken out of class in front of classmates can make a child feel different.
        Staying in class lets a child see classmates use the skill, and a second adult in the
        room may help other students too. This notebook looks at these social mechanisms and
        asks: **how much of the difference between pull-out and push-in do they explain?**

        The mechanisms, in plain words (every size is an **estimate** unless marked):

        * **Stigma**: each visible removal raises felt stigma a little, more in older grades;
          support inside the classroom raises it less; it fades each week. Research finds, on
          average, no difference in self-concept between placements (Elbaum 2002; Krämer et al.
          2021: d = 0.00), so the model keeps the effect small.
        * **Belonging and engagement**: higher stigma lowers belonging; lower belonging lowers
          engagement in lessons and in therapy, and makes refusals more likely.
        * **Resistance**: a student may resist leaving class (10% of pull-out sessions at zero
          stigma; more with stigma or when missing a favourite period); a resisted session loses
          about half its minutes.
        * **Peer modeling**: in lessons where a skill is used, a student copies it from skilled
          classmates, more when they feel they belong. Kept small, because the large effects in
          single-case studies cannot be compared with group effects.
        * **Spill-over**: a therapist in a core lesson is a second adult and helps classmates
          *without* an IEP a little, the weakest most (read: d about +0.05 a year for
          classmates, within the |d| ≤ 0.15 that inclusion studies report), and can also
          distract the class a little.
        * **Missed instruction**: a pulled-out student misses the session and the walk; a
          pushed-in student misses a share of the lesson (20%, an **estimate**)."""),
        md(HOW_TO),
        code(setup("FloatSlider, interact_manual", "PARAMETERS, run", plots=True)),
        md("""\
        ## Stigma and belonging over the year

        Five paired repetitions of the year per policy; the line is the mean and the band the
        middle 80% of repetitions."""),
        code("""\
        from inclusion_sim.analysis.compare import compare_policies

        comparison = compare_policies(scenario, ["pull_out", "push_in_collaborative", "hybrid"],
                                      replicates=5)
        plots.plot_weekly_by_policy(comparison.weekly(), "Five paired school years per policy")"""),
        md("""\
        ## Older students feel it more

        Felt stigma at the end of the year for each student with an IEP, by grade, under
        pull-out (grade 0 is kindergarten)."""),
        code("""\
        from matplotlib.figure import Figure

        pulled = run(scenario, seed=1, policy="pull_out").students.query("has_iep")
        by_grade = pulled.groupby("grade")[["stigma", "belonging", "refusals"]].mean()
        display(by_grade.round(3))
        fig = Figure(figsize=(6, 3), constrained_layout=True)
        ax = fig.subplots()
        ax.scatter(pulled["grade"], pulled["stigma"], alpha=0.6)
        ax.set_xlabel("grade")
        ax.set_ylabel("felt stigma at year end (0-1)")
        fig"""),
        md("""\
        ## Classmates without an IEP

        Under push-in, classmates share their lesson with a second adult. In the model only
        classmates without an IEP get this spill-over, and it is small by design (within what
        inclusion studies find, F3 in the literature notes)."""),
        code("""\
        peers = comparison.summary().groupby("policy", sort=False)[
            ["peer_academic_growth_sd", "peer_spillover_sd"]].mean()
        peers.columns = [wh.metric_label(c) for c in peers.columns]
        peers"""),
        md("""\
        ## Switch each mechanism off

        We compare co-taught push-in with pull-out on the same three seeds, first with every
        mechanism on, then with one mechanism switched off at a time. If switching a mechanism
        off moves the difference a lot, that mechanism explains much of it. The dashed line
        marks the difference with everything on. (This runs 54 school years, under half a
        minute.)"""),
        code("""\
        metrics = ["iep_carryover", "iep_academic_growth_sd", "iep_belonging"]
        table = wh.switch_off(scenario, "pull_out", "push_in_collaborative", metrics)
        display(table.round(3))
        wh.plot_switch_off(table, "pull_out", "push_in_collaborative")"""),
        md("""\
        Read the figure one panel at a time:

        * **Belonging**: stigma explains all of the difference; switch it off and the two
          policies feel the same.
        * **Academic growth**: the difference is small, and no single mechanism carries most of
          it. *Missed instruction* explains the largest part: pulled-out students lose more core
          lesson time than pushed-in students lose by following only part of the lesson, but
          most pull-out sessions land in art, music or gym, so the gap is modest. *Stigma*
          (through engagement) explains almost as much, and the IEP skills themselves a little
          (a student who uses their IEP skills more in class learns a little faster).
          Spill-over reaches only classmates without an IEP, so it explains none of this
          difference.
        * **Carry-over**: co-taught push-in leads clearly. It delivers about as many of the
          mandated minutes as pull-out (notebook 2), and teachers' practice between sessions
          (notebook 3), the extra generalization of practice in class (*setting efficacy*) and
          fewer refusals (*resistance*) each add to its lead. Switch any one of these off and
          the lead shrinks, but co-taught push-in stays ahead.

        With these estimated sizes, stigma matters for how students feel more than for what
        they learn. That is a consequence of the estimates, not a finding: move the slider
        below."""),
        md("""\
        ## Try it: how much does one removal hurt?

        Move the stigma added by each removal (0 = none, up to 0.02, five times the default) and
        the extra refusal risk per unit of stigma. Press **Run Interact**; each press runs two
        paired years for three seeds."""),
        code("""\
        def stigma_effect(stigma_per_removal=0.004, refusal_stigma_gain=2.0):
            params = {"stigma_per_removal": stigma_per_removal,
                      "refusal_stigma_gain": refusal_stigma_gain}
            metrics = ["iep_stigma", "iep_belonging", "wasted_minutes_per_iep_student",
                       "iep_carryover", "iep_academic_growth_sd"]
            means, _ = wh.compare_table(scenario, ["pull_out", "push_in_collaborative"], metrics,
                                        replicates=3, parameters=params)
            return means


        p = PARAMETERS
        display(stigma_effect())
        interact_manual(
            stigma_effect,
            stigma_per_removal=FloatSlider(value=0.004, min=p["stigma_per_removal"].low,
                                           max=p["stigma_per_removal"].high, step=0.002,
                                           readout_format=".3f"),
            refusal_stigma_gain=FloatSlider(value=2.0, min=p["refusal_stigma_gain"].low,
                                            max=p["refusal_stigma_gain"].high, step=0.5));"""),
        exercise(1, """\
        Set the stigma of one removal to 0 (what the meta-analyses find on average). Which
        differences between pull-out and push-in remain?""", """\
        Run `stigma_effect(stigma_per_removal=0.0)` in a new cell. Stigma still rises a little
        under push-in (support in class is visible too) unless that is also 0."""),
        exercise(2, """\
        From the switch-off figure: which single mechanism explains most of the difference in
        academic growth between co-taught push-in and pull-out? Which explains the difference
        in belonging?""", """\
        Compare each bar with the dashed line. A bar far from the line means that mechanism
        carries much of the difference."""),
        exercise(3, """\
        Peer modeling depends on belonging. Why does switching peer modeling off change the
        carry-over difference so little here? When might it matter more?""", """\
        The model keeps peer modeling small (large single-case effects are not comparable with
        group effects). It also needs skilled classmates: in a class where many students share
        a need there are fewer models."""),
    ]


# -- 05 -------------------------------------------------------------------------------------------
def nb05() -> list:
    return [
        md("""\
        # 5. Design your policy

        No delivery model wins everywhere. Reviews find classroom-based services "at least as
        effective" as pull-out for some goals (Cirrin et al. 2010), and a combined model beat
        both pure models in one district study (Marston 1996). In this notebook you will:

        1. run a small **sweep**: the same comparison under different values of an uncertain
           number;
        2. see the **conditions under which pull-out wins**;
        3. build a **hybrid policy**, service by service;
        4. compare policies **with uncertainty**: paired repetitions and 95% intervals."""),
        md(HOW_TO),
        code(setup("Dropdown, interact_manual", "experiments", plots=True)),
        md("""\
        Every number in the model is documented with a plausible range and a *status*:
        **read** (measured in a published source), **secondary** (read in a source that cites
        it) or **estimate** (nobody measured it; a judgement that must be varied). The ones this
        notebook varies:"""),
        code("wh.parameter_table(['push_in_generalization', 'push_in_focus', 'mastery_rate'])"),
        md("""\
        ## 1. A small sweep: how much more does practice in class generalize?

        The model assumes that a minute of therapy inside the classroom turns into 1.5 times as
        much classroom use of the skill as a minute in the therapy room (anchored to one small
        randomized study, Wilcox et al. 1991; the size is an **estimate**, plausible from 1.0 to
        2.0). We run three policies at three values, three paired repetitions each: 27 school
        years."""),
        code("""\
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
        sweep_table = outcomes.pivot_table(index="push_in_generalization", columns="policy",
                                           values="iep_carryover", aggfunc="mean")
        sweep_table["best for carry-over"] = sweep_table.idxmax(axis=1)
        sweep_table.round(3)"""),
        code("""\
        from inclusion_sim.faces.sweep_figures import outcome_vs_parameter

        outcome_vs_parameter(outcomes, "push_in_generalization",
                             ["iep_carryover", "iep_mastery", "iep_academic_growth_sd"],
                             ["pull_out", "push_in_collaborative", "hybrid"])"""),
        md("""\
        ## 2. When does pull-out win?

        Pull-out is focused, cheap in therapist time and easy to schedule. Push-in needs a
        therapist free during the right lesson, walking time and (co-taught) co-planning time.
        So the number of therapist hours matters. We give every therapist 60%, 100% or 150% of
        their contracted time and compare four policies (three paired repetitions each)."""),
        code("""\
        staff = scenario.spec.model_dump()["staff"]
        policies = ["pull_out", "push_in", "push_in_collaborative", "hybrid"]
        metrics = ["iep_carryover", "iep_mastery", "mandate_compliance"]
        rows = []
        for factor in (0.6, 1.0, 1.5):
            changed = [{**s, "minutes_per_week": int(s["minutes_per_week"] * factor)} for s in staff]
            _, comp = wh.compare_table(scenario.with_changes({"staff": changed}), policies, metrics,
                                       replicates=3)
            means = comp.summary().groupby("policy", sort=False)[metrics].mean()
            rows.append(means.assign(staff_time=factor).reset_index())
        staffing = pd.concat(rows)
        print("Carry-over (0-1) by therapists' contracted time (1.0 = as today):")
        staffing.pivot(index="staff_time", columns="policy", values="iep_carryover").round(3)"""),
        code("""\
        from matplotlib.figure import Figure

        fig = Figure(figsize=(12, 3.4), constrained_layout=True)
        axes = fig.subplots(1, 3)
        for ax, metric in zip(axes, metrics, strict=True):
            for policy, part in staffing.groupby("policy", sort=False):
                ax.plot(part["staff_time"], part[metric], marker="o", label=wh.POLICY_NAMES[policy])
            ax.set_title(wh.metric_label(metric), fontsize=9)
            ax.set_xlabel("therapists' contracted time (1.0 = as today)")
            ax.grid(alpha=0.3)
        axes[0].legend(fontsize=7)
        fig"""),
        md("""\
        When therapists are short of time, co-taught push-in and hybrid leave many mandated
        minutes undelivered (walking and co-planning come out of the therapists' time): the four
        policies end up close on carry-over, and pull-out keeps the best mastery. With today's
        therapist time or more, co-taught push-in leads on carry-over, then hybrid, then
        parallel push-in, all ahead of pull-out. Pull-out wins on carry-over only when in-class
        therapy generalizes no better than the therapy room *and* is less focused (both at the
        bottom of their plausible ranges), and even then hybrid is about level with it:"""),
        code("""\
        weak = {"push_in_generalization": 1.0, "push_in_focus": 0.7}
        weak_table, _ = wh.compare_table(scenario, policies, metrics, replicates=3,
                                         parameters=weak)
        weak_table.round(3)"""),
        md("""\
        ## 3. Build a hybrid policy

        A policy can treat each service differently. For example: speech pushed into reading
        with co-planning (language is used everywhere), OT half and half, PT and counseling
        pulled out (space and privacy), SETSS pushed in. Choose a delivery model per service and
        press **Run Interact**; it is compared with pull-out on three paired repetitions."""),
        code("""\
        from inclusion_sim.delivery.policies import Policy, ServicePolicy

        CHOICES = {"pull-out": ServicePolicy("pull_out"),
                   "push-in (parallel)": ServicePolicy("push_in", "parallel"),
                   "push-in (co-taught)": ServicePolicy("push_in", "collaborative"),
                   "hybrid (co-taught half)": ServicePolicy("hybrid", "collaborative")}


        def my_policy(speech="push-in (co-taught)", ot="hybrid (co-taught half)", pt="pull-out",
                      counseling="pull-out", setss="push-in (co-taught)"):
            chosen = {"speech": speech, "ot": ot, "pt": pt, "counseling": counseling,
                      "setss": setss}
            return Policy("my_policy", {service: CHOICES[choice]
                                        for service, choice in chosen.items()})


        def try_policy(**choices):
            policy = my_policy(**choices)
            print(policy.describe())
            metrics = ["iep_carryover", "iep_mastery", "iep_academic_growth_sd",
                       "iep_core_hours_missed", "iep_stigma", "mandate_compliance",
                       "coordination_hours", "cost_usd"]
            means, _ = wh.compare_table(scenario, ["pull_out", "hybrid", policy], metrics,
                                        replicates=3)
            return means


        display(try_policy())
        menus = {service: Dropdown(options=list(CHOICES), value=default) for service, default in
                 zip(wh.services(), ["push-in (co-taught)", "hybrid (co-taught half)", "pull-out",
                                     "pull-out", "push-in (co-taught)"], strict=True)}
        interact_manual(try_policy, **menus);"""),
        md("""\
        ## 4. Paired comparisons with uncertainty

        One run is one possible year. To say "policy A beats policy B" we repeat the year with
        different seeds; each seed gives both policies the same school and the same random
        events (refusals, absences), so we can look at the **difference on each seed**. The dot
        is the mean paired difference from pull-out, the bar its 95% confidence interval. An
        interval that crosses zero means these repetitions cannot tell the policies apart on
        that outcome."""),
        code("""\
        from inclusion_sim.analysis.compare import compare_policies

        candidates = ["pull_out", "push_in_collaborative", "hybrid", my_policy()]
        paired = compare_policies(scenario, candidates, replicates=5)
        plots.plot_paired(paired.paired(), metrics=[
            "iep_carryover", "iep_mastery", "iep_academic_growth_sd", "iep_core_hours_missed",
            "iep_stigma", "mandate_compliance", "coordination_hours", "cost_usd"])"""),
        code("""\
        table = paired.paired().query("metric in ['iep_carryover', 'mandate_compliance', 'cost_usd']")
        table[["policy", "metric", "baseline_mean", "policy_mean", "difference", "ci_low",
               "ci_high"]].round(3)"""),
        exercise(1, """\
        From the sweep: does co-taught push-in stop beating pull-out on carry-over anywhere in
        the plausible range of in-class generalization (1.0 to 2.0; nobody has measured it
        precisely)? How large is its lead at the bottom of the range?""", """\
        Read the `best for carry-over` column of the sweep table, and the first panel of the
        figure under it."""),
        exercise(2, """\
        Design a policy that beats pull-out on carry-over **and** delivers at least 90% of
        mandated minutes. What does it cost in co-planning hours and dollars?""", """\
        Services with many sessions a week (SETSS) can be split, since the hybrid rule pulls
        out half of a student's sessions. Services with one session a week are pushed in
        under hybrid. Check the `mandate_compliance` row."""),
        exercise(3, """\
        Your school has a speech therapist vacancy and the remaining therapists are stretched.
        Which policy would you recommend this year, and what would make you change your
        mind next year?""", """\
        Look at the 0.6 staff-time row of the staffing table, and at the share of mandated
        minutes delivered in the figure under it. Then think about what would have to change
        (more therapist time, reading blocks staggered across classes, co-planning time in
        teachers' timetables) for co-taught push-in or hybrid to pay off."""),
    ]


NOTEBOOKS = {
    "01_a_week_in_class": nb01,
    "02_where_the_minutes_go": nb02,
    "03_teachers_learning": nb03,
    "04_stigma_and_peers": nb04,
    "05_design_your_policy": nb05,
}


def build(name: str):
    """The notebook object for one of `NOTEBOOKS`."""
    nb = new_notebook(cells=NOTEBOOKS[name]())
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"{name[:2]}-{k:02d}"
    return nb


def main(argv: list[str]) -> None:
    """Write every notebook (or the ones named on the command line) next to this file."""
    for name in argv or list(NOTEBOOKS):
        path = HERE / f"{name}.ipynb"
        nbformat.write(build(name), path)
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
