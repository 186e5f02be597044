"""Assistants (SLPAs, COTAs): supervision cap, supervision time, cost and efficacy."""

import pytest

from inclusion_sim import InputError, SchoolModel, run


def with_assistants(small, count, minutes=1320):
    staff = [dict(s) for s in small.spec.model_dump()["staff"]]
    return small.with_changes({"staff": staff + [
        {"discipline": "speech", "count": count, "minutes_per_week": minutes,
         "role": "assistant"}]})


def test_more_assistants_than_supervisors_is_refused_with_the_rule(small):
    with pytest.raises(InputError) as info:
        run(with_assistants(small, 3), seed=1, weeks=1, scheduling="greedy")
    message = str(info.value)
    assert "small_elementary.toml" in message and "assistants of speech" in message
    assert "at most 2" in message and "found 3 assistant(s) and 1 licensed" in message
    # a state allowing three per therapist accepts the same staff
    run(with_assistants(small, 3), seed=1, weeks=1, scheduling="greedy",
        parameters={"assistant_supervision_cap": 3})


def test_supervision_takes_the_licensed_therapists_time_and_is_paid(small):
    model = SchoolModel.from_scenario(with_assistants(small, 2), seed=1, weeks=2,
                                      scheduling="greedy")
    speech = [t for t in model.school.therapists if t.discipline == "speech"]
    licensed = [t for t in speech if t.role == "therapist"]
    assert len(licensed) == 1 and len(speech) == 3
    # 10% of two assistants' 1,320 minutes is kept out of the therapist's 1,320 for sessions
    assert licensed[0].minutes_per_week == 1320
    load = model.schedule.load[model.school.therapists.index(licensed[0])]
    assert load.supervision == 264 and load.consultation == 0
    assert load.direct + load.travel + load.coplanning <= 1320 - 264
    assert load.used == load.direct + load.travel + load.coplanning + 264
    result = model.run()
    table = result.therapists.set_index("therapist_id")
    assert table.loc["SPEECH-1", "supervision_minutes"] == pytest.approx(2 * 264)
    assistant = table.loc["SPEECH-ASSISTANT-1"]
    assert assistant["cost_usd"] == pytest.approx(
        (assistant["direct_minutes"] + assistant["travel_minutes"]) / 60 * 35.0)


def test_a_less_effective_assistant_gives_less_mastery(small):
    school = with_assistants(small, 2)
    full = run(school, seed=1, weeks=6, scheduling="greedy")
    half = run(school, seed=1, weeks=6, scheduling="greedy",
               parameters={"assistant_efficacy": 0.5})
    speech = lambda r: r.services[r.services.service == "speech"]["mastery"].mean()  # noqa: E731
    assert speech(half) < speech(full) - 0.005
    assert half.summary["mandate_compliance"] == full.summary["mandate_compliance"]


def test_a_school_file_can_list_an_assistant(tmp_path):
    import shutil
    from pathlib import Path

    from inclusion_sim.school.csv_loader import load_school_folder

    folder = tmp_path / "school"
    shutil.copytree(Path(__file__).resolve().parents[1] / "school_data" / "tiny_school", folder)
    with (folder / "staff.csv").open("a", encoding="utf-8") as f:
        f.write("A1,SLPA,,speech,600,Mon;Tue;Thu,school\n")
    school = load_school_folder(folder)
    roles = {t.id: t.role for t in school.therapists}
    assert roles["A1"] == "assistant" and roles["R1"] == "therapist"
