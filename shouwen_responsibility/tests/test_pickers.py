# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import INSPECTOR, STAFF, ShouwenCase

PICKER = {"shouwen_picker": True}


@tagged("post_install", "-at_install")
class TestPickers(ShouwenCase):
    """The person pickers of the matter dialogs (guide, part, proposal of a
    complaint's handler, decision on a return) show each person with their
    unit and posts, find them by those too, offer only the people who may
    receive the matter — the rule the server checks when the dialog is
    confirmed — and offer the nearest ones first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an inspector who is also staff of a unit, and a customer placed in a
        # unit: each has what a picker looks at, and is still no handler
        cls.staff_inspector = cls._new_user(
            "sw_staff_insp", "Staff Inspector", f"{STAFF},{INSPECTOR}", cls.county_a1
        )
        cls.customer = new_test_user(
            cls.env,
            login="sw_pick_customer",
            name="Staff Customer",
            groups="base.group_portal",
            shouwen_unit_id=cls.county_a1.id,
        )
        cls.inspector.shouwen_unit_id = cls.county_a1
        cls.archived = cls._new_user(
            "sw_pick_archived", "Staff Archived", STAFF, cls.county_a1
        )
        cls.archived.active = False
        cls.post_claims.user_ids |= cls.manager | cls.staff_inspector

    def _picker(self, user, unit=None):
        """``res.users`` as ``user``'s picker on a matter of ``unit``."""
        return (
            self.env["res.users"]
            .with_user(user)
            .with_context(
                shouwen_picker=True,
                shouwen_picker_unit_id=(unit or user.shouwen_unit_id).id,
            )
        )

    def _found(self, user, name, unit=None):
        return self.env["res.users"].browse(
            [row[0] for row in self._picker(user, unit).name_search(name, limit=None)]
        )

    def _wizard(self, user, matter, action, **values):
        return (
            self.env["shouwen.matter.wizard"]
            .with_user(user)
            .create({"matter_id": matter.id, "action": action, **values})
        )

    # ------------------------------------------------------------------
    # label and search
    # ------------------------------------------------------------------

    def test_a_picker_shows_name_unit_and_posts(self):
        users = self.env["res.users"].with_user(self.staff_a1)
        staff = users.browse(self.staff_a2.id)
        self.assertEqual(
            staff.with_context(**PICKER).display_name,
            "Staff A2 · 测试甲二支公司 · 查勘定损岗（测试）",
        )
        # elsewhere a user reads as usual
        self.assertEqual(staff.display_name, "Staff A2")
        # without a post: name and unit
        self.assertEqual(
            users.browse(self.sup_a2.id).with_context(**PICKER).display_name,
            "Supervisor A2 · 测试甲二支公司",
        )
        found = dict(self._picker(self.staff_a1).name_search("Staff A2"))
        self.assertEqual(
            found[self.staff_a2.id], "Staff A2 · 测试甲二支公司 · 查勘定损岗（测试）"
        )

    def test_a_picker_finds_people_by_unit_post_and_unit_code(self):
        by_unit = self._found(self.staff_a1, "测试甲二")
        self.assertIn(self.staff_a2, by_unit)
        self.assertIn(self.sup_a2, by_unit)
        self.assertNotIn(self.staff_b1, by_unit)
        self.assertEqual(
            self._found(self.staff_a1, "查勘定损"),
            self.staff_city_a | self.staff_a2 | self.staff_b1,
        )
        self.assertEqual(self._found(self.staff_a1, "SWT-B1"), self.staff_b1)
        self.assertIn(self.staff_city_a, self._found(self.staff_a1, "Staff City"))
        # elsewhere, users are found by their name only
        plain = self.env["res.users"].with_user(self.staff_a1).name_search("测试甲二")
        self.assertNotIn(self.staff_a2.id, [row[0] for row in plain])

    # ------------------------------------------------------------------
    # who is offered
    # ------------------------------------------------------------------

    def test_a_picker_offers_only_people_who_may_receive_the_matter(self):
        offered = self._found(self.staff_a1b, "")
        self.assertTrue(
            self.staff_a1 | self.staff_a2 | self.sup_a1 | self.staff_city_a <= offered
        )
        for refused in (
            self.staff_a1b,  # oneself
            self.staff_inspector,
            self.inspector,
            self.manager,
            self.customer,
            self.staff_no_unit,
            self.archived,
            self.employee,  # not first-inquiry staff
            self.outsider,  # another organisation
        ):
            self.assertNotIn(refused, offered, refused.name)

    def test_the_dialog_domain_is_the_servers_rule(self):
        matter = self.register(self.staff_a1)
        wizard = self._wizard(self.staff_a1, matter, "guide")
        self.assertEqual(
            wizard.user_domain,
            self.env["res.users"]
            .with_user(self.staff_a1)
            ._shouwen_handler_domain(self.county_a1),
        )
        offered = self.env["res.users"].search(wizard.user_domain)
        self.assertIn(self.staff_a2, offered)
        self.assertNotIn(self.staff_inspector, offered)
        self.assertNotIn(self.staff_a1, offered)

    def test_an_excluded_person_submitted_anyway_is_refused(self):
        """What the picker does not offer, the server refuses when the dialog
        is confirmed with it (as a client calling over RPC could)."""
        matter = self.register(self.staff_a1)
        handled = self.register(self.staff_a1)
        handled.action_handle()
        for refused in (
            self.staff_inspector,
            self.inspector,
            self.manager,
            self.customer,
            self.staff_no_unit,
            self.outsider,
        ):
            for action, target, values in (
                ("guide", matter, {}),
                ("coordinate", handled, {"text": "核对"}),
            ):
                with self.subTest(user=refused.name, action=action):
                    wizard = self._wizard(
                        self.staff_a1, target, action, user_id=refused.id, **values
                    )
                    with self.assertRefused(target) as refusal:
                        wizard.action_confirm()
                    self.assertIn("cannot receive this matter", str(refusal.exception))
        for refused, message in (
            (self.staff_a1, "to yourself"),
            (self.archived, "active staff member"),
        ):
            wizard = self._wizard(self.staff_a1, matter, "guide", user_id=refused.id)
            with self.assertRefused(matter) as refusal:
                wizard.action_confirm()
            self.assertIn(message, str(refusal.exception))

    def test_a_suggested_handler_is_one_the_picker_offers(self):
        matter = (
            self.env["shouwen.matter"]
            .with_user(self.staff_a1)
            .new(
                {
                    "kind": "consult",
                    "business_domain": "claims",
                    "post_id": self.post_counter.id,
                    "unit_id": self.county_a1.id,
                }
            )
        )
        suggested = matter.suggested_handler_ids._origin
        self.assertIn(self.staff_a2, suggested)
        self.assertNotIn(self.manager, suggested)
        self.assertNotIn(self.staff_inspector, suggested)

    # ------------------------------------------------------------------
    # nearest first
    # ------------------------------------------------------------------

    def test_a_picker_offers_the_nearest_people_first(self):
        """Same unit, then the unit above, then a sibling county, then a
        county of another city: never the alphabetical order ("Staff B1"
        comes before "Staff City A" by name)."""
        found = self._found(self.sup_a1, "Staff", self.county_a1)
        expected = [
            self.staff_a1,
            self.staff_a1b,
            self.staff_city_a,
            self.staff_a2,
            self.staff_b1,
        ]
        self.assertEqual(
            [user for user in found if user in expected], expected, found.mapped("name")
        )
        # measured from the matter's unit, not the picker's own
        found = self._found(self.sup_a1, "Staff", self.county_b1)
        self.assertEqual(found[:1], self.staff_b1)

    # ------------------------------------------------------------------
    # the unit follows the person proposed
    # ------------------------------------------------------------------

    def test_the_proposed_unit_follows_the_person(self):
        complaint = self.register(
            self.staff_a1,
            subject="投诉理赔拖延",
            kind="complaint",
            business_domain="complaint",
            channel="phone",
            customer_id_number=False,
        )
        form = Form(
            self.env["shouwen.matter.wizard"]
            .with_user(self.staff_a1)
            .with_context(
                default_action="propose_assignment", default_matter_id=complaint.id
            )
        )
        form.unit_id = self.county_b1
        form.user_id = self.staff_a2
        self.assertEqual(form.unit_id, self.county_a2)
        form.user_id = self.staff_a1b
        self.assertEqual(form.unit_id, self.county_a1)
        form.text = "请核实"
        form.save().action_confirm()
        self.assertEqual(complaint.assign_user_id, self.staff_a1b)
        self.assertEqual(complaint.assign_unit_id, self.county_a1)
        self.assertEqual(complaint.state, "approval")

    def test_a_person_proposed_with_another_unit_is_refused(self):
        complaint = self.register(
            self.staff_a1,
            subject="投诉理赔拖延",
            kind="complaint",
            business_domain="complaint",
            channel="phone",
            customer_id_number=False,
        )
        wizard = self._wizard(
            self.staff_a1,
            complaint,
            "propose_assignment",
            user_id=self.staff_a2.id,
            unit_id=self.county_b1.id,
        )
        with self.assertRefused(complaint) as refusal:
            wizard.action_confirm()
        self.assertIn("own unit", str(refusal.exception))
        wizard.user_id = self.staff_inspector
        wizard.unit_id = self.county_a1
        with self.assertRefused(complaint) as refusal:
            wizard.action_confirm()
        self.assertIn("cannot receive this matter", str(refusal.exception))

    def test_a_person_with_several_posts_shows_them_all(self):
        self.staff_a2.shouwen_post_ids = [Command.link(self.post_counter.id)]
        label = (
            self.env["res.users"]
            .with_user(self.staff_b1)
            .browse(self.staff_a2.id)
            .with_context(**PICKER)
            .display_name
        )
        self.assertIn("柜面承保岗（测试）", label)
        self.assertIn("查勘定损岗（测试）", label)
