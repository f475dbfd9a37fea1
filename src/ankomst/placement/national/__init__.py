"""National distribution: statutory quotas and the assignment of refugees to municipalities.

Plain Python, NumPy and HiGHS, like the rest of ``ankomst.placement``: no Django import.
"""
