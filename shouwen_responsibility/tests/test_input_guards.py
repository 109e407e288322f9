# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What any caller may send to a matter (issue 20): digits typed in any
Unicode form are stored as ASCII digits, and a value the database could not
take (an unknown field, a wrong type, an id beyond any integer, a NUL) is
refused with a clear message, never a server error; a monthly report asked
for a month that is no month is refused the same way."""

import doctest

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models import shouwen_monthly_report
from ..tools import personal_data
from .test_complaints import ComplaintCase
from .test_figures import FiguresCase

#: 13812345678 written in full-width digits, Arabic-Indic digits, and
#: mathematical bold digits
FULL_WIDTH_PHONE = "１３８１２３４５６７８"
ARABIC_PHONE = "١٣٨١٢٣٤٥٦٧٨"
BOLD_PHONE = "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖"
PHONE = "13812345678"
#: a valid ID number, full-width, with a lower-case check character
ID_NUMBER = "11010519491231002X"
FULL_WIDTH_ID = "１１０１０５１９４９１２３１００２ｘ"


@tagged("post_install", "-at_install")
class TestDigitsNormalised(ComplaintCase):
    def test_personal_data_doctests(self):
        result = doctest.testmod(personal_data)
        self.assertFalse(result.failed)
        self.assertGreater(result.attempted, 10)

    def test_identifiers_are_stored_in_ascii_digits(self):
        matter = self.register(
            self.staff_a1,
            customer_phone=FULL_WIDTH_PHONE,
            customer_id_number=FULL_WIDTH_ID,
            policy_number="ＰＤＡＡ２０２６４１０１",
            claim_number="ＣＬ－٢٠٢٦－٠٠١",
        )
        self.assertEqual(matter.customer_phone, PHONE)
        self.assertEqual(matter.customer_id_number, ID_NUMBER)
        self.assertEqual(matter.policy_number, "PDAA20264101")
        self.assertEqual(matter.claim_number, "CL-2026-001")
        matter.write({"customer_phone": ARABIC_PHONE})
        self.assertEqual(matter.customer_phone, PHONE)
        matter.write({"customer_phone": BOLD_PHONE.replace("𝟏𝟐𝟑𝟒", "𝟏𝟐𝟑𝟒 ")})
        self.assertEqual(matter.customer_phone, PHONE)
        # found under the number as everyone else types it
        found = self.env["shouwen.matter"].with_user(self.staff_a1)
        self.assertIn(matter, found.search([("customer_phone", "=", PHONE)]))

    def test_non_ascii_digits_are_no_digits_for_the_rules(self):
        # \d would have taken them: the patterns take ASCII digits only, the
        # value is normalised before it is checked
        self.assertFalse(personal_data._PHONE_RE.fullmatch(FULL_WIDTH_PHONE))
        self.assertTrue(personal_data.is_valid_phone(FULL_WIDTH_PHONE))
        # a digit-like sign that is no decimal digit stays what it is
        with self.assertRaises(UserError):
            self.register(self.staff_a1, customer_phone="138Ⅻ345678")

    def test_a_repeat_complaint_is_found_whatever_the_digits(self):
        first = self.complaint(customer_phone=PHONE)
        again = self.complaint(customer_phone=FULL_WIDTH_PHONE)
        self.assertTrue(again.is_repeat)
        self.assertIn(first, again.repeat_of_ids)

    def test_representatives_phones_are_stored_in_ascii_digits(self):
        matter = self.complaint(
            representative_ids=[
                Command.create({"name": "代表一", "phone": "１８８ ０００٠ ０００１"})
            ]
        )
        representative = matter.representative_ids
        self.assertEqual(representative.phone, "18800000001")
        representative.write({"phone": "١٨٨٠٠٠٠٠٠٠٢"})
        self.assertEqual(representative.phone, "18800000002")


@tagged("post_install", "-at_install")
class TestValuesGuard(ComplaintCase):
    """Values a client may send over RPC that the database cannot take:
    refused with a message, before anything is written."""

    def assertNothingRegistered(self, values, message=None):
        Matter = self.env["shouwen.matter"].with_user(self.staff_a1)
        before = Matter.sudo().with_context(active_test=False).search_count([])
        with self.assertRaises(UserError) as refusal:
            Matter.create(self._matter_values(**values))
        if message:
            self.assertIn(message, str(refusal.exception))
        self.assertEqual(
            Matter.sudo().with_context(active_test=False).search_count([]), before
        )

    def test_values_the_database_cannot_take_are_refused_at_registration(self):
        for values, message in (
            ({"no_such_field": 1}, "no_such_field"),
            ({"subject": ["车险", "理赔"]}, "a text expected"),
            ({"subject": {"zh": "车险"}}, "a text expected"),
            ({"subject": 42}, "a text expected"),
            ({"subject": "车险\x00理赔"}, "cannot be stored"),
            ({"description": "\ud800"}, "cannot be stored"),
            ({"customer_name": "张\udfff三"}, "cannot be stored"),
            ({"channel": ["counter"]}, "a text expected"),
            ({"unit_id": 10**30}, "the id of a record"),
            ({"unit_id": "ZZ01"}, "the id of a record"),
            ({"unit_id": True}, "the id of a record"),
            ({"partner_id": -1}, "the id of a record"),
            ({"registered_date": "yesterday"}, "a date and time"),
            ({"registered_date": "0001-01-01 00:00:00"}, "a date and time"),
            ({"registered_date": 20260101}, "a date and time"),
            ({"rectification_due": "2026-02-30"}, "a date"),
            ({"rectification_done": "yes"}, "true or false"),
            ({"representative_ids": "代表"}, "a list of commands"),
            ({"representative_ids": [[0, 0, "代表"]]}, "a list of commands"),
            ({"representative_ids": [[9, 1]]}, "a list of commands"),
            ({"representative_ids": [[4, 10**12]]}, "a list of commands"),
            ({"representative_ids": [[0, 0, {"name": "代\x00表"}]]}, "cannot be"),
            ({"representative_ids": [[0, 0, {"nickname": "代表"}]]}, "nickname"),
            ({"message_follower_ids": [[6, 0, ["x"]]]}, "a list of commands"),
        ):
            with self.subTest(values=values):
                self.assertNothingRegistered(values, message)

    def test_values_are_a_mapping(self):
        Matter = self.env["shouwen.matter"].with_user(self.staff_a1)
        with self.assertRaises(UserError):
            Matter.create([["subject", "车险"]])
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            matter.write(["subject", "车险"])

    def test_values_the_database_cannot_take_are_refused_on_change(self):
        matter = self.register(self.staff_a1)
        for values in (
            {"subject": "\x00"},
            {"subject": None, "description": ["x"]},
            {"customer_phone": "138\x0012345678"},
            {"customer_phone": 13812345678},
            {"priority": {"1": True}},
            {"version": float("inf")},
            {"post_id": 1.5},
            {"nickname": "x"},
        ):
            with self.subTest(values=values), self.assertRefused(matter):
                matter.write(values)

    def test_messages_name_the_field_in_the_users_language(self):
        matter = self.register(self.staff_a1)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["shouwen_responsibility"], ["zh_CN"], overwrite=True
        )
        with self.assertRaises(UserError) as refusal:
            matter.with_context(lang="zh_CN").write({"subject": ["x"]})
        self.assertIn("不接受该值", str(refusal.exception))
        with self.assertRaises(UserError) as refusal:
            matter.with_context(lang="zh_CN").write({"subject": "\x00"})
        self.assertIn("无法保存", str(refusal.exception))


@tagged("post_install", "-at_install")
class TestMonthlyReportMonth(FiguresCase):
    def test_month_doctests(self):
        result = doctest.testmod(shouwen_monthly_report)
        self.assertFalse(result.failed)
        self.assertGreater(result.attempted, 1)

    def test_a_month_that_is_no_month_is_refused_clearly(self):
        unit = self.city_a.with_user(self.sup_city_a)
        for month in (
            "garbage",
            "2026-13",
            "2026-02-30",
            "0000-01",
            "99999-01",
            "2026-10-01garbage",
            "２０２６-１０",
            ["2026-10"],
            {"month": "2026-10"},
            202610,
            "\x00",
        ):
            with self.subTest(month=month):
                with self.assertRaises(UserError) as refusal:
                    unit._monthly_data(month)
                self.assertIn("is not a month", str(refusal.exception))
                with self.assertRaises(UserError):
                    unit.with_context(shouwen_month=month).action_print_monthly_report()
                attachments = self.env["ir.attachment"].search_count([])
                with self.assertRaises(UserError):
                    unit.with_context(shouwen_month=month).action_export_monthly_xlsx()
                self.assertEqual(
                    self.env["ir.attachment"].search_count([]), attachments
                )
        # a month is still a month, as a day of it or as the month alone
        self.assertEqual(unit._monthly_data("2025-11")["month"], "2025-11")
        self.assertEqual(unit._monthly_data("2025-11-30")["month"], "2025-11")
