# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import time

import pytz

from odoo import api, fields, models, tools

from ..tools.deadline import WorkCalendar

_logger = logging.getLogger(__name__)

try:
    import chinese_calendar
except ImportError:  # pragma: no cover - declared in external_dependencies
    chinese_calendar = None

#: hours used when no Odoo working calendar is configured
DEFAULT_HOURS = [(time(9), time(12)), (time(13, 30), time(17, 30))]
DEFAULT_TZ = "Asia/Shanghai"


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
        self.env.registry.clear_cache()  # _calendar
        self.env["shouwen.matter"]._recompute_deadlines_after_calendar_change()

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
    for the years it knows, else Monday to Friday."""
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
                        "days entered by the administrator and weekends apply.",
                        day.year,
                    )
        return day.weekday() < 5

    return is_workday
