"""Stage 0, the base: located input errors, named random streams and the documented parameters.

Every other stage may import from here; nothing here imports from another stage.
"""
