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
        only part of the lesson. How much is an **estimate** too. When the therapist works
        alongside (at a side table, on the therapy task) the model assumes the student still
        follows half of the lesson, so half of each session counts as lesson missed (anything
        from none to all of it is plausible). In a co-taught session, planned around the
        lesson's own task, the student follows 80% of it.

        Time missed in art, music, gym or lunch costs no academic content. A minute missed in a
        **core** lesson (reading, writing, math, science, social studies) is counted once: it
        gives no academic growth that day and goes onto a **backlog** of material to catch up.
        Each week the student catches up a share of the backlog (5%, an **estimate**: 0 would
        mean a missed minute is simply lost), and what is caught up gives the growth it would
        have given in the lesson. Whatever is still on the backlog at the end of the year is
        growth lost. A student who refuses a session stays in class and misses nothing (the
        session is lost instead; notebook 2 counts those minutes)."""),
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
        For Sam the two settings cost about the same core time: pull-out takes Sam out of two
        core lessons a week in full, push-in takes half of five. Which costs more depends on
        estimates nobody has measured (the walk, how much of a lesson a student follows beside a
        therapist). Co-taught sessions cost less, and so do pull-out sessions that land in art,
        music or gym.

        ## How Sam felt

        Two feelings are tracked for every student, each on a 0 to 1 scale:

        * **Stigma** (feeling singled out). Each visible exit from class raises it a little, and
          so does each session of support inside the classroom, because classmates see that
          too. Older students feel each one more. It fades by about a tenth each week.
        * **Belonging** (feeling part of the class). It falls as stigma rises, and lower
          belonging lowers engagement in lessons and therapy.

        All of these sizes are **estimates**. Research on placement and self-concept finds, on
        average, almost no difference between settings (Elbaum 2002; Krämer et al. 2021), so the
        model keeps the effect small and, by default, the same for an exit and for a session in
        class. What differs between the settings is then how often support is visible, not how
        much each time. Here is Sam's week, day by day."""),
        code("""\
        days = pd.concat([wh.follow_days(scenario, policy, sam) for policy in models])
        days.pivot(index="day", columns="policy",
                   values=["stigma", "belonging", "core minutes missed"]).round(3)"""),
        md("""\
        ## Sam's whole year

        One week shows little. Over 36 weeks small differences add up. The left two panels
        show Sam's IEP skills: **mastery** of the IEP goals is how well Sam performs the skill;
        **carry-over** is how much Sam uses it in class, which is what the IEP is for.
        **Academic growth** is progress in reading and math, in standard deviations (SD) of test
        scores: a typical first-grader gains about 1.3 SD in a year (published benchmarks), a
        student with an IEP less (60% of that, an **estimate**). We add the **hybrid** policy:
        half the sessions pulled out, half pushed in with a co-planning teacher and
        therapist."""),
        code("""\
        year = [wh.student_year(scenario, policy, sam) for policy in ("pull_out", "push_in", "hybrid")]
        wh.plot_student_year(year)"""),
        md("""\
        Things to notice: Sam's **mastery** ends up similar under all three policies, while
        **carry-over** is somewhat higher under push-in and hybrid, because the model lets
        practice in the real task carry over more (an **estimate**; notebook 5 varies it). Core
        lessons are missed under every policy, in different ways: under pull-out Sam leaves two
        core lessons a week and loses art, music or gym on four days of five; under push-in Sam
        stays for every lesson but follows only half of the five lessons with a therapist in
        them, which adds up to almost as much; hybrid, whose pushed-in half is co-taught, misses
        the least. Yet Sam's **academic growth** barely differs: the missed hours are a small
        share of a year's core lessons, and part of them is caught up. **Stigma** rises under
        every policy, a little less under push-in because one of Sam's SETSS sessions could not
        be scheduled (notebook 2 shows why): fewer sessions, fewer visible moments. The picture
        for one child depends on the child; notebook 5 looks at the whole school with many
        repetitions."""),
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
        replacing `STUDENT` with the number shown in the menu. The model makes each visible
        session (an exit or support in class) count a little more in higher grades (an
        **estimate** based on reports that older students' preferences differ). Count the
        sessions too."""),
        exercise(2, """\
        Look at Sam's pull-out week. Which sessions land in a lesson Sam enjoys
        (art/music/gym or lunch/recess)? What do you expect to happen at the classroom door on
        those days?""", """\
        The model makes a student twice as likely to refuse a session that falls in a
        favourite period (an **estimate**; no study measured it), in any setting: a therapist
        pushing into gym would meet the same reluctance. A refused session is lost whole, and
        the student stays in class. Notebook 2 counts these lost minutes."""),
        exercise(3, """\
        Under push-in, Sam's sessions sit in reading, writing, math and social studies. Is
        there a cost to Sam (or to the class) of having a therapist work with Sam *during* the
        lesson?""", """\
        Think about attention: the model counts half of each pushed-in session as lesson Sam
        misses when the therapist works alongside (a fifth when co-taught), and during the
        session Sam gets no practice from classmates or the teacher in that lesson (Sam is
        practising with the therapist). A second adult distracts the class a little (2% of the
        lesson). A therapist's minute in class counts as much as in the therapy room, as one
        small study found, though a busy room could lower it. All of these are **estimates**.
        Classmates without an IEP gain a little from a second adult; under pull-out they gain a
        little from a smaller class while Sam is out, and lose a minute each time students
        leave or come back. Notebook 4 switches these on and off."""),
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
        **Refusals.** A student may refuse a session in any setting: refuse to leave for the
        therapy room, or refuse to work with the therapist who comes to the desk. The base
        chance is the same for both, 5% of sessions (an **estimate**: nobody has measured it,
        and students' stated preferences point both ways). It rises with felt stigma, and it
        doubles when the session falls in a favourite period (art, music, gym, lunch or recess;
        also an **estimate**). A refused session is lost whole, and the student stays in the
        lesson. Pull-out loses more minutes to refusals here because its sessions land in art,
        music or gym far more often than pushed-in sessions do.

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
        unscheduled when therapists are busy.

        Under every policy, pull-out included, each therapist also consults the teachers of the
        classes their students are in: about 1.9 hours a week, the figure a national survey of
        school speech-language pathologists reports (ASHA 2022). The survey counts that time
        apart from sessions, so it takes nothing from the session minutes below and is the same
        under every policy; it is not in these hours. Notebook 3 looks at what teachers learn
        from it."""),
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

        Students with an IEP miss core lessons under every policy. Under pull-out they leave
        the room; under push-in they stay but follow only part of the lesson while they work
        with the therapist (half when the therapist works alongside, 80% when co-taught; both
        **estimates**, see notebook 1). How much each student misses depends on their mandates
        and on where the sessions land: a student with SETSS four times a week can miss far
        more than one with a single speech session. Hours of core lessons missed in a year, per
        student with an IEP:"""),
        code("""\
        from matplotlib.figure import Figure

        missed = pd.DataFrame({policy: results[policy].students.query("has_iep")["core_minutes_missed"]
                               for policy in policies}) / 60
        summary = missed.agg(["mean", "median", "max"]).T
        summary.index = [wh.POLICY_NAMES[policy] for policy in summary.index]
        display(summary.round(0))
        fig = Figure(figsize=(10, 3), constrained_layout=True)
        axes = fig.subplots(1, 2, sharex=True, sharey=True)
        for ax, policy in zip(axes, ["pull_out", "push_in"], strict=True):
            ax.hist(missed[policy], bins=range(0, 115, 5), color=wh.COLOURS[policy],
                    edgecolor="white")
            ax.set_title(wh.POLICY_NAMES[policy], loc="left", fontsize=10)
            ax.set_xlabel("hours of core lessons missed in a year")
            ax.grid(axis="y", alpha=0.3)
        axes[0].set_ylabel("students with an IEP")
        fig"""),
        md("""\
        The two settings spread the loss differently. Under pull-out most students miss no core
        lesson at all (all their sessions land in art, music or gym) and a few miss a great
        deal. With the therapist working alongside, nearly everyone misses some, because every
        pushed-in session sits in a lesson where the skill is used, mostly a core lesson, and
        half of it counts as missed: on average more than under pull-out. Co-taught push-in
        and hybrid miss the least. What a missed core hour costs is explained below."""),
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
        ax.set_xlabel("student hours of class lost in a year (session + walking, if attended)")
        fig"""),
        md("""\
        It matters which lesson the slot lands on:

        * A minute missed in a **core lesson** (reading, writing, math, science, social
          studies) gives no academic growth and goes onto a backlog of material to catch up.
          Each week the student catches up 5% of the backlog (an **estimate**: from 0, a missed
          minute is lost for good, to 20%, nearly all of it is recovered within the year), and
          caught-up minutes give the growth they would have given in the lesson. The backlog
          does not slow new learning: each missed minute is counted once.
        * Missing **art, music, gym or recess** costs no core content, but these are the
          periods students like most: refusals are more likely there (an **estimate**, the same
          in any setting), and these periods are where many friendships are made.

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

        Change the walking-and-settling time and the base chance that a student refuses a
        pull-out session. Both are **estimates**; the sliders span the ranges the model
        documents. (A student who refuses stays in class, so more refusals mean *fewer* core
        hours missed, and fewer sessions.)"""),
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
          a week) and teach it together, which comes closer to *practice with coaching*.

        And under **every** policy, pull-out included:

        * **Consultation**: each therapist spends about 1.9 hours a week consulting the teachers
          of the classes their students are in (the figure a national survey of school
          speech-language pathologists reports, ASHA 2022), shared among those classes. This is
          like *theory and discussion*: it builds knowledge, rarely use.

        In the model consultation, and every pushed-in session held in the teacher's lesson,
        raise the teacher's **knowledge** of that service's strategies a little (both
        **estimates**). Knowledge turns into **use** at 5% a year when the teacher is only
        consulted or only watches, and at 50% a year with co-planning and co-teaching. These
        rates are **estimates** too: Joyce and Showers give shares of trained teachers, not
        yearly rates; weekly co-teaching with a therapist is not quite their coaching, so the
        model sits between practice (5%) and coaching (95%) and lets you try anything from 10%
        to 95%. After a demonstration alone their share is 0%, so the model is, if anything,
        generous to watching. Use that no therapist reinforces in a week fades slowly (an
        **estimate**). Pull-out sessions happen out of the teacher's sight, so under pull-out
        teachers learn only from consultation. The homeroom teacher is not in the room during
        art, music, gym or lunch, so push-in sessions there (PT in gym, for instance) teach the
        teacher nothing, and teachers give no practice in those periods."""),
        md("The numbers behind these mechanisms, with their status:"),
        code("""\
        display(wh.parameter_table(["consultation_minutes", "consultation_knowledge_gain",
                                    "adoption_consultation", "observe_knowledge_gain",
                                    "adoption_parallel", "adoption_collaborative", "strategy_fade",
                                    "practice_minutes_per_lesson", "teacher_practice_efficacy",
                                    "coplanning_minutes"]))"""),
        code("""\
        curves = pd.concat([wh.teacher_curves(scenario, policy)
                            for policy in ("push_in", "push_in_collaborative", "pull_out")])
        fig = Figure(figsize=(11, 3.4), constrained_layout=True)
        axes = fig.subplots(1, 2)
        for ax, column in zip(axes, ["knows", "uses"], strict=True):
            for policy, part in curves.groupby("policy", sort=False):
                ax.plot(part["week"], part[column], label=wh.POLICY_NAMES[policy],
                        color=wh.COLOURS[policy])
            ax.set_title(f"Teachers' strategies: {column} (0-1)", loc="left")
            ax.set_xlabel("school week")
            ax.set_ylim(0, 1)
            ax.grid(alpha=0.3)
        axes[0].legend(fontsize=8)
        fig"""),
        md("""\
        Under both kinds of push-in teachers come to *know* the strategies about equally well:
        they see the same sessions. Under pull-out, consultation alone takes their knowledge to
        less than half the level push-in reaches, and they hardly use it. Only with co-planning and
        co-teaching does *use* grow, and after a year it is still well below what teachers
        know.

        ## What that does for students between sessions

        A teacher who uses a strategy gives each student who needs it a few minutes of practice
        in every relevant lesson (5 minutes, at half the effect of a therapist's minute; both
        **estimates**). That is practice in the real task, so it shows up mostly as
        **carry-over**: using the skill in class. (While a student is in a session, the
        teacher's practice and the classmates' example in that lesson do not reach them: they
        are practising with the therapist.)"""),
        code("""\
        metrics = ["teacher_strategy_use", "iep_mastery", "iep_carryover", "mandate_compliance",
                   "coordination_hours", "cost_usd"]
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

        Co-taught push-in comes out only just ahead of parallel push-in on carry-over, although
        its teachers practise far more. Switch the teachers' practice off (teachers still learn,
        but never practise with the students) and compare the two again. What is left is the
        cost of co-planning: it takes therapist time that would otherwise go to sessions
        (notebook 2)."""),
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
                ax.plot(part["week"], part["uses"], label=wh.POLICY_NAMES[policy],
                        color=wh.COLOURS[policy])
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
        "the teacher will pick it up by watching"? Then move the co-taught rate to the two ends
        of its range (10% and 95% a year): how much does the picture depend on it?""", """\
        Run `adoption(adoption_parallel=0.10)` or `adoption(adoption_collaborative=0.95)` in a
        new cell if the sliders are not available. Compare the end-of-year use under both
        policies. 95% is Joyce and Showers' figure for coaching; 10% is near their 5% for
        practice without coaching."""),
        exercise(2, """\
        Collaborative push-in costs co-planning time. Using the table above, how many hours of
        co-planning does the school spend in a year, and what would you ask a principal for to
        make it possible?""", """\
        `coordination_hours` counts both the therapists' and the teachers' co-planning hours.
        The therapists' share comes out of their contracted time, which is why co-taught
        push-in can leave sessions unscheduled (notebook 2)."""),
        exercise(3, """\
        Under pull-out teachers learn strategies only from consultation, and after a year
        they hardly use them. What would have to change for consultation to lead to use? Try
        switching consultation off, or raising how fast consulted teachers adopt what they
        learn.""", """\
        In a new cell, run
        `wh.teacher_curves(scenario, "pull_out", parameters={"adoption_consultation": 0.3})`
        (0.3, the top of its range, stands for consultation with feedback on the teacher's own
        practice) and look at the last row; or switch consultation off with
        `run(scenario, seed=1, policy="pull_out", mechanisms=[m for m in MECHANISMS if m != "consultation"])`
        and compare its `summary`. Joyce and Showers found that discussion gives knowledge, not
        use; what turns knowledge into use is practice with feedback in the teacher's own
        lessons."""),
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

        * **Stigma**: each visible removal raises felt stigma a little, and so does each session
          of support inside the classroom (classmates see that too); older students feel each
          one more; stigma fades each week. Research finds, on average, no difference in
          self-concept between placements (Elbaum 2002; Krämer et al. 2021: d = 0.00), so the
          model keeps the effect small and, by default, the same in both settings.
        * **Belonging and engagement**: higher stigma lowers belonging; lower belonging lowers
          engagement in lessons and in therapy, and makes refusals more likely.
        * **Resistance**: a student may refuse a session in any setting (5% of sessions at zero
          stigma, the same for pull-out and push-in; more with stigma, and twice as likely in a
          favourite period such as art, music or gym). A refused session is lost, and the
          student stays in the lesson.
        * **Peer modeling**: in lessons where a skill is used, a student copies it from skilled
          classmates, more when they feel they belong. Kept small, because the large effects in
          single-case studies cannot be compared with group effects. A student who is out of
          the room, or working with a therapist in it, gets none in that slot.
        * **What classmates get**: a therapist in a core lesson is a second adult and helps
          classmates *without* an IEP a little, the weakest most, but can also distract the
          class a little. Students pulled out of a core lesson leave a smaller class behind for
          a while, which helps the classmates a little, but leaving and coming back costs the
          class a minute each time. Both gains are anchored to Tennessee's class-size experiment
          (STAR: a full-time aide added little, a class about seven students smaller about 0.2
          SD a year) and scaled to the few hours a week they last.
        * **Missed instruction**: a pulled-out student misses the session and the walk; a
          pushed-in student misses a share of the lesson (half when the therapist works
          alongside, a fifth when co-taught; **estimates**). Each missed core minute is counted
          once, as a backlog that is partly caught up (notebook 2)."""),
        md(HOW_TO),
        code(setup("FloatSlider, interact_manual", "PARAMETERS, run", plots=True)),
        md("""\
        ## Stigma and the rest over the year

        Five paired repetitions of the year per policy; the line is the mean and the band the
        middle 80% of repetitions."""),
        code("""\
        from inclusion_sim.analysis.compare import compare_policies

        comparison = compare_policies(scenario, ["pull_out", "push_in_collaborative", "hybrid"],
                                      replicates=5)
        wh.plain_names(plots.plot_weekly_by_policy(comparison.weekly(),
                                                   "Five paired school years per policy"))"""),
        md("""\
        Felt stigma follows the same curve under all three policies: each visible session adds
        the same amount by default, and these students have about as many sessions a year
        under each. Carry-over and teachers' use of strategies separate. Core hours missed
        differ too (a co-taught session costs a fifth of the lesson, so pull-out misses the most
        here), while academic growth hardly does."""),
        md("""\
        ## Older students feel it more

        Felt stigma at the end of the year for each student with an IEP, by grade, under
        pull-out (grade 0 is kindergarten). Each removal counts more in higher grades, but a
        student's stigma also depends on how many sessions they have, so the grades overlap."""),
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

        Under push-in, classmates share their lesson with a second adult; under pull-out, they
        have a smaller class while students are out. In the model only classmates without an
        IEP get either gain (nothing measured would size it for classmates with IEPs), and both
        are small by design (within what inclusion studies find, F3 in the literature notes).
        The table shows that gain and the classmates' whole year of academic growth."""),
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
        marks the difference with everything on. Each panel spans at least 0.02 either side of
        zero, so that a difference of a few thousandths looks as small as it is. (This runs 60
        school years, a minute or two.)"""),
        code("""\
        metrics = ["iep_carryover", "iep_academic_growth_sd", "iep_belonging"]
        table = wh.switch_off(scenario, "pull_out", "push_in_collaborative", metrics)
        display(table.round(3))
        wh.plot_switch_off(table, "pull_out", "push_in_collaborative")"""),
        md("""\
        Read the figure one panel at a time:

        * **Carry-over**: co-taught push-in leads, and one mechanism carries nearly all of the
          lead: *setting efficacy*, the assumption that practice in the real classroom task
          carries over 1.5 times as much as practice in the therapy room (an **estimate**
          anchored to one small study; notebook 5 varies it). Switch it off and the two
          policies are level. Teachers' practice and learning (notebook 3) add a little to the
          lead, and so do refusals (*resistance*): pull-out sessions land in favourite periods,
          where refusals are more likely. *Peer modeling* works the other way: pushed-in
          students spend their sessions with the therapist during the very lessons where they
          would copy skilled classmates, so switching it off widens the lead slightly.
          Consultation reaches teachers under both policies and changes the difference hardly
          at all.
        * **Academic growth**: the difference is tiny (about two thousandths of an SD, against a
          year's growth of about 0.5 SD). *Missed instruction* carries what there is:
          pulled-out students miss more core time than students in co-taught sessions, but each
          missed minute is counted once and part of it is caught up.
        * **Belonging**: tiny too. Each visible session raises stigma by the same amount by
          default, so stigma explains the little there is. With refusals switched off
          (*resistance off*) pulled-out students leave class more often, and the difference
          grows a little.

        With the default, equal stigma, how students feel hardly depends on the setting. That
        rests on an estimate: the meta-analyses find no difference *on average*, and a
        particular student may mind one setting much more than the other. Move the sliders
        below."""),
        md("""\
        ## Try it: how much does visible support hurt?

        Move the stigma added by each removal from class and by each session of support inside
        the class (0 = none, up to 0.02, five times the default), and the extra refusal risk per
        unit of stigma. Press **Run Interact**; each press runs two paired years for three
        seeds."""),
        code("""\
        def stigma_effect(stigma_per_removal=0.004, stigma_per_push_in=0.004,
                          refusal_stigma_gain=2.0):
            params = {"stigma_per_removal": stigma_per_removal,
                      "stigma_per_push_in": stigma_per_push_in,
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
            stigma_per_push_in=FloatSlider(value=0.004, min=p["stigma_per_push_in"].low,
                                           max=p["stigma_per_push_in"].high, step=0.002,
                                           readout_format=".3f"),
            refusal_stigma_gain=FloatSlider(value=2.0, min=p["refusal_stigma_gain"].low,
                                            max=p["refusal_stigma_gain"].high, step=0.5));"""),
        exercise(1, """\
        Set the stigma of one removal to 0, keeping support in class at its default (a student
        who minds a therapist at the desk, not leaving the room). Which differences between
        pull-out and push-in appear? Then set both to 0.""", """\
        Run `stigma_effect(stigma_per_removal=0.0)` and then
        `stigma_effect(stigma_per_removal=0.0, stigma_per_push_in=0.0)` in a new cell. Look at
        belonging, at the minutes lost to refusals (stigma makes refusals more likely) and at
        academic growth (through engagement)."""),
        exercise(2, """\
        From the switch-off figure: which single mechanism explains most of the difference in
        carry-over between co-taught push-in and pull-out? Which explains the (tiny) difference
        in academic growth?""", """\
        Compare each bar with the dashed line. A bar far from the line means that mechanism
        carries much of the difference."""),
        exercise(3, """\
        Switching peer modeling off makes co-taught push-in's carry-over lead slightly
        *larger*. Why? When might peer modeling matter more?""", """\
        A student working with the therapist gets no peer modeling in that slot, in either
        setting. Pushed-in sessions always sit in a lesson where the skill is used, which is
        where peer modeling happens; most pulled-out sessions land in art, music or gym. The
        model also keeps peer modeling small (large single-case effects are not comparable with
        group effects), and it needs skilled classmates: in a class where many students share
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

        wh.plain_names(outcome_vs_parameter(outcomes, "push_in_generalization",
                                            ["iep_carryover", "iep_mastery",
                                             "iep_academic_growth_sd"],
                                            ["pull_out", "push_in_collaborative", "hybrid"]))"""),
        md("""\
        The band around each line is the middle 95% of the repetitions. Carry-over is the only
        outcome this number moves. At 1.0 (practice in class generalizes no better than in
        the therapy room) the three policies are about level; the higher it is, the further
        co-taught push-in and hybrid pull ahead. Mastery and academic growth do not depend on
        it, and differ little between the policies."""),
        md("""\
        ## 2. When does pull-out win?

        Pull-out is cheap in therapist time and easy to schedule. Push-in needs a
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

        fig = Figure(figsize=(12, 3.8), constrained_layout=True)
        axes = fig.subplots(1, 3)
        for ax, metric in zip(axes, metrics, strict=True):
            for policy, part in staffing.groupby("policy", sort=False):
                ax.plot(part["staff_time"], part[metric], marker="o", label=wh.POLICY_NAMES[policy],
                        color=wh.COLOURS[policy])
            ax.set_title(wh.metric_label(metric), fontsize=9)
            ax.set_xlabel("therapists' contracted time (1.0 = as today)")
            ax.grid(alpha=0.3)
        fig.legend(*axes[0].get_legend_handles_labels(), fontsize=8, loc="outside lower center",
                   ncols=4)
        fig"""),
        md("""\
        When therapists are short of time, co-taught push-in and hybrid leave many mandated
        minutes undelivered (walking and co-planning come out of the therapists' time): they
        fall behind pull-out on carry-over and far behind on mastery. Parallel push-in holds up
        best: it still leads pull-out on carry-over, but it too delivers fewer of the mandated
        minutes, and pull-out keeps the best mastery. With today's therapist time or more,
        co-taught and parallel push-in lead on carry-over, about level with each other, then
        hybrid, all ahead of pull-out, while mastery is about the same everywhere.

        That lead rests on practice in class generalizing more. Where in-class therapy
        generalizes no better than the therapy room, the policies are about level (the sweep
        above); if it is also less focused than the therapy room (both at the bottom of their
        plausible ranges), pull-out wins clearly, on carry-over and on mastery:"""),
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
        wh.plain_names(plots.plot_paired(paired.paired(), metrics=[
            "iep_carryover", "iep_mastery", "iep_academic_growth_sd", "iep_core_hours_missed",
            "iep_stigma", "mandate_compliance", "coordination_hours", "cost_usd"]),
            {"my_policy": "Your policy"})"""),
        md("""\
        Read the numbers on each axis before the positions of the dots: every panel has its own
        scale. Differences in academic growth or in stigma of a thousandth or two are drawn as
        wide as differences in carry-over dozens of times larger, and their intervals cross
        zero: on those outcomes these policies cannot be told apart."""),
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
        under hybrid. Check the `mandate_compliance` row, and the core instruction missed:
        a therapist working alongside costs the student half of each session's lesson."""),
        exercise(3, """\
        Your school has a speech therapist vacancy and the remaining therapists are stretched.
        Which policy would you recommend this year, and what would make you change your
        mind next year?""", """\
        Look at the 0.6 staff-time row of the staffing table, and at the share of mandated
        minutes delivered in the figure under it. Then think about what would have to change
        (more therapist time, reading blocks staggered across classes, co-planning time in
        teachers' timetables) for co-taught push-in or hybrid to pay off."""),
        md("""        ## 5. The year as schools live it: the 3:1 model

        So far every scheduled session happened, refusals aside. In a real year students are
        absent, the therapist is out with no substitute, testing days cancel sessions. Here the
        same school runs a school year with those **disruptions** on, under pull-out delivered
        every week, and under ASHA's **3:1 model**: three weeks of sessions, then a week of
        indirect work in which the therapist consults teachers and **makes up** the sessions
        lost in the three weeks. The same seed gives both the same absences."""),
        code("""\
        from dataclasses import replace

        from inclusion_sim import POLICY_PRESETS, run
        from inclusion_sim.school.world import SERVICES

        weekly = POLICY_PRESETS["pull_out"]
        three_one = Policy("pull_out 3:1", {s: replace(weekly.for_service(s), cycle="three_one",
                                                        makeup="makeup_week") for s in SERVICES})
        rows = []
        for policy in (weekly, three_one):
            year = run(scenario, seed=5, policy=policy, disruptions=True, scheduling="greedy")
            rows.append({"policy": policy.name,
                         "mandated hours": year.year["mandated_minutes"].sum() / 60,
                         "delivered hours": year.year["delivered_minutes"].sum() / 60,
                         "of which made up": year.year["made_up_minutes"].sum() / 60,
                         "served in full (monthly share)": year.year_summary["share_full_services"],
                         "teachers' strategy use": year.summary["teacher_strategy_use"]})
        pd.DataFrame(rows).round(2)"""),
        exercise(4, """\
        Under the 3:1 model, what share of students gets every mandated minute in a month, and
        how many hours of service do they get in the year, compared with weekly pull-out?
        Which of the two numbers would you report to parents, and which to the district?""",
                 """\
        The 3:1 IEP mandates three weeks in four, so its share served in full is measured
        against a smaller mandate. Compare the *delivered hours* rows, then the *served in
        full* rows."""),
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
