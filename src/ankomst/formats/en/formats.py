"""English as it is written in Denmark and Sweden: day before month, Monday first, 24 hours.

Django's own "en" formats are American (12/31/2026, 2:30 p.m.); the staff who choose English
here read dates as the rest of Europe writes them.
"""

DATE_FORMAT = "j M Y"  # 4 Jan 2027
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 04/01/2027
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
