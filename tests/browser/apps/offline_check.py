"""A trivial Solara page: proves the front-end assets are served locally."""

import solara

clicks = solara.reactive(0)


@solara.component
def Page():
    with solara.Card("Offline check"):
        solara.Markdown("# Rendered without internet access")
        solara.Button(
            f"Clicked {clicks.value} times",
            on_click=lambda: clicks.set(clicks.value + 1),
            color="primary",
        )
