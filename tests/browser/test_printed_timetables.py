"""The printable timetables print one page per therapist and per class, in Chromium.

A therapist pins their week on the wall: a week that spills onto a second sheet is two
half-weeks. The K-8 school, whose middle grades ring their own bell, lays a therapist's week out
by clock time (up to 13 rows), the densest page the tool prints; its co-taught week also holds
sessions in specials, whose words are the longest. Printed to PDF on US Letter and A4, landscape.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inclusion_sim.base.seeds import make_streams
from inclusion_sim.delivery.schedulers import make_schedule
from inclusion_sim.faces.timetables import timetables_html
from inclusion_sim.scenario.config import resolve
from inclusion_sim.scenario.files import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("scenario", ["k8_school", "default_elementary"])
def test_every_section_prints_on_one_page(scenario, page, tmp_path, artifacts):
    config = resolve(load_scenario(ROOT / "scenarios" / f"{scenario}.toml"),
                     policy="push_in_collaborative")
    schedule = make_schedule(config.school, config.policy, config.params,
                             make_streams(config.seed)["schedule"], config.scheduling)
    path = tmp_path / "timetables.html"
    path.write_text(timetables_html(config.school, schedule, title=scenario), encoding="utf-8")
    page.goto(path.as_uri())
    sections = page.locator("section.page").count()
    assert sections == len(config.school.therapists) + len(config.school.classes)
    for paper in ("Letter", "A4"):
        pdf = page.pdf(format=paper, landscape=True, print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == sections, f"{scenario} on {paper}: {pages} pages for {sections} sections"
    (artifacts / f"timetables-{scenario}.pdf").write_bytes(pdf)
