"""When a marketing SMS may leave: Monday to Saturday, 08:00 to 20:00 on the town's clock, never on a Sunday
nor a French public holiday (the rule of the French mobile operators' code of conduct for commercial SMS,
which the CNIL refers to). Messages due outside these hours wait for the next allowed moment.

This is the rule for marketing SMS only; `support.quiet_hours` is another rule (a merchant's calm moments
for a coaching meeting) in a sibling app. The hours are an opening-hours expression read by `shops.hours`,
which knows the French public holidays, so the two clock changes and the holidays move nothing by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from centreville.shops import hours

ALLOWED_HOURS = "Mo-Sa 08:00-20:00; PH off"
# Far enough to pass a Sunday followed by a public holiday, and a long weekend of holidays.
LOOK_AHEAD = timedelta(days=8)


def next_sms_moment(*, at: datetime, tz_name: str) -> datetime:
    """`at` itself when a marketing SMS may leave then, otherwise the next moment one may (in UTC terms,
    returned in the town's time zone)."""
    parsed = hours.readable(ALLOWED_HOURS, tz_name)
    assert parsed is not None
    local = at.astimezone(ZoneInfo(tz_name))
    for begin, finish in hours.open_intervals(parsed, local, local + LOOK_AHEAD):
        if begin <= local < finish:
            return local
        if begin > local:
            return begin
    return local + LOOK_AHEAD  # unreachable with the expression above; never sends at night


def sms_allowed(*, at: datetime, tz_name: str) -> bool:
    """Whether a marketing SMS may leave at `at` in this time zone."""
    return next_sms_moment(at=at, tz_name=tz_name) == at.astimezone(ZoneInfo(tz_name))
