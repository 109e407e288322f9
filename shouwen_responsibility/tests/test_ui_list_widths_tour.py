# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestListWidthsTour(HttpCase):
    """In a real browser 1440 px wide, a provincial supervisor's list of all
    the demo's matters shows every number, subject and deadline whole."""

    browser_size = "1440x900"

    def test_numbers_subjects_and_deadlines_are_whole(self):
        matters = self.env["shouwen.matter"].search([])
        self.assertGreater(len(matters), 20, "the demo's matters are installed")
        self.start_tour(
            "/odoo/action-shouwen_responsibility.shouwen_matter_action",
            "shouwen_list_widths",
            login="hn_manager",
        )
