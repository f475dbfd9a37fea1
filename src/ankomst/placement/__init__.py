"""The placement engine: plain Python, NumPy and HiGHS. No Django import anywhere in here.

from ankomst.placement import load_instance, place
result = place(load_instance("input.json"), time_limit=60, gap=0.001)
print(result.summary()); print(result.explain("H00012"))
"""

from .data import Instance, InstanceError, instance_from_dict, load_instance
from .result import Placement, PlacementResult, place

__all__ = [
    "Instance",
    "InstanceError",
    "Placement",
    "PlacementResult",
    "instance_from_dict",
    "load_instance",
    "place",
]
