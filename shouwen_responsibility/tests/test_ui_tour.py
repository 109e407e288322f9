# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMatterTour(HttpCase):
    """In a real browser: register a matter, guide it, accept it as the handler,
    answer and close it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Unit = cls.env["shouwen.unit"]
        province = Unit.create(
            {"name": "导览省公司", "code": "TRP", "level": "province"}
        )
        city = Unit.create(
            {
                "name": "导览市公司",
                "code": "TRC",
                "level": "city",
                "parent_id": province.id,
            }
        )
        county = Unit.create(
            {
                "name": "导览支公司",
                "code": "TRX",
                "level": "county",
                "parent_id": city.id,
            }
        )
        groups = "shouwen_responsibility.group_shouwen_staff"
        cls.receiver = new_test_user(
            cls.env,
            login="tour_receiver",
            name="Tour Receiver",
            groups=groups,
            email="tour_receiver@example.com",
        )
        cls.handler = new_test_user(
            cls.env,
            login="tour_handler",
            name="Tour Handler",
            groups=groups,
            email="tour_handler@example.com",
        )
        (cls.receiver | cls.handler).shouwen_unit_id = county

    def test_register_guide_accept_answer_close(self):
        self.start_tour(
            "/odoo/action-shouwen_responsibility.shouwen_matter_action_mine",
            "shouwen_register_and_guide",
            login="tour_receiver",
        )
        matter = self.env["shouwen.matter"].search(
            [("subject", "=", "车险理赔进度查询（导览）")]
        )
        self.assertEqual(len(matter), 1)
        self.assertEqual(matter.state, "guiding")
        self.assertEqual(matter.guide_to_id, self.handler)
        self.assertEqual(matter.first_responsible_id, self.receiver)
        self.start_tour(
            f"/odoo/action-shouwen_responsibility.shouwen_matter_action_mine/{matter.id}",
            "shouwen_accept_answer_close",
            login="tour_handler",
        )
        matter.invalidate_recordset()
        self.assertEqual(matter.state, "closed")
        self.assertEqual(matter.first_responsible_id, self.handler)
        self.assertEqual(matter.told_method, "phone")
        self.assertEqual(
            matter.log_ids.sorted("id").mapped("action"),
            ["register", "guide", "accept", "answer", "close"],
        )
