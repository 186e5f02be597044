"""The model's mechanisms, one module each, as pure functions over state arrays.

They do not know the order they run in: that is the step table, `inclusion_sim.model.steps`.
"""
