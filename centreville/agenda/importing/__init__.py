"""Imports of other calendars into the town's agenda: iCalendar files or feeds (`ical.py`) and OpenAgenda
exports (`openagenda.py`) are read into `EventData` (`base.py`), then written in one transaction by
`storing.py`, idempotent by the source's UID. `fetching.py` downloads a feed given by its address.
"""
