# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged

LIBRARY = "odoo.addons.shouwen_responsibility.models.shouwen_calendar_day.library_knows"


@tagged("post_install", "-at_install")
class TestCalendarBannerTour(HttpCase):
    """In a real browser: the holiday screen says which year's statutory
    calendar is missing, and stops saying it once a day of it is entered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.admin_user = new_test_user(
            cls.env,
            login="tour_calendar",
            name="Tour Calendar",
            groups="shouwen_responsibility.group_shouwen_manager",
            lang="en_US",
            tz="Asia/Shanghai",
        )

    def test_the_banner_shows_until_the_year_is_entered(self):
        this_year = self.env["shouwen.work.calendar"]._today().year
        Day = self.env["shouwen.calendar.day"]
        # whatever the date of the run: the library does not know this year,
        # and no day of it is entered
        days = Day.search(
            [
                ("date", ">=", date(this_year, 1, 1)),
                ("date", "<=", date(this_year, 12, 31)),
            ]
        )
        if days:
            days.unlink()
        with patch(LIBRARY, lambda year: year != this_year):
            self.env.registry.clear_cache()
            self.assertIn(
                str(this_year), Day.with_user(self.admin_user).get_calendar_banner()
            )
            self.start_tour(
                "/odoo/action-shouwen_responsibility.shouwen_calendar_day_action",
                "shouwen_calendar_banner",
                login="tour_calendar",
            )
            self.assertTrue(Day.search([("date", "=", date(this_year, 7, 15))]))
            self.assertFalse(Day.get_calendar_banner())
