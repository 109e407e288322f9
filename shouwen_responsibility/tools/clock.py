# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The clock of a matter, pure Python, no ORM: every deadline and follow-up
moment, from a policy's :class:`Terms` on a working calendar
(:class:`~.deadline.WorkCalendar`, whose ``add`` is the one rule of counting
time).  Nothing else in the addon derives a deadline.

Datetimes in and out are naive UTC, as Odoo stores them.  The calendar of
``tools/deadline.py``'s examples: weekends off, two holidays, 09:00–12:00 and
13:30–17:30 in Shanghai (UTC+8):

>>> from datetime import date, datetime, time
>>> from .deadline import WorkCalendar
>>> holidays = {date(2026, 10, 1), date(2026, 10, 2)}
>>> cal = WorkCalendar(
...     "Asia/Shanghai",
...     lambda d: d.weekday() < 5 and d not in holidays,
...     [(time(9), time(12)), (time(13, 30), time(17, 30))],
... )

A policy: respond within 1 working day, close within 5, remind 2 working
hours before the response deadline and at 50 % and 80 % of the closure time,
escalate on the deadline and one working day after it; extensions up to 10
working days, beyond 8 approved higher up.

>>> terms = Terms(
...     response_amount=1,
...     response_unit="working_days",
...     closure_amount=5,
...     closure_unit="working_days",
...     response_reminder_hours=2,
...     first_reminder_pct=50,
...     second_reminder_pct=80,
...     rung_delays=((0, "working_days"), (1, "working_days")),
...     extension_max=10,
...     extension_approval_beyond=8,
... )

Registered on Wednesday 30 September 2026, 10:00 in Shanghai (02:00 UTC):
answered by the end of Monday 5 October, closed by the end of Friday
9 October (17:30 local):

>>> registered = datetime(2026, 9, 30, 2, 0)
>>> deadlines(cal, terms, registered, registered)
{'response_deadline': datetime.datetime(2026, 10, 5, 9, 30), \
'closure_deadline': datetime.datetime(2026, 10, 9, 9, 30)}

A policy without a response limit sets none:

>>> deadlines(cal, terms._replace(response_amount=0), registered, registered)
{'response_deadline': False, 'closure_deadline': datetime.datetime(2026, 10, 9, 9, 30)}

A handover sent at the same moment must be signed for by the response
deadline; signed on Monday 5 October at 10:00, its own deadline is the
closure limit counted from then; its dispatcher is alerted 2 working hours
after an unsigned handover's deadline:

>>> response_deadline(cal, terms, registered)
datetime.datetime(2026, 10, 5, 9, 30)
>>> closure_from(cal, terms, datetime(2026, 10, 5, 2, 0))
datetime.datetime(2026, 10, 12, 9, 30)
>>> after_working_hours(cal, datetime(2026, 10, 5, 9, 30), 2)
datetime.datetime(2026, 10, 6, 3, 0)

An urging is due by the end of the given number of working days:

>>> working_days_after(cal, registered, 1)
datetime.datetime(2026, 10, 5, 9, 30)

A clock that stood still 3 hours moves the closure deadline by 3 working
hours, or by 3 plain hours for a limit in calendar days:

>>> deadline = datetime(2026, 10, 9, 9, 30)
>>> shift(cal, terms, deadline, 3)
datetime.datetime(2026, 10, 12, 4, 0)
>>> shift(cal, terms._replace(closure_unit="calendar_days"), deadline, 3)
datetime.datetime(2026, 10, 9, 12, 30)
>>> deadlines(cal, terms, registered, registered, paused_hours=3)["closure_deadline"]
datetime.datetime(2026, 10, 12, 4, 0)

Paused on Monday 5 October at 10:00 local, resumed on Tuesday at 10:00:
7 working hours stood still, and what was left before the pause counts
again from the resumption:

>>> paused, now = datetime(2026, 10, 5, 2, 0), datetime(2026, 10, 6, 2, 0)
>>> resume(cal, terms, paused, now, deadline)
(7.0, datetime.datetime(2026, 10, 12, 9, 30))
>>> resume(cal, terms._replace(closure_unit="calendar_days"), paused, now, deadline)
(24.0, datetime.datetime(2026, 10, 10, 9, 30))

An extension may move the closure deadline up to 10 working days from the
start, beyond 8 with a senior approval:

>>> extension_limits(cal, terms, registered)
(datetime.datetime(2026, 10, 16, 9, 30), datetime.datetime(2026, 10, 14, 9, 30))

The follow-up moments of the running clock: the response reminder 2 working
hours before its deadline, the closure reminders at 50 % and 80 % of the
time, the automatic urge the morning after the deadline, the first rung of
the ladder on it:

>>> clock = dict(id=7, registered_date=registered, responded_date=False,
...              clock_start=registered, escalation_step=0,
...              **deadlines(cal, terms, registered, registered))
>>> for fname, moment in sorted(followup_moments(cal, terms, clock, set()).items()):
...     print(fname, moment)
auto_urge_date 2026-10-12 01:30:00
first_reminder_date 2026-10-07 01:30:00
next_escalation_date 2026-10-09 09:30:00
response_reminder_date 2026-10-05 07:30:00
second_reminder_date 2026-10-08 08:18:00

A reminder done for this deadline is not planned again; a responded matter
is not reminded of its response:

>>> done = {(7, "closure_reminder_1", clock["closure_deadline"])}
>>> sorted(followup_moments(cal, terms, dict(clock, responded_date=registered), done))
['auto_urge_date', 'next_escalation_date', 'second_reminder_date']
"""

from collections import namedtuple
from datetime import timedelta

#: the fields of ``shouwen.time.policy`` the clock reads, in :class:`Terms`
TERM_FIELDS = (
    "response_amount",
    "response_unit",
    "closure_amount",
    "closure_unit",
    "response_reminder_hours",
    "first_reminder_pct",
    "second_reminder_pct",
    "extension_max",
    "extension_approval_beyond",
)

#: a policy's limits, reminders, extension caps and escalation ladder
#: (``rung_delays``: ``((delay, unit), …)``, rung by rung), as
#: ``shouwen.time.policy._terms()`` gives them
Terms = namedtuple("Terms", (*TERM_FIELDS, "rung_delays"))

#: the follow-up steps and the date field of the matter each one is planned in
STEP_DATES = {
    "response_reminder": "response_reminder_date",
    "closure_reminder_1": "first_reminder_date",
    "closure_reminder_2": "second_reminder_date",
    "escalation": "next_escalation_date",
    "urge": "auto_urge_date",
    # the handler's own clock (本人办理时限), per signed handover
    "own_reminder": "own_reminder_date",
    "own_overdue": "own_overdue_date",
}

#: the steps of the handler's own clock: one per handover (see
#: :func:`own_moments`), their claim keyed by the handover
OWN_STEPS = ("own_reminder", "own_overdue")


def deadlines(calendar, terms, registered, start, paused_hours=0):
    """The deadlines of a matter registered at ``registered`` whose clock
    started at ``start``: the response counted from registration (``False``
    without a response limit), the closure from the start, moved by the
    ``paused_hours`` its clock stood still (see :func:`shift`)."""
    return {
        "response_deadline": response_deadline(calendar, terms, registered),
        "closure_deadline": shift(
            calendar,
            terms,
            calendar.add(start, terms.closure_amount, terms.closure_unit),
            paused_hours,
        ),
    }


def response_deadline(calendar, terms, start):
    """The response limit counted from ``start``, or ``False`` without one.
    A handover's sign-for deadline is counted the same way from its sending."""
    if not terms.response_amount:
        return False
    return calendar.add(start, terms.response_amount, terms.response_unit)


def closure_from(calendar, terms, start):
    """The closure limit counted from ``start``: the own deadline of a
    handover signed at ``start``."""
    return calendar.add(start, terms.closure_amount, terms.closure_unit)


def shift(calendar, terms, deadline, paused_hours):
    """``deadline`` moved by ``paused_hours`` the clock stood still: plain
    hours for a limit in calendar days, working hours otherwise."""
    if not paused_hours:
        return deadline
    if terms.closure_unit == "calendar_days":
        return deadline + timedelta(hours=paused_hours)
    return calendar.add(deadline, paused_hours, "working_hours")


def resume(calendar, terms, paused_since, now, deadline):
    """A clock paused since ``paused_since`` runs again at ``now``:
    ``(hours it stood still, the new closure deadline)``.  In working time,
    what was left of it before the pause is counted again from ``now``."""
    if terms.closure_unit == "calendar_days":
        return (now - paused_since).total_seconds() / 3600, deadline + (
            now - paused_since
        )
    remaining = calendar.working_hours_between(paused_since, deadline)
    return (
        calendar.working_hours_between(paused_since, now),
        calendar.add(now, remaining, "working_hours"),
    )


def extension_limits(calendar, terms, start):
    """``(the latest closure deadline an extension may set, the one beyond
    which it needs a senior approval or False)``, counted from ``start``."""
    cap = calendar.add(start, terms.extension_max, terms.closure_unit)
    senior = terms.extension_approval_beyond and calendar.add(
        start, terms.extension_approval_beyond, terms.closure_unit
    )
    return cap, senior


def after_working_hours(calendar, moment, hours):
    """``hours`` working hours after ``moment``: when an unsigned handover's
    dispatcher is alerted after its deadline."""
    return calendar.add(moment, hours, "working_hours")


def working_days_after(calendar, moment, days):
    """The end of the ``days``-th working day after ``moment``: the due date
    of an urging (催办)."""
    return calendar.add(moment, days, "working_days")


def followup_moments(calendar, terms, clock, done):
    """The follow-up moments still to come of a running clock: ``clock``
    holds the matter's ``id``, ``registered_date``, ``responded_date``,
    ``clock_start``, ``response_deadline``, ``closure_deadline`` and
    ``escalation_step``; ``done`` the ``(matter id, step, deadline)`` of the
    reminders already done.  Returns ``{date field: moment}``.

    A reminder done for this deadline is not planned again; a responded
    matter is not reminded of its response."""
    moments = {}
    matter_id = clock["id"]
    if (
        clock["response_deadline"]
        and not clock["responded_date"]
        and (matter_id, "response_reminder", clock["response_deadline"]) not in done
    ):
        total = calendar.working_hours_between(
            clock["registered_date"], clock["response_deadline"]
        )
        moments["response_reminder_date"] = calendar.add(
            clock["registered_date"],
            max(total - terms.response_reminder_hours, 0),
            "working_hours",
        )
    start, deadline = clock["clock_start"], clock["closure_deadline"]
    for step, pct in (
        ("closure_reminder_1", terms.first_reminder_pct),
        ("closure_reminder_2", terms.second_reminder_pct),
    ):
        if pct and (matter_id, step, deadline) not in done:
            moments[STEP_DATES[step]] = calendar.fraction(
                start, deadline, pct / 100, terms.closure_unit
            )
    if (matter_id, "urge", deadline) not in done:
        # the morning of the working day after the deadline
        moments["auto_urge_date"] = calendar.add(
            calendar.add(deadline, 0, "working_days"), 0.5, "working_hours"
        )
    if clock["escalation_step"] < len(terms.rung_delays):
        delay, unit = terms.rung_delays[clock["escalation_step"]]
        moments["next_escalation_date"] = calendar.add(deadline, delay, unit)
    return moments


def own_moments(calendar, terms, signed, own_deadline):
    """The moments of the own clock of a handler who signed at ``signed``
    and must finish by ``own_deadline``: reminded at the policy's last
    closure reminder (its share of the own period), overdue at the deadline.
    Returns ``{step: moment}``."""
    pct = terms.second_reminder_pct or terms.first_reminder_pct
    moments = {"own_overdue": own_deadline}
    if pct:
        moments["own_reminder"] = calendar.fraction(
            signed, own_deadline, pct / 100, terms.closure_unit
        )
    return moments
