# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class ResourceCalendar(models.Model):
    """The project's working hours and time zone come from its Odoo working
    calendar: a change of it reaches the kept work calendar.  The reminder to
    enter next year's statutory days is an activity on it, which needs a
    thread to be marked done; whoever may read the calendar may do it."""

    _name = "resource.calendar"
    _inherit = ["resource.calendar", "mail.thread", "mail.activity.mixin"]
    _mail_post_access = "read"

    def write(self, vals):
        result = super().write(vals)
        self.env["shouwen.work.calendar"]._forget_if_concerned(self)
        return result

    def unlink(self):
        self.env["shouwen.work.calendar"]._forget_if_concerned(self)
        return super().unlink()


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        self.env["shouwen.work.calendar"]._forget_if_concerned(attendances.calendar_id)
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        self.env["shouwen.work.calendar"]._forget_if_concerned(
            calendars | self.calendar_id
        )
        return result

    def unlink(self):
        self.env["shouwen.work.calendar"]._forget_if_concerned(self.calendar_id)
        return super().unlink()
