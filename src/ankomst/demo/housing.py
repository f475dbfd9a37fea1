"""Synthetic housing placement instances for the demo: the generator lives with the engine.

See ``ankomst.placement.generate`` (and docs/placement.md) for how an instance is made.
"""

from ankomst.placement.generate import FAMILIES, housing_instance

__all__ = ["FAMILIES", "housing_instance"]
