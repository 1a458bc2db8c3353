"""English dates and times for people in France: day before month, never "12/05/2026" read as 5 December.

Only what differs from Django's English formats; French keeps Django's (« 5 décembre 2026 », « 05/12/2026 »).
"""

DATE_FORMAT = "j F Y"  # 5 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 5 Dec 2026
DATETIME_FORMAT = "j F Y, H:i"  # 5 December 2026, 14:30
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 5 Dec 2026, 14:30
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
# What people type in forms: ISO, or day first as on every French document.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
