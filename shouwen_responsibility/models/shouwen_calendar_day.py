# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import date, datetime, time

import pytz

from odoo import api, fields, models, tools

from ..tools.deadline import WorkCalendar, fallback_is_workday

_logger = logging.getLogger(__name__)

try:
    import chinese_calendar
except ImportError:  # pragma: no cover - declared in external_dependencies
    chinese_calendar = None

#: hours used when no Odoo working calendar is configured
DEFAULT_HOURS = [(time(9), time(12)), (time(13, 30), time(17, 30))]
DEFAULT_TZ = "Asia/Shanghai"
#: from this day of a year (month, day), next year's calendar is asked for
NEXT_YEAR_NOTICE = (11, 1)
#: the parameter that remembers for which year the administrators were told
#: (outside the namespace of the thresholds the administrators edit)
REMINDED_PARAM = "shouwen.calendar_reminded_year"
CALENDAR_ACTIVITY = "shouwen_responsibility.mail_activity_type_shouwen_calendar"


def library_knows(year):
    """Whether the ``chinese_calendar`` library has the statutory calendar of
    ``year``."""
    if chinese_calendar is None:  # pragma: no cover
        return False
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class ShouwenCalendarDay(models.Model):
    """A day whose status the administrator sets: a public holiday, or an
    announced make-up working day (调休).  It overrides the statutory calendar
    of the ``chinese_calendar`` library, and is the only source for the years
    the library does not know yet."""

    _name = "shouwen.calendar.day"
    _description = "Statutory calendar day"
    _order = "date desc"

    date = fields.Date(required=True, index=True)
    day_type = fields.Selection(
        [("holiday", "Day off (holiday)"), ("workday", "Working day (make-up)")],
        required=True,
        default="holiday",
    )
    name = fields.Char(string="Occasion", help="e.g. 国庆节, 国庆节调休")

    _sql_constraints = [
        ("date_unique", "unique(date)", "This day is already in the calendar."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        days = super().create(vals_list)
        self.env["shouwen.work.calendar"]._on_calendar_changed()
        return days

    def write(self, vals):
        result = super().write(vals)
        self.env["shouwen.work.calendar"]._on_calendar_changed()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["shouwen.work.calendar"]._on_calendar_changed()
        return result

    @api.model
    def get_calendar_banner(self):
        """The warning of the holiday screen: the years, this one or (from 1
        November) the next, whose statutory days are not known, or ``False``.
        For those who enter the days (the administrators); refused to
        anyone else."""
        self.check_access("create")
        years = self.env["shouwen.work.calendar"]._missing_years()
        if not years:
            return False
        return self.env._(
            "The statutory calendar of %(years)s is not known yet: until its "
            "holidays and make-up working days are entered here, deadlines in "
            "it count Monday to Friday without 元旦, 劳动节 and 国庆节 1–3 "
            "October only, and are marked provisional on the matters.",
            years=", ".join(str(year) for year in years),
        )


class ShouwenWorkCalendar(models.AbstractModel):
    """The working calendar of the whole project: statutory working days (the
    library, corrected by :class:`ShouwenCalendarDay`), working hours and time
    zone from the Odoo working calendar ``resource_calendar_shouwen``.  Every
    deadline is computed by :meth:`_add`."""

    _name = "shouwen.work.calendar"
    _description = "Working calendar of the first-inquiry system"

    @api.model
    @tools.ormcache()
    def _calendar(self):
        """The :class:`WorkCalendar` of the current data.  It is the same for
        everyone and kept between requests in the registry's cache (with the
        days it already answered about); any change of the days, or of the
        project's Odoo working calendar and its hours, clears that cache."""
        overrides = {
            day["date"]: day["day_type"] == "workday"
            for day in self.env["shouwen.calendar.day"]
            # sudo: the organisation's working days, the same for everyone
            .sudo()
            .search_read([], ["date", "day_type"])
        }
        # sudo: the organisation's working hours and time zone
        resource = (
            self.env["resource.calendar"].sudo().browse(self._resource_calendar_id())
        )
        hours, tz = DEFAULT_HOURS, DEFAULT_TZ
        if resource:
            tz = resource.tz or DEFAULT_TZ
            # the hours of the first weekday that has any: make-up days on a
            # weekend work the same hours as an ordinary working day
            attendances = resource.attendance_ids.filtered(
                lambda a: not a.display_type and a.day_period != "lunch"
            ).sorted(lambda a: (int(a.dayofweek), a.hour_from))
            if attendances:
                weekday = attendances[0].dayofweek
                hours = [
                    (_float_time(a.hour_from), _float_time(a.hour_to))
                    for a in attendances
                    if a.dayofweek == weekday
                ]
        return WorkCalendar(tz, _is_workday_with(overrides), hours)

    @api.model
    def _tz(self):
        """The organisation's time zone (the working calendar's), without
        loading the working days."""
        # sudo: the organisation's time zone
        resource = (
            self.env["resource.calendar"].sudo().browse(self._resource_calendar_id())
        )
        return pytz.timezone(resource.tz or DEFAULT_TZ)

    @api.model
    def _on_calendar_changed(self):
        """Days or hours changed: forget the kept calendar, and recompute the
        deadlines of the open matters whose clock is running, as of their own
        start."""
        self.env.registry.clear_cache()  # _calendar, _entered_years
        self.env["shouwen.matter"]._recompute_deadlines_after_calendar_change()
        self._close_calendar_activities()

    # ------------------------------------------------------------------
    # the years without statutory data
    # ------------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _entered_years(self):
        """The years of which the administrator entered days."""
        self.env["shouwen.calendar.day"].flush_model(["date"])
        self.env.cr.execute(
            "SELECT DISTINCT extract(year FROM date)::int FROM shouwen_calendar_day"
        )
        return frozenset(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _year_known(self, year):
        """Whether the statutory calendar of ``year`` is known: from the
        library, or from days the administrator entered for it."""
        return year in self._entered_years() or library_knows(year)

    @api.model
    def _today(self):
        """Today on the organisation's clock."""
        return datetime.now(self._tz()).date()

    @api.model
    def _missing_years(self):
        """This year, and from 1 November the next, when their statutory
        calendar is not known."""
        today = self._today()
        years = [today.year]
        if (today.month, today.day) >= NEXT_YEAR_NOTICE:
            years.append(today.year + 1)
        return [year for year in years if not self._year_known(year)]

    @api.model
    def _provisional(self, moments):
        """Whether any of ``moments`` (naive UTC datetimes, empty ones
        ignored) falls, on the organisation's clock, in a year whose
        statutory calendar is not known."""
        tz = self._tz()
        return any(
            not self._year_known(pytz.utc.localize(moment).astimezone(tz).year)
            for moment in moments
            if moment
        )

    @api.model
    def _calendar_activity_target(self):
        # sudo: the project's working calendar, the record the reminder is on
        return self.env["resource.calendar"].sudo().browse(self._resource_calendar_id())

    @api.model
    def _cron_check_next_year(self):
        """From 1 November, while next year's days are not entered, each
        administrator (配置管理) gets an activity to enter them — once per
        year: the year told is remembered."""
        today = self._today()
        year = today.year + 1
        if (today.month, today.day) < NEXT_YEAR_NOTICE or self._year_known(year):
            return False
        # sudo: the cron's own bookkeeping
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(REMINDED_PARAM) == str(year):
            return False
        target = self._calendar_activity_target()
        if not target.exists():
            return False
        activity_type = self.env.ref(CALENDAR_ACTIVITY)
        admins = self.env.ref("shouwen_responsibility.group_shouwen_manager").users
        admins = admins.filtered(lambda u: u.active and not u.share and u.id != 1)
        # sudo: the cron's reminders on the project's working calendar, for
        # the administrators; nothing is returned to a caller
        Activity = self.env["mail.activity"].sudo()
        existing = Activity.search(
            [
                ("res_model", "=", target._name),
                ("res_id", "=", target.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        ).user_id
        for user in admins - existing:
            env = self.with_context(lang=user.lang).env
            Activity.with_context(mail_activity_quick_update=True).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(target._name),
                    "res_id": target.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": date(today.year, 12, 1),
                    "summary": env._(
                        "Enter the holidays and make-up working days of %(year)s",
                        year=year,
                    ),
                    "note": env._(
                        "The statutory calendar of %(year)s is not known yet. "
                        "Enter the days the State Council announced under "
                        "Configuration › Holidays and make-up days; until then "
                        "deadlines in %(year)s are provisional.",
                        year=year,
                    ),
                }
            )
        params.set_param(REMINDED_PARAM, str(year))
        return True

    @api.model
    def _close_calendar_activities(self):
        """Next year's days were entered: the reminders are done."""
        activity_type = self.env.ref(CALENDAR_ACTIVITY, raise_if_not_found=False)
        if not activity_type or self._missing_years():
            return
        # sudo: the reminders the cron created, marked done for everyone
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search([("activity_type_id", "=", activity_type.id)])
        )
        if activities:
            activities.action_feedback()

    @api.model
    def _resource_calendar_id(self):
        """The id of the project's Odoo working calendar (hours, time zone)."""
        return self.env["ir.model.data"]._xmlid_to_res_id(
            "shouwen_responsibility.resource_calendar_shouwen", raise_if_not_found=False
        )

    @api.model
    def _forget_if_concerned(self, resource_calendars):
        """Forget the kept calendar when ``resource_calendars`` include the
        project's: its hours or time zone changed."""
        if self._resource_calendar_id() in resource_calendars.ids:
            self.env.registry.clear_cache()  # _calendar


def _float_time(value):
    hours = int(value)
    minutes = round((value - hours) * 60)
    if minutes == 60:
        hours, minutes = hours + 1, 0
    return time(min(hours, 23), minutes)


def _is_workday_with(overrides):
    """``is_workday(date)``: the administrator's days first, then the library
    for the years it knows, else Monday to Friday but the fixed-date holidays
    (元旦, 劳动节, 国庆节 1–3 October)."""
    unknown_years = set()
    # the answer for each day asked, for the life of this calendar (a batch
    # of deadlines asks about the same days thousands of times)
    known = {}

    def is_workday(day):
        if day not in known:
            known[day] = _workday(day)
        return known[day]

    def _workday(day):
        if day in overrides:
            return overrides[day]
        if chinese_calendar is not None:
            try:
                return chinese_calendar.is_workday(day)
            except NotImplementedError:
                if day.year not in unknown_years:
                    unknown_years.add(day.year)
                    _logger.warning(
                        "The statutory calendar of %s is not known: only the "
                        "days entered by the administrator, weekends and the "
                        "fixed-date holidays apply.",
                        day.year,
                    )
        return fallback_is_workday(day)

    return is_workday
