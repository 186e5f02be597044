"""Solara's front end renders from locally staged assets, with no internet access."""

from __future__ import annotations


def test_trivial_page_renders_offline(offline_app, offline_page, artifacts):
    page = offline_page
    page.goto(offline_app.url)
    page.get_by_text("Rendered without internet access").wait_for()
    page.get_by_role("button", name="Clicked 0 times").click()
    page.get_by_role("button", name="Clicked 1 times").wait_for()
    page.screenshot(path=artifacts / "offline-check.png")
    assert page.outside_requests == []
    assert offline_app.alive()
