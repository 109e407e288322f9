# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, new_test_user, tagged

TYPED = "Customer called back: the bank card was replaced"


@tagged("post_install", "-at_install")
class TestStaleFormTour(HttpCase):
    """In a real browser: a save based on a matter changed meanwhile is
    refused with a clear message, and the form keeps what the user typed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        Unit = cls.env["shouwen.unit"]
        province = Unit.create(
            {"name": "导览省公司（并发）", "code": "TSP", "level": "province"}
        )
        city = Unit.create(
            {
                "name": "导览市公司（并发）",
                "code": "TSC",
                "level": "city",
                "parent_id": province.id,
            }
        )
        county = Unit.create(
            {
                "name": "导览支公司（并发）",
                "code": "TSX",
                "level": "county",
                "parent_id": city.id,
            }
        )
        cls.user = new_test_user(
            cls.env,
            login="tour_stale",
            name="Tour Stale",
            groups="shouwen_responsibility.group_shouwen_staff",
            email="tour_stale@example.com",
            shouwen_unit_id=county.id,
            lang="en_US",
        )
        cls.matter = (
            cls.env["shouwen.matter"]
            .with_user(cls.user)
            .create(
                {
                    "subject": "理赔进度查询（并发保存）",
                    "description": "客户询问理赔款何时到账",
                    "kind": "query",
                    "business_domain": "claims",
                    "customer_name": "王五",
                    "customer_phone": "13838001234",
                }
            )
            .sudo()
        )

    def test_stale_save_shows_the_message_and_keeps_the_input(self):
        version = self.matter.version
        self.start_tour(
            "/odoo/action-shouwen_responsibility.shouwen_matter_action_mine/"
            f"{self.matter.id}",
            "shouwen_stale_form",
            login="tour_stale",
        )
        self.matter.invalidate_recordset()
        self.assertEqual(self.matter.description, "changed elsewhere")
        self.assertNotEqual(self.matter.description, TYPED)
        self.assertEqual(self.matter.version, version + 1)
