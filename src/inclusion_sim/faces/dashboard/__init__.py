"""A browser dashboard for school administrators, built with Solara.

The dashboard is a thin shell over the library: it picks a school, builds policies, calls
`inclusion_sim.run` on the same seeds for each policy and shows the results in plain language.
No model logic lives here. Start it with ``inclusion-sim dashboard`` (see `cli`); the app itself
is `app`. Solara and its front-end packages are an optional extra (``pip install
inclusion-sim[dashboard]``), so nothing here is imported by the core package.
"""
