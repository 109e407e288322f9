# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Deadline arithmetic on a working calendar, pure Python, no ORM.

Every deadline of the project is ``WorkCalendar.add(start, amount, unit)``:
nothing else derives one.  Datetimes in and out are naive UTC, as Odoo stores
them; the calendar works in its own time zone.

Units:

- ``calendar_days``: the end (23:59:59 local) of the N-th day after the start
  day — the way the consumer-complaint regulation counts its 15 days.
- ``working_days``: the end of the working hours of the N-th working day after
  the start's working day; a start outside working hours belongs to the next
  working day, so N = 0 means "the same working day".
- ``working_hours``: N hours counted inside the working hours only.

A calendar with weekends off and one holiday, 09:00–12:00 and 13:30–17:30 in
Shanghai (UTC+8):

>>> from datetime import date, datetime, time
>>> holidays = {date(2026, 10, 1), date(2026, 10, 2)}
>>> cal = WorkCalendar(
...     "Asia/Shanghai",
...     lambda d: d.weekday() < 5 and d not in holidays,
...     [(time(9), time(12)), (time(13, 30), time(17, 30))],
... )

Wednesday 30 September 2026, 10:00 in Shanghai is 02:00 UTC.  One working day
later is the end of Monday 5 October (Thursday and Friday are holidays, then the
weekend), 17:30 local = 09:30 UTC:

>>> start = datetime(2026, 9, 30, 2, 0)
>>> cal.add(start, 1, "working_days")
datetime.datetime(2026, 10, 5, 9, 30)

One working day after that deadline is the end of the next working day:

>>> cal.add(cal.add(start, 1, "working_days"), 1, "working_days")
datetime.datetime(2026, 10, 6, 9, 30)

The same working day:

>>> cal.add(start, 0, "working_days")
datetime.datetime(2026, 9, 30, 9, 30)

Three working hours from 10:00 skip the lunch break: 14:30 local.

>>> cal.add(start, 3, "working_hours")
datetime.datetime(2026, 9, 30, 6, 30)

Fifteen calendar days, whatever the holidays: the end of 15 October local.

>>> cal.add(start, 15, "calendar_days")
datetime.datetime(2026, 10, 15, 15, 59, 59)

Working time between two moments, in hours (6 on Wednesday, 7 on Monday), and
the moment at 50 % of it (09:30 on Monday local):

>>> deadline = cal.add(start, 1, "working_days")
>>> cal.working_hours_between(start, deadline)
13.0
>>> cal.fraction(start, deadline, 0.5, "working_days")
datetime.datetime(2026, 10, 5, 1, 30)
"""

from datetime import datetime, time, timedelta

import pytz

#: the statutory holidays on a fixed date (month, day), known for any year:
#: 元旦 1 January, 劳动节 1 May, 国庆节 1–3 October.  The others (春节, 清明,
#: 端午, 中秋) follow the lunar calendar, and every make-up working day is
#: announced each year by the State Council.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)})


def fallback_is_workday(day):
    """A working day of a year whose statutory calendar is not known: Monday
    to Friday but the fixed-date holidays.

    >>> from datetime import date
    >>> [fallback_is_workday(date(2027, 1, d)) for d in (1, 4)]
    [False, True]
    >>> [fallback_is_workday(date(2027, 10, d)) for d in (1, 4)]
    [False, True]
    """
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


UNITS = [
    ("working_hours", "Working hours"),
    ("working_days", "Working days"),
    ("calendar_days", "Calendar days"),
]

#: how far the arithmetic looks ahead before giving up (a calendar with no
#: working day at all)
MAX_DAYS = 3 * 366

#: results a calendar remembers (a batch of matters registered at the same
#: moment under the same policies asks the same questions)
MEMO_SIZE = 4096
_UNKNOWN = object()


class CalendarError(ValueError):
    """The calendar has no working time where some is needed."""


class WorkCalendar:
    """Working days from ``is_workday(date)``, working hours from
    ``hours`` — ``[(time_from, time_to), …]`` local, the same every working
    day — in the time zone ``tz``."""

    def __init__(self, tz, is_workday, hours):
        self.tz = pytz.timezone(tz) if isinstance(tz, str) else tz
        self.is_workday = is_workday
        self.hours = sorted(hours)
        if not self.hours:
            raise CalendarError("no working hours")
        self._memo = {}

    def _remembered(self, compute, *args):
        """``compute(*args)``, remembered: the calendar never changes, so
        neither do its answers."""
        key = (compute.__name__, *args)
        value = self._memo.get(key, _UNKNOWN)
        if value is not _UNKNOWN:
            return value
        value = compute(*args)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = value
        return value

    # conversions --------------------------------------------------------
    def _local(self, utc_naive):
        return pytz.utc.localize(utc_naive).astimezone(self.tz)

    def _utc(self, local_naive):
        return self.tz.localize(local_naive).astimezone(pytz.utc).replace(tzinfo=None)

    # building blocks ----------------------------------------------------
    def intervals(self, day):
        """The working intervals of ``day`` as local naive datetimes."""
        if not self.is_workday(day):
            return []
        return [
            (datetime.combine(day, start), datetime.combine(day, end))
            for start, end in self.hours
        ]

    def _working_days_from(self, day):
        for offset in range(MAX_DAYS):
            current = day + timedelta(days=offset)
            if self.is_workday(current):
                yield current
        raise CalendarError(f"no working day within {MAX_DAYS} days of {day}")

    def working_day_of(self, utc_naive):
        """The working day a moment belongs to: its own day if it is a working
        day and not after the end of its working hours, else the next one.
        A deadline at the end of a day belongs to that day, so one working day
        after it is the end of the next working day."""
        local = self._local(utc_naive).replace(tzinfo=None)
        day = local.date()
        if self.is_workday(day) and local <= datetime.combine(day, self.hours[-1][1]):
            return day
        return next(self._working_days_from(day + timedelta(days=1)))

    # the one function ---------------------------------------------------
    def add(self, start, amount, unit):
        """``start`` (naive UTC) plus ``amount`` ``unit`` → naive UTC."""
        return self._remembered(self._add, start, amount, unit)

    def _add(self, start, amount, unit):
        if amount < 0:
            raise ValueError("a time limit cannot be negative")
        if unit == "calendar_days":
            local = self._local(start).replace(tzinfo=None)
            end_day = local.date() + timedelta(days=int(amount))
            return self._utc(datetime.combine(end_day, time(23, 59, 59)))
        if unit == "working_days":
            days = self._working_days_from(self.working_day_of(start))
            for _i in range(int(amount) + 1):
                day = next(days)
            return self._utc(datetime.combine(day, self.hours[-1][1]))
        if unit == "working_hours":
            return self._add_hours(start, amount)
        raise ValueError(f"unknown time unit {unit!r}")

    def _add_hours(self, start, hours):
        local = self._local(start).replace(tzinfo=None)
        remaining = timedelta(hours=hours)
        for day in self._working_days_from(local.date()):
            for begin, end in self.intervals(day):
                begin = max(begin, local)
                if begin >= end:
                    continue
                if begin + remaining <= end:
                    return self._utc(begin + remaining)
                remaining -= end - begin
        raise CalendarError("no working time")  # pragma: no cover

    # measuring ------------------------------------------------------------
    def working_hours_between(self, start, end):
        """Working hours between two naive UTC moments (0 if ``end`` is not
        after ``start``)."""
        return self._remembered(self._working_hours_between, start, end)

    def _working_hours_between(self, start, end):
        if end <= start:
            return 0.0
        local_start = self._local(start).replace(tzinfo=None)
        local_end = self._local(end).replace(tzinfo=None)
        total = timedelta()
        day = local_start.date()
        while day <= local_end.date():
            for begin, finish in self.intervals(day):
                begin, finish = max(begin, local_start), min(finish, local_end)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
        return total.total_seconds() / 3600

    def fraction(self, start, deadline, ratio, unit):
        """The moment when ``ratio`` of the time from ``start`` to ``deadline``
        has passed, counted the way ``unit`` counts time."""
        return self._remembered(self._fraction, start, deadline, ratio, unit)

    def _fraction(self, start, deadline, ratio, unit):
        if unit == "calendar_days":
            return start + (deadline - start) * ratio
        return self._add_hours(
            start, self.working_hours_between(start, deadline) * ratio
        )
