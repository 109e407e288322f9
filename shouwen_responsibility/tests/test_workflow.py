# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import doctest
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from ..tools import personal_data, workflow
from .common import PHONE, ShouwenCase, expect_log

ANSWER = "理赔款已于今日支付，已电话告知客户"


@tagged("post_install", "-at_install")
class TestRegistration(ShouwenCase):
    @freeze_time("2025-03-12 02:00:00")
    def test_register_numbers_from_the_units_own_sequence(self):
        county = self.env["shouwen.unit"].create(
            {
                "name": "测试甲三支公司",
                "code": "SWT-A3",
                "level": "county",
                "parent_id": self.city_a.id,
            }
        )
        self.staff_a1b.shouwen_unit_id = county
        first = self.register(self.staff_a1b)
        second = self.register(self.staff_a1b)
        elsewhere = self.register(self.staff_a2)
        self.assertEqual(first.name, "SWT-A3-2025-000001")
        self.assertEqual(second.name, "SWT-A3-2025-000002")
        self.assertRegex(elsewhere.name, r"^SWT-A2-2025-\d{6}$")

    def test_register_makes_the_creator_first_receiver_and_first_responsible(self):
        matter = self.register(self.staff_a1)
        self.assertEqual(matter.state, "registered")
        self.assertEqual(matter.first_receiver_id, self.staff_a1)
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertFalse(matter.handler_id)
        self.assertEqual(matter.unit_id, self.county_a1)
        self.assertEqual(matter.post_id, self.post_counter)
        self.assertTrue(matter.is_open)
        log = matter.sudo().log_ids
        self.assertEqual(len(log), 1)
        self.assertRecordValues(
            log,
            [
                {
                    "action": "register",
                    "user_id": self.staff_a1.id,
                    "from_user_id": False,
                    "to_user_id": self.staff_a1.id,
                    "state_from": False,
                    "state_to": "registered",
                }
            ],
        )
        self.assertResponsibilityInvariant(matter)

    def test_register_normalizes_the_mobile_number(self):
        matter = self.register(self.staff_a1, customer_phone=" 138-1234-5678 ")
        self.assertEqual(matter.customer_phone, PHONE)
        landline = self.register(self.staff_a1, customer_phone="0371-65551234")
        self.assertEqual(landline.customer_phone, "0371-65551234")

    def test_register_as_someone_else_is_refused(self):
        with self.assertRaises(UserError):
            self.register(
                self.staff_a1, first_receiver_id=self.staff_a1b.id, subject="代登记"
            )
        self.assertFalse(self._count("代登记"))

    def test_manager_may_register_for_a_colleague(self):
        matter = self.register(
            self.manager, first_receiver_id=self.staff_a1.id, subject="代登记"
        )
        self.assertEqual(matter.first_receiver_id, self.staff_a1)
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertEqual(matter.unit_id, self.county_a1)

    def test_register_with_workflow_fields_is_refused(self):
        for values in (
            {"state": "closed"},
            {"first_responsible_id": self.staff_a2.id},
            {"handler_id": self.staff_a2.id},
            {"name": "SWT-A1-1999-000001"},
            {"transfer_count": 3},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                self.register(self.staff_a1, subject="工作流字段", **values)
        self.assertFalse(self._count("工作流字段"))

    def test_register_without_a_unit_is_refused(self):
        with self.assertRaises(UserError):
            self.register(self.staff_no_unit, subject="无机构")
        self.assertFalse(self._count("无机构"))

    def test_invalid_phone_is_refused(self):
        with self.assertRaises(ValidationError):
            self.register(self.staff_a1, subject="坏号码", customer_phone="12345")
        self.assertFalse(self._count("坏号码"))

    def test_invalid_id_number_is_refused(self):
        with self.assertRaises(ValidationError):
            self.register(
                self.staff_a1,
                subject="坏证件",
                customer_id_number="410102199003071234",
            )
        self.assertFalse(self._count("坏证件"))

    def test_external_customer_without_any_contact_is_refused(self):
        with self.assertRaises(ValidationError):
            self.register(
                self.staff_a1,
                subject="无联系方式",
                customer_phone=False,
                customer_email=False,
                partner_id=False,
            )
        self.assertFalse(self._count("无联系方式"))
        # an internal customer (a colleague) needs no contact
        internal = self.register(
            self.staff_a1,
            subject="内部客户",
            customer_type="internal",
            customer_phone=False,
        )
        self.assertTrue(internal)

    @freeze_time("2025-03-12 02:00:00")
    def test_registration_in_the_future_is_refused(self):
        with self.assertRaises(ValidationError):
            self.register(
                self.staff_a1, subject="未来登记", registered_date="2025-03-13 02:00:00"
            )
        self.assertFalse(self._count("未来登记"))
        # a letter that arrived yesterday may be registered today
        letter = self.register(
            self.staff_a1,
            subject="昨日来信",
            channel="letter",
            registered_date="2025-03-11 09:00:00",
        )
        self.assertEqual(letter.registered_date, datetime(2025, 3, 11, 9, 0))

    def test_copy_is_refused(self):
        matter = self.register(self.staff_a1)
        with self.assertRaises(UserError):
            matter.copy()
        with self.assertRaises(UserError):
            matter.sudo().copy()

    def _count(self, subject):
        return (
            self.env["shouwen.matter"]
            .with_context(active_test=False)
            .search_count(
                [("subject", "=", subject), ("unit_id", "child_of", self.province.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestWorkflow(ShouwenCase):
    # ------------------------------------------------------------------
    # handle
    # ------------------------------------------------------------------

    def test_first_responsible_handles_directly(self):
        matter = self.register(self.staff_a1)
        with self.assertLogged(
            matter,
            expect_log(
                "handle",
                self.staff_a1,
                to_user=self.staff_a1,
                state_from="registered",
                state_to="in_progress",
            ),
        ):
            matter.action_handle()
        self.assertEqual(matter.state, "in_progress")
        self.assertEqual(matter.handler_id, self.staff_a1)
        self.assertEqual(matter.first_responsible_id, self.staff_a1)

    def test_handle_is_refused_to_others_and_in_a_wrong_state(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            matter.with_user(self.sup_a1).action_handle()
        with self.assertRefused(matter, AccessError):
            matter.with_user(self.staff_a1b).action_handle()
        matter.action_handle()
        with self.assertRefused(matter):
            matter.action_handle()

    # ------------------------------------------------------------------
    # guide, accept, return
    # ------------------------------------------------------------------

    def test_guide_keeps_responsibility_until_accepted(self):
        matter = self.register(self.staff_a1)
        with self.assertLogged(
            matter,
            expect_log(
                "guide",
                self.staff_a1,
                from_user=self.staff_a1,
                to_user=self.staff_a2,
                state_from="registered",
                state_to="guiding",
                reason="请协助办理",
            ),
        ):
            matter.guide(self.staff_a2, note="请协助办理")
        self.assertEqual(matter.state, "guiding")
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertEqual(matter.guide_to_id, self.staff_a2)
        self.assertEqual(matter.guided_by_id, self.staff_a1)
        activity = matter.sudo().activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.staff_a2)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("shouwen_responsibility.mail_activity_type_shouwen_accept"),
        )
        # the target can read what they are asked to accept
        self.assertEqual(
            matter.with_user(self.staff_a2).read(["subject"])[0]["id"], matter.id
        )
        self.assertEqual(
            matter.with_user(self.staff_a2).available_actions, ["accept", "return"]
        )
        # the guide stays responsible: the clock is theirs to extend
        self.assertEqual(
            matter.available_actions,
            ["make_status_link", "reclassify", "request_extension"],
        )

    def test_accept_makes_the_target_first_responsible_and_handler(self):
        matter = self.guided(self.staff_a1, self.staff_a2).with_user(self.staff_a2)
        with self.assertLogged(
            matter,
            expect_log(
                "accept",
                self.staff_a2,
                from_user=self.staff_a1,
                to_user=self.staff_a2,
                state_from="guiding",
                state_to="in_progress",
            ),
        ):
            matter.action_accept()
        self.assertEqual(matter.state, "in_progress")
        self.assertEqual(matter.first_responsible_id, self.staff_a2)
        self.assertEqual(matter.handler_id, self.staff_a2)
        self.assertEqual(matter.first_receiver_id, self.staff_a1)
        self.assertFalse(matter.guide_to_id)
        self.assertTrue(matter.accepted_date)
        self.assertEqual(matter.transfer_count, 1)
        self.assertFalse(matter.sudo().activity_ids, "the accept reminder is done")

    def test_accept_by_someone_else_is_refused(self):
        matter = self.guided(self.staff_a1, self.staff_a2)
        # the guide themselves, and a supervisor who can read the matter
        for user in (self.staff_a1, self.sup_a1, self.sup_province):
            with self.subTest(user=user.name), self.assertRefused(matter):
                matter.with_user(user).action_accept()
        # a colleague who cannot even read it
        with self.assertRefused(matter, AccessError):
            matter.with_user(self.staff_b1).action_accept()

    def test_accept_is_refused_when_not_guided(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            matter.action_accept()

    def test_return_keeps_responsibility_with_guide(self):
        matter = self.guided(self.staff_a1, self.staff_a2).with_user(self.staff_a2)
        reason = "不属于本岗位职责"
        with self.assertLogged(
            matter,
            expect_log(
                "return",
                self.staff_a2,
                from_user=self.staff_a2,
                to_user=self.staff_a1,
                state_from="guiding",
                state_to="returned",
                reason=reason,
            ),
        ):
            matter.return_guide(reason)
        self.assertEqual(matter.state, "returned")
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertFalse(matter.guide_to_id)
        self.assertEqual(matter.return_count, 1)
        self.assertEqual(matter.transfer_count, 0)
        self.assertFalse(matter.sudo().activity_ids, "the accept reminder is done")
        self.assertIn(reason, matter.sudo().message_ids[:1].body)
        # the guide can guide it again, to someone else
        matter = matter.with_user(self.staff_a1)
        matter.guide(self.staff_b1)
        self.assertEqual(matter.guide_to_id, self.staff_b1)

    def test_return_without_reason_is_refused(self):
        matter = self.guided(self.staff_a1, self.staff_a2).with_user(self.staff_a2)
        for reason in (None, "", "   "):
            with self.subTest(reason=reason), self.assertRefused(matter):
                matter.return_guide(reason)

    def test_return_by_the_guide_is_refused(self):
        matter = self.guided(self.staff_a1, self.staff_a2)
        with self.assertRefused(matter):
            matter.return_guide("我不想等")

    def test_guide_to_oneself_is_refused(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            matter.guide(self.staff_a1)

    def test_guide_to_non_staff_is_refused(self):
        matter = self.register(self.staff_a1)
        for user in (self.employee, self.inspector):
            with self.subTest(user=user.name), self.assertRefused(matter):
                matter.guide(user)

    def test_guide_outside_the_organisation_is_refused(self):
        matter = self.register(self.staff_a1)
        for user in (self.outsider, self.staff_no_unit):
            with self.subTest(user=user.name), self.assertRefused(matter):
                matter.guide(user)

    def test_guide_to_an_archived_or_unknown_user_is_refused(self):
        matter = self.register(self.staff_a1)
        self.staff_b1.active = False
        for user in (self.staff_b1, 0, False, "abc", 999999999):
            with self.subTest(user=user), self.assertRefused(matter):
                matter.guide(user)

    def test_guide_is_refused_to_others_and_in_a_wrong_state(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            matter.with_user(self.sup_a1).guide(self.staff_a2)
        matter.guide(self.staff_a2)
        with self.assertRefused(matter):
            matter.guide(self.staff_b1)

    def test_guide_by_id_as_from_rpc(self):
        matter = self.register(self.staff_a1)
        matter.guide(self.staff_a2.id)
        self.assertEqual(matter.guide_to_id, self.staff_a2)

    # ------------------------------------------------------------------
    # coordinate and parts
    # ------------------------------------------------------------------

    def test_coordinate_gives_a_part_and_keeps_responsibility(self):
        matter = self.register(self.staff_a1)
        matter.action_handle()
        with self.assertLogged(
            matter,
            expect_log(
                "coordinate",
                self.staff_a1,
                from_user=self.staff_a1,
                to_user=self.staff_b1,
                state_from="in_progress",
                state_to="coordinating",
                reason="核对保单信息",
            ),
        ):
            part = matter.coordinate(self.staff_b1, "核对保单信息")
        self.assertEqual(matter.state, "coordinating")
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertEqual(matter.handler_id, self.staff_a1)
        self.assertRecordValues(
            part.sudo(),
            [
                {
                    "matter_id": matter.id,
                    "name": "核对保单信息",
                    "assignee_id": self.staff_b1.id,
                    "requested_by_id": self.staff_a1.id,
                    "state": "open",
                    "unit_id": self.county_b1.id,
                }
            ],
        )
        activity = matter.sudo().activity_ids
        self.assertEqual(activity.user_id, self.staff_b1)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("shouwen_responsibility.mail_activity_type_shouwen_part"),
        )
        self.assertEqual(matter.open_part_count, 1)

    def test_coordinate_is_refused_before_handling_and_to_oneself(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            matter.coordinate(self.staff_b1, "核对保单信息")
        matter.action_handle()
        with self.assertRefused(matter):
            matter.coordinate(self.staff_a1, "核对保单信息")
        with self.assertRefused(matter):
            matter.coordinate(self.staff_b1, "  ")
        with self.assertRefused(matter):
            matter.coordinate(self.employee, "核对保单信息")

    def test_answer_is_refused_while_a_part_is_open(self):
        matter, _part = self.coordinating(self.staff_a1, self.staff_b1)
        with self.assertRefused(matter) as catcher:
            matter.answer(ANSWER, "phone")
        self.assertIn("open parts", str(catcher.exception))

    def test_part_finished_by_its_assignee_returns_the_matter_to_in_progress(self):
        matter, part = self.coordinating(self.staff_a1, self.staff_b1)
        part = part.with_user(self.staff_b1)
        part.write({"result": "保单信息无误"})
        with self.assertLogged(
            matter,
            expect_log(
                "part_done",
                self.staff_b1,
                from_user=self.staff_b1,
                to_user=self.staff_a1,
                state_to="coordinating",
                reason="核对保单信息: 保单信息无误",
            ),
            expect_log(
                "parts_done",
                self.staff_b1,
                state_from="coordinating",
                state_to="in_progress",
            ),
        ):
            part.action_done()
        self.assertEqual(part.state, "done")
        self.assertTrue(part.date_done)
        self.assertEqual(matter.state, "in_progress")
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertFalse(matter.sudo().activity_ids, "the part reminder is done")
        # now the matter can be answered
        matter.answer(ANSWER, "phone")
        self.assertEqual(matter.state, "answered")

    def test_part_needs_a_result_and_its_assignee(self):
        matter, part = self.coordinating(self.staff_a1, self.staff_b1)
        with self.assertRefused(matter):
            part.with_user(self.staff_b1).action_done()
        part.with_user(self.staff_b1).result = "保单信息无误"
        with self.assertRefused(matter):
            part.with_user(self.staff_a1).action_done()
        # the first responsible cannot write the assignee's result
        with self.assertRefused(matter, AccessError):
            part.with_user(self.staff_a1).write({"result": "代填"})
        # and the assignee writes nothing but the result
        with self.assertRefused(matter):
            part.with_user(self.staff_b1).write({"state": "done"})
        with self.assertRefused(matter):
            part.with_user(self.staff_b1).write({"name": "改任务"})

    def test_part_closed_by_the_first_responsible_with_a_reason(self):
        matter, part = self.coordinating(self.staff_a1, self.staff_b1)
        with self.assertRefused(matter):
            part.with_user(self.staff_b1).cancel("我来关")
        with self.assertRefused(matter):
            part.with_user(self.staff_a1).cancel(" ")
        with self.assertLogged(
            matter,
            expect_log(
                "part_cancel",
                self.staff_a1,
                from_user=self.staff_b1,
                to_user=self.staff_a1,
                state_to="coordinating",
                reason="核对保单信息: 客户已自行提供",
            ),
            expect_log(
                "parts_done",
                self.staff_a1,
                state_from="coordinating",
                state_to="in_progress",
            ),
        ):
            part.with_user(self.staff_a1).cancel("客户已自行提供")
        self.assertEqual(part.sudo().state, "cancelled")
        self.assertEqual(part.sudo().cancel_reason, "客户已自行提供")
        self.assertEqual(matter.state, "in_progress")
        # a finished part cannot be finished again
        with self.assertRefused(matter):
            part.with_user(self.staff_a1).cancel("再关一次")

    def test_coordination_ends_only_with_the_last_part(self):
        matter, first = self.coordinating(self.staff_a1, self.staff_b1)
        second = matter.coordinate(self.staff_a2, "核实查勘照片")
        self.assertEqual(matter.open_part_count, 2)
        first.with_user(self.staff_b1).result = "无误"
        with self.assertLogged(
            matter,
            expect_log(
                "part_done",
                self.staff_b1,
                from_user=self.staff_b1,
                to_user=self.staff_a1,
                state_to="coordinating",
            ),
        ):
            first.with_user(self.staff_b1).action_done()
        self.assertEqual(matter.state, "coordinating")
        second.with_user(self.staff_a2).result = "照片齐全"
        with self.assertLogged(
            matter,
            expect_log(
                "part_done",
                self.staff_a2,
                from_user=self.staff_a2,
                to_user=self.staff_a1,
                state_to="coordinating",
            ),
            expect_log(
                "parts_done",
                self.staff_a2,
                state_from="coordinating",
                state_to="in_progress",
            ),
        ):
            second.with_user(self.staff_a2).action_done()
        self.assertEqual(matter.state, "in_progress")

    # ------------------------------------------------------------------
    # materials, answer, close, reopen
    # ------------------------------------------------------------------

    def test_missing_materials_are_told_once_and_recorded(self):
        matter = self.register(self.staff_a1)
        materials = "身份证复印件、银行卡复印件、事故证明"
        with self.assertLogged(
            matter,
            expect_log(
                "notify_materials",
                self.staff_a1,
                to_user=self.staff_a1,
                state_to="registered",
                reason=materials,
            ),
        ):
            matter.notify_materials(materials)
        self.assertEqual(matter.materials_notice, materials)
        self.assertTrue(matter.materials_notice_date)
        self.assertEqual(matter.state, "registered")
        with self.assertRefused(matter):
            matter.notify_materials("")

    @freeze_time("2025-03-12 02:00:00")
    def test_answer_records_the_result_and_how_the_customer_was_told(self):
        matter = self.register(self.staff_a1)
        matter.action_handle()
        with self.assertLogged(
            matter,
            expect_log(
                "answer",
                self.staff_a1,
                to_user=self.staff_a1,
                state_from="in_progress",
                state_to="answered",
                reason=ANSWER,
            ),
        ):
            matter.answer(ANSWER, "phone", told_note="客户表示满意")
        self.assertRecordValues(
            matter,
            [
                {
                    "state": "answered",
                    "result": ANSWER,
                    "told_method": "phone",
                    "told_date": datetime(2025, 3, 12, 2, 0),
                    "told_note": "客户表示满意",
                    "answered_date": datetime(2025, 3, 12, 2, 0),
                    "handler_id": self.staff_a1.id,
                    "first_responsible_id": self.staff_a1.id,
                }
            ],
        )

    def test_answer_needs_a_result_and_how_the_customer_was_told(self):
        matter = self.register(self.staff_a1)
        for result, method in (("", "phone"), ("  ", "phone"), (ANSWER, False)):
            with self.subTest(result=result, method=method):
                with self.assertRefused(matter):
                    matter.answer(result, method)
        with self.assertRefused(matter):
            matter.answer(ANSWER, "pigeon")

    def test_told_date_is_neither_in_the_future_nor_before_registration(self):
        with freeze_time("2025-03-12 02:00:00"):
            matter = self.register(self.staff_a1)
        with freeze_time("2025-03-12 05:00:00"):
            with self.assertRefused(matter):
                matter.answer(ANSWER, "phone", told_date="2025-03-12 06:00:00")
            with self.assertRefused(matter):
                matter.answer(ANSWER, "phone", told_date="2025-03-12 01:59:00")
            matter.answer(ANSWER, "letter", told_date="2025-03-12 04:00:00")
        self.assertEqual(matter.told_date, datetime(2025, 3, 12, 4, 0))

    def test_answer_by_someone_else_is_refused(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            matter.with_user(self.sup_a1).answer(ANSWER, "phone")
        matter.guide(self.staff_a2)
        # not while the guide target has not accepted, not even by the guide
        with self.assertRefused(matter):
            matter.answer(ANSWER, "phone")
        with self.assertRefused(matter):
            matter.with_user(self.staff_a2).answer(ANSWER, "phone")

    def test_close_only_by_the_first_responsible_after_the_answer(self):
        matter = self.accepted(self.staff_a1, self.staff_a2)
        with self.assertRefused(matter):
            matter.action_close()
        matter.answer(ANSWER, "sms")
        for user in (self.staff_a1, self.sup_a1, self.sup_province):
            with self.subTest(user=user.name), self.assertRefused(matter):
                matter.with_user(user).action_close()
        with self.assertLogged(
            matter,
            expect_log(
                "close",
                self.staff_a2,
                to_user=self.staff_a2,
                state_from="answered",
                state_to="closed",
            ),
        ):
            matter.action_close()
        self.assertEqual(matter.state, "closed")
        self.assertTrue(matter.closed_date)
        self.assertFalse(matter.is_open)
        self.assertEqual(matter.first_responsible_id, self.staff_a2)
        with self.assertRefused(matter):
            matter.action_close()

    def test_reopen_needs_a_reason_and_clears_what_the_customer_was_told(self):
        matter = self.register(self.staff_a1)
        matter.answer(ANSWER, "phone", told_note="已告知")
        matter.action_close()
        with self.assertRefused(matter):
            matter.reopen("  ")
        reason = "客户对答复不满意"
        with self.assertLogged(
            matter,
            expect_log(
                "reopen",
                self.staff_a1,
                from_user=self.staff_a1,
                to_user=self.staff_a1,
                state_from="closed",
                state_to="reopened",
                reason=reason,
            ),
        ):
            matter.reopen(reason)
        self.assertRecordValues(
            matter,
            [
                {
                    "state": "reopened",
                    "reopen_count": 1,
                    "told_method": False,
                    "told_date": False,
                    "told_note": False,
                    "closed_date": False,
                    "is_open": True,
                    "first_responsible_id": self.staff_a1.id,
                    "handler_id": self.staff_a1.id,
                }
            ],
        )
        # handled again: answered a second time and closed
        matter.answer("补充说明理赔计算依据", "phone")
        matter.action_close()
        self.assertEqual(matter.state, "closed")

    def test_reopen_by_a_supervisor_in_scope_only(self):
        matter = self.register(self.staff_a1)
        matter.answer(ANSWER, "phone")
        # a follower reads the matter but holds no role on it
        matter.message_subscribe(partner_ids=self.staff_a2.partner_id.ids)
        with self.assertRefused(matter):
            matter.with_user(self.staff_a2).reopen("客户不满意")
        with self.assertRefused(matter, AccessError):
            matter.with_user(self.sup_a2).reopen("客户不满意")
        with self.assertRefused(matter, AccessError):
            matter.with_user(self.sup_city_b).reopen("客户不满意")
        with self.assertLogged(
            matter,
            expect_log(
                "reopen",
                self.sup_city_a,
                from_user=self.sup_city_a,
                to_user=self.staff_a1,
                state_from="answered",
                state_to="reopened",
                reason="客户不满意",
            ),
        ):
            matter.with_user(self.sup_city_a).reopen("客户不满意")
        self.assertEqual(matter.first_responsible_id, self.staff_a1)

    # ------------------------------------------------------------------
    # the workflow fields are the actions' own
    # ------------------------------------------------------------------

    def test_writing_workflow_fields_directly_is_refused(self):
        matter = self.register(self.staff_a1)
        matter.action_handle()
        for values in (
            {"state": "closed"},
            {"first_responsible_id": self.staff_a2.id},
            {"first_receiver_id": self.staff_a2.id},
            {"name": "SWT-A1-1999-000001"},
            {"handler_id": self.staff_a2.id},
            {"result": "直接写答复"},
            {"registered_date": "2020-01-01 00:00:00"},
            {"transfer_count": 5},
        ):
            for user in (self.staff_a1, self.sup_a1, self.sup_province):
                with self.subTest(values=values, user=user.name):
                    with self.assertRefused(matter):
                        matter.with_user(user).write(values)
        matter.write({"description": "客户补充：要求尽快处理"})
        self.assertEqual(matter.description, "客户补充：要求尽快处理")

    def test_full_life_cycle_logs_one_line_per_change(self):
        matter = self.register(self.staff_a1)
        steps = [
            (self.staff_a1, lambda m: m.guide(self.staff_a2), 1),
            (self.staff_a2, lambda m: m.return_guide("非本岗职责"), 1),
            (self.staff_a1, lambda m: m.guide(self.staff_b1), 1),
            (self.staff_b1, lambda m: m.action_accept(), 1),
            (self.staff_b1, lambda m: m.coordinate(self.staff_a2, "核对"), 1),
            (self.staff_a2, self._finish_my_part, 2),
            (self.staff_b1, lambda m: m.notify_materials("事故证明"), 1),
            (self.staff_b1, lambda m: m.answer(ANSWER, "phone"), 1),
            (self.staff_b1, lambda m: m.action_close(), 1),
            (self.sup_city_a, lambda m: m.reopen("客户不满意"), 1),
            (self.staff_b1, lambda m: m.answer(ANSWER, "phone"), 1),
            (self.staff_b1, lambda m: m.action_close(), 1),
        ]
        count = len(matter.sudo().log_ids)
        self.assertEqual(count, 1)
        for user, step, lines in steps:
            step(matter.with_user(user))
            matter.invalidate_recordset()
            self.assertEqual(len(matter.sudo().log_ids), count + lines)
            count += lines
            self.assertResponsibilityInvariant(matter)
        self.assertEqual(
            matter.sudo().log_ids.sorted("id").mapped("action"),
            [
                "register",
                "guide",
                "return",
                "guide",
                "accept",
                "coordinate",
                "part_done",
                "parts_done",
                "notify_materials",
                "answer",
                "close",
                "reopen",
                "answer",
                "close",
            ],
        )
        self.assertRecordValues(
            matter.sudo(),
            [
                {
                    "state": "closed",
                    "first_receiver_id": self.staff_a1.id,
                    "first_responsible_id": self.staff_b1.id,
                    "transfer_count": 1,
                    "return_count": 1,
                    "reopen_count": 1,
                }
            ],
        )

    def _finish_my_part(self, matter):
        part = matter.part_ids.filtered(lambda p: p.assignee_id == matter.env.user)
        part.result = "已核对"
        part.action_done()


@tagged("post_install", "-at_install")
class TestMessages(ShouwenCase):
    def test_refusals_speak_the_users_language_zh_cn(self):
        """Refusals are translated (i18n/zh_CN.po) for a zh_CN user, English
        source text for others."""
        file_path("shouwen_responsibility/i18n/zh_CN.po")  # ships with the addon
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["shouwen_responsibility"], ["zh_CN"], overwrite=True
        )
        self.staff_a2.lang = "zh_CN"
        matter = self.guided(self.staff_a1, self.staff_a2)
        messages = {}
        for lang in ("en_US", "zh_CN"):
            as_target = matter.with_user(self.staff_a2).with_context(lang=lang)
            with self.assertRaises(UserError) as catcher:
                as_target.return_guide("")
            messages[lang, "return"] = str(catcher.exception)
            as_guide = matter.with_user(self.staff_a1).with_context(lang=lang)
            with self.assertRaises(UserError) as catcher:
                as_guide.action_accept()
            messages[lang, "accept"] = str(catcher.exception)
        self.assertEqual(
            messages["en_US", "return"], "Give the reason for returning the matter."
        )
        self.assertEqual(
            messages["en_US", "accept"],
            f"“Accept” on matter {matter.name} is for Staff A2, not for you.",
        )
        for action in ("return", "accept"):
            chinese = messages["zh_CN", action]
            self.assertRegex(chinese, r"[\u4e00-\u9fff]{2}", action)
            self.assertNotEqual(chinese, messages["en_US", action])
            self.assertNotIn("matter", chinese)
        # the translated refusal still names the matter, the action and who
        self.assertIn(matter.name, messages["zh_CN", "accept"])
        self.assertIn("Staff A2", messages["zh_CN", "accept"])
        self.assertNotIn("Accept", messages["zh_CN", "accept"])


@tagged("post_install", "-at_install")
class TestPureModules(ShouwenCase):
    def test_workflow_doctests(self):
        self._run_doctests(workflow)

    def test_personal_data_doctests(self):
        self._run_doctests(personal_data)

    def test_every_transition_is_allowed_to_someone_and_leads_to_a_state(self):
        states = {key for key, _label in workflow.STATES}
        transitions = workflow.TRANSITIONS.items()
        for action, (from_states, to_state, roles, kinds) in transitions:
            self.assertTrue(set(from_states) <= states, action)
            self.assertIn(to_state, states | {None}, action)
            self.assertTrue(set(roles) <= set(workflow.ROLES), action)
            self.assertIn(kinds, (workflow.ANY, workflow.COMPLAINT, workflow.OTHER))
        self.assertNotIn("closed", workflow.OPEN_STATES)
        self.assertNotIn("withdrawn", workflow.OPEN_STATES)

    def _run_doctests(self, module):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        self.assertGreater(result.attempted, 0, f"{module.__name__} has no doctest")
        self.assertEqual(result.failed, 0, f"{module.__name__}: doctest failed")
