# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ShouwenCase


@tagged("post_install", "-at_install")
class TestUnit(ShouwenCase):
    def _unit(self, code, level, parent=None):
        return self.env["shouwen.unit"].create(
            {
                "name": f"单位 {code}",
                "code": code,
                "level": level,
                "parent_id": parent.id if parent else False,
            }
        )

    def test_display_name_shows_the_code(self):
        self.assertEqual(self.county_a1.display_name, "[SWT-A1] 测试甲一支公司")

    def test_a_province_has_no_parent(self):
        with self.assertRaises(ValidationError):
            self._unit("SWT-P2", "province", self.province)
        with self.assertRaises(ValidationError):
            self.other_province.parent_id = self.province

    def test_a_city_must_sit_under_a_province(self):
        for parent in (None, self.city_a, self.county_a1):
            with (
                self.subTest(parent=parent and parent.code),
                self.assertRaises(ValidationError),
            ):
                self._unit("SWT-C", "city", parent)
        self.assertTrue(self._unit("SWT-C", "city", self.province))

    def test_a_county_must_sit_under_a_city(self):
        for parent in (None, self.province, self.county_b1):
            with (
                self.subTest(parent=parent and parent.code),
                self.assertRaises(ValidationError),
            ):
                self._unit("SWT-X", "county", parent)
        self.assertTrue(self._unit("SWT-X", "county", self.city_b))

    def test_units_cannot_form_a_cycle(self):
        # the ORM's parent store refuses a cycle before the addon's constraint
        # sees it: the refusal is a UserError ("Recursion Detected."), of which
        # ValidationError is a kind
        for unit, parent in (
            (self.province, self.county_a1),
            (self.city_a, self.county_a1),
            (self.city_a, self.city_a),
        ):
            with (
                self.subTest(unit=unit.code, parent=parent.code),
                self.assertRaises(UserError),
            ):
                unit.parent_id = parent
        self.province.invalidate_recordset()
        self.assertFalse(self.province.parent_id)
        self.assertEqual(self.city_a.parent_id, self.province)

    def test_changing_a_level_keeps_the_sub_units_valid(self):
        # a city promoted to a province would leave its counties under a province
        with self.assertRaises(ValidationError):
            self.city_a.write({"level": "province", "parent_id": False})
        # moving a county to another city is fine
        self.county_a2.parent_id = self.city_b
        self.assertIn(str(self.city_b.id), self.county_a2.parent_path.split("/"))

    def test_each_unit_gets_its_own_numbering_sequence(self):
        units = self.province | self.city_a | self.county_a1 | self.county_a2
        units |= self._unit("SWT-A9", "county", self.city_a)
        sequences = units.mapped("sequence_id")
        self.assertEqual(len(sequences), len(units))
        for unit in units:
            self.assertEqual(unit.sequence_id.prefix, f"{unit.code}-%(year)s-")
            self.assertEqual(unit.sequence_id.padding, 6)

    def test_the_unit_code_is_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._unit("SWT-A1", "county", self.city_b)
            self.env.flush_all()

    def test_only_the_manager_configures_units(self):
        for user in (self.staff_a1, self.sup_a1, self.sup_province):
            with self.subTest(user=user.name):
                with self.assertRaises(AccessError):
                    self.county_a1.with_user(user).write({"name": "改名"})
                with self.assertRaises(AccessError):
                    self.env["shouwen.unit"].with_user(user).create(
                        {
                            "name": "新单位",
                            "code": "SWT-N",
                            "level": "county",
                            "parent_id": self.city_a.id,
                        }
                    )
        self.county_a1.with_user(self.manager).write({"phone": "0371-65551234"})
        self.assertEqual(self.county_a1.phone, "0371-65551234")

    def test_supervisors_upwards_are_nearest_first(self):
        self.assertEqual(
            self.county_a1._supervisors_upwards(),
            [
                (self.county_a1, self.sup_a1),
                (self.city_a, self.sup_city_a),
                (self.province, self.sup_province),
            ],
        )

    # ------------------------------------------------------------------
    # the designated receiver of letters and online complaints (Art. 10)
    # ------------------------------------------------------------------

    def test_only_a_supervisor_of_the_unit_or_above_approves_the_receiver(self):
        unit = self.county_a1
        with self.assertRaises(UserError):
            unit.with_user(self.sup_a1).action_approve_designated_receiver()
        unit.with_user(self.manager).designated_receiver_id = self.staff_a1b
        for user in (
            self.staff_a1,
            self.staff_a1b,
            self.sup_a2,
            self.sup_city_b,
            self.inspector,
        ):
            with self.subTest(user=user.name), self.assertRaises(UserError):
                unit.with_user(user).action_approve_designated_receiver()
            self.assertFalse(unit.designated_receiver_approved_by_id)
        for user in (self.sup_a1, self.sup_city_a, self.sup_province, self.manager):
            with self.subTest(user=user.name):
                unit.with_user(user).action_approve_designated_receiver()
                self.assertEqual(unit.designated_receiver_approved_by_id, user)
                self.assertTrue(unit.designated_receiver_approved_date)

    def test_changing_the_receiver_clears_the_approval(self):
        unit = self.county_a1
        unit.with_user(self.manager).designated_receiver_id = self.staff_a1b
        unit.with_user(self.sup_city_a).action_approve_designated_receiver()
        self.assertEqual(unit.designated_receiver_approved_by_id, self.sup_city_a)
        unit.with_user(self.manager).designated_receiver_id = self.staff_a1
        self.assertFalse(unit.designated_receiver_approved_by_id)
        self.assertFalse(unit.designated_receiver_approved_date)
        # the new receiver needs a new approval
        unit.with_user(self.sup_a1).action_approve_designated_receiver()
        self.assertEqual(unit.designated_receiver_approved_by_id, self.sup_a1)
