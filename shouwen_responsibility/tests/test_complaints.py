# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Complaints (投诉): the approved assignment (派单审批) through OCA's tier
validation, sign-for (签收) or return (退单), the reviewed reply, feedback to the
complainant, callback (回访), withdrawal (撤回), repeat complaints, group
complaints and root-cause rectification (溯源整改).

Every complaint here is registered by the fixtures of :mod:`.common`, with a
phone number of its own, so that neither demo data nor another test makes it a
repeat complaint unless the test means it."""

from contextlib import contextmanager
from datetime import timedelta
from itertools import count

from freezegun import freeze_time
from stdnum.cn import ric

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ShouwenClockCase, expect_log, shanghai

REPLY = "经核实，理赔款已于今日支付，并向客户致歉"
NOTE = "客户投诉理赔拖延，请核实处理"

#: a serial number for each complaint's own phone number
_SERIAL = count(1)

#: what a refused action must leave untouched on a complaint, beyond
#: :data:`.common.SNAPSHOT_FIELDS`
COMPLAINT_SNAPSHOT_FIELDS = (
    "assign_user_id",
    "assign_unit_id",
    "assignment_approver_ids",
    "assignment_approved_by_id",
    "reply",
    "callback_attempts",
    "callback_outcome",
    "withdrawal_date",
    "closed_date",
)


def id_number(serial):
    """A valid resident ID number (Zhengzhou, born 1990-03-07) of its own."""
    base = f"41010219900307{serial % 1000:03d}"
    return base + ric.calc_check_digit(base)


class ComplaintCase(ShouwenClockCase):
    """Helpers to bring a complaint of county A1, registered by ``staff_a1``,
    to each step of its path.  By default ``staff_a1b`` (county A1) handles
    it, so the supervisor of county A1 approves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matter_model = cls.env.ref("shouwen_responsibility.model_shouwen_matter")

    @classmethod
    def complaint(cls, user=None, **values):
        """A complaint registered by ``user`` (``staff_a1``), in their env."""
        serial = next(_SERIAL)
        return cls.register(
            user or cls.staff_a1,
            **{
                "subject": "投诉理赔拖延",
                "description": "客户投诉理赔款迟迟未到账",
                "kind": "complaint",
                "business_domain": "complaint",
                "channel": "phone",
                "customer_phone": f"1770000{serial:04d}",
                "customer_id_number": False,
                **values,
            },
        )

    def proposed(self, handler=None, unit=None, **values):
        """A complaint waiting for the approval of its assignment."""
        matter = self.complaint(**values)
        if not unit:
            handler = handler or self.staff_a1b
        matter.propose_assignment(
            user=handler.id if handler else None,
            unit=unit.id if unit else None,
            note=NOTE,
        )
        return matter

    def assigned(self, handler=None, unit=None, **values):
        """A complaint whose assignment was approved, waiting for sign-for."""
        matter = self.proposed(handler, unit, **values)
        matter.with_user(self.approvers(matter)[:1]).validate_tier()
        return matter

    def signed(self, handler=None, **values):
        handler = handler or self.staff_a1b
        matter = self.assigned(handler, **values)
        matter.with_user(handler).action_sign()
        return matter

    def in_review(self, **values):
        matter = self.signed(**values)
        matter.with_user(matter.sudo().handler_id).submit_reply(REPLY)
        return matter

    def in_feedback(self, **values):
        matter = self.in_review(**values)
        matter.with_user(self.approvers(matter)[:1]).review_accept()
        return matter

    def in_callback(self, **values):
        matter = self.in_feedback(**values)
        matter.tell_complainant("phone", told_note="已电话告知处理结果")
        return matter

    @staticmethod
    def approvers(matter):
        return matter.sudo().assignment_approver_ids

    @staticmethod
    def reviews(matter):
        matter = matter.sudo()
        matter.invalidate_recordset(["review_ids"])
        return matter.review_ids.sorted("sequence")

    def log_actions(self, matter):
        matter.env.invalidate_all()
        return matter.sudo().log_ids.sorted("id").mapped("action")

    @staticmethod
    def complaint_state(matter):
        """What a refused action must leave untouched beyond
        :meth:`snapshot`: the complaint's own fields and its approval."""
        matter = matter.sudo()
        matter.env.invalidate_all()
        values = {
            fname: matter[fname].ids if fname.endswith("_ids") else matter[fname]
            for fname in COMPLAINT_SNAPSHOT_FIELDS
        }
        values["reviews"] = [(r.id, r.status, r.done_by.id) for r in matter.review_ids]
        return values

    @contextmanager
    def assertComplaintRefused(self, matter, exception=UserError):
        """:meth:`assertRefused`, the complaint and its approval untouched."""
        before = self.complaint_state(matter)
        with self.assertRefused(matter, exception) as catcher:
            yield catcher
        self.assertEqual(self.complaint_state(matter), before)


@tagged("post_install", "-at_install")
class TestComplaintPath(ComplaintCase):
    """The path of a complaint, what registration finds, and the refusal of
    the actions that belong to other matters."""

    def test_complaint_goes_from_registration_to_callback_one_log_line_per_step(self):
        matter = self.complaint()
        self.assertEqual(matter.state, "registered")
        self.assertLessEqual(
            {"propose_assignment", "withdraw"}, set(matter.available_actions)
        )
        with self.assertLogged(
            matter,
            expect_log(
                "propose_assignment",
                self.staff_a1,
                from_user=self.staff_a1,
                to_user=self.staff_a1b,
                state_from="registered",
                state_to="approval",
                reason=NOTE,
            ),
        ):
            matter.propose_assignment(user=self.staff_a1b, note=NOTE)
        self.assertRecordValues(
            matter.sudo(),
            [
                {
                    "state": "approval",
                    "assign_user_id": self.staff_a1b.id,
                    "assign_unit_id": self.county_a1.id,
                    "assignment_approver_ids": self.sup_a1.ids,
                    "handler_id": False,
                }
            ],
        )
        self.assertIn(matter.sudo().validation_status, ("waiting", "pending"))
        review = self.reviews(matter)
        self.assertEqual(len(review), 1)
        self.assertEqual(review.reviewer_ids, self.sup_a1)
        self.assertEqual(review.requested_by, self.staff_a1)
        self.assertTrue(self.activities(matter, "approval", self.sup_a1))
        self.assertTrue(matter.with_user(self.sup_a1).can_review)
        self.assertFalse(matter.can_review)

        with self.assertLogged(
            matter,
            expect_log(
                "approval_granted",
                self.sup_a1,
                from_user=self.sup_a1,
                to_user=self.staff_a1b,
                state_from="approval",
                state_to="assigned",
            ),
        ):
            matter.with_user(self.sup_a1).validate_tier()
        self.assertRecordValues(
            matter.sudo(),
            [
                {
                    "state": "assigned",
                    "assignment_approved_by_id": self.sup_a1.id,
                    "validation_status": "validated",
                }
            ],
        )
        self.assertEqual(review.status, "approved")
        self.assertEqual(review.done_by, self.sup_a1)
        self.assertFalse(self.activities(matter, "approval"))
        self.assertTrue(self.activities(matter, "accept", self.staff_a1b))
        handler_view = matter.with_user(self.staff_a1b)
        self.assertEqual(handler_view.available_actions, ["return", "sign"])

        with self.assertLogged(
            matter,
            expect_log(
                "sign",
                self.staff_a1b,
                to_user=self.staff_a1b,
                state_from="assigned",
                state_to="in_progress",
            ),
        ):
            handler_view.action_sign()
        self.assertEqual(matter.handler_id, self.staff_a1b)
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertTrue(matter.accepted_date)
        self.assertFalse(self.activities(matter, "accept"))

        with self.assertLogged(
            matter,
            expect_log(
                "submit_reply",
                self.staff_a1b,
                to_user=self.staff_a1b,
                state_from="in_progress",
                state_to="review",
                reason=REPLY,
            ),
        ):
            handler_view.submit_reply(REPLY)
        self.assertEqual(matter.reply, REPLY)
        self.assertTrue(matter.reply_date)
        self.assertTrue(self.activities(matter, "approval", self.sup_a1))

        with self.assertLogged(
            matter,
            expect_log(
                "review_accept",
                self.sup_a1,
                from_user=self.sup_a1,
                to_user=self.staff_a1,
                state_from="review",
                state_to="feedback",
                reason="答复口径妥当",
            ),
        ):
            matter.with_user(self.sup_a1).review_accept("答复口径妥当")
        self.assertTrue(self.activities(matter, "todo", self.staff_a1))

        with self.assertLogged(
            matter,
            expect_log(
                "tell_complainant",
                self.staff_a1,
                to_user=self.staff_a1,
                state_from="feedback",
                state_to="callback",
                reason="已电话告知处理结果",
            ),
        ):
            matter.tell_complainant("phone", told_note="已电话告知处理结果")
        self.assertRecordValues(
            matter,
            [
                {
                    "result": REPLY,
                    "told_method": "phone",
                    "told_note": "已电话告知处理结果",
                    # the complainant has the answer: the closure clock stopped
                    "next_followup_date": False,
                }
            ],
        )
        self.assertTrue(matter.told_date)
        # the to-do "tell the complainant" is done
        self.assertFalse(self.activities(matter, "todo", self.staff_a1))

        with self.assertLogged(
            matter,
            expect_log(
                "callback",
                self.staff_a1,
                to_user=self.staff_a1,
                state_to="callback",
                reason="客户表示满意",
            ),
            expect_log(
                "close",
                self.staff_a1,
                to_user=self.staff_a1,
                state_from="callback",
                state_to="closed",
            ),
        ):
            matter.record_callback("satisfied", note="客户表示满意")
        self.assertRecordValues(
            matter,
            [
                {
                    "state": "closed",
                    "is_open": False,
                    "callback_outcome": "satisfied",
                    "callback_attempts": 1,
                    "reopen_count": 0,
                    "next_followup_date": False,
                }
            ],
        )
        self.assertTrue(matter.closed_date)
        self.assertFalse(matter.activity_ids)
        self.assertEqual(
            self.log_actions(matter),
            [
                "register",
                "propose_assignment",
                "approval_granted",
                "sign",
                "submit_reply",
                "review_accept",
                "tell_complainant",
                "callback",
                "close",
            ],
        )

    def test_approvers_are_the_supervisors_of_the_lowest_unit_above_both(self):
        for handler, unit, approvers in (
            (self.staff_a1b, None, self.sup_a1),  # the same county
            (self.staff_a2, None, self.sup_city_a),  # a sibling county
            (self.staff_city_a, None, self.sup_city_a),  # the city above
            (self.staff_b1, None, self.sup_province),  # another city
            (None, self.county_a2, self.sup_city_a),  # a unit of the city
        ):
            with self.subTest(handler=handler.login if handler else unit.code):
                matter = self.proposed(handler, unit)
                self.assertEqual(self.approvers(matter), approvers)
                self.assertEqual(self.reviews(matter).reviewer_ids, approvers)

    def test_no_supervisor_above_refuses_the_proposal(self):
        self.county_a1.supervisor_ids = False
        self.city_a.supervisor_ids = False
        self.province.supervisor_ids = False
        matter = self.complaint()
        with self.assertComplaintRefused(matter):
            matter.propose_assignment(user=self.staff_a1b)

    def test_proposal_needs_a_staff_member_or_a_unit_of_the_organisation(self):
        matter = self.complaint()
        for user, unit in (
            (None, None),
            (self.staff_a1, None),  # oneself
            (self.employee, None),  # not staff of the system
            (self.outsider, None),  # another organisation
            (None, self.other_province),
        ):
            with self.subTest(user=user and user.login, unit=unit and unit.code):
                with self.assertComplaintRefused(matter):
                    matter.propose_assignment(
                        user=user.id if user else None,
                        unit=unit.id if unit else None,
                    )

    def test_reply_sent_back_goes_to_the_handler_who_submits_again(self):
        matter = self.in_review()
        approver = matter.with_user(self.sup_a1)
        with self.assertComplaintRefused(matter):
            approver.review_send_back("  ")
        with self.assertComplaintRefused(matter):
            # only the approving supervisor reviews the reply
            matter.with_user(self.sup_city_a).review_send_back("不够具体")
        with self.assertLogged(
            matter,
            expect_log(
                "review_send_back",
                self.sup_a1,
                from_user=self.sup_a1,
                to_user=self.staff_a1b,
                state_from="review",
                state_to="in_progress",
                reason="请写明赔付金额和到账日期",
            ),
        ):
            approver.review_send_back("请写明赔付金额和到账日期")
        self.assertTrue(self.activities(matter, "todo", self.staff_a1b))
        matter.with_user(self.staff_a1b).submit_reply(REPLY + "，赔付金额一万元")
        self.assertEqual(matter.state, "review")
        self.assertTrue(matter.reply.endswith("一万元"))

    def test_complaints_refuse_the_actions_of_other_matters(self):
        matter = self.complaint()
        for action in (
            matter.action_handle,
            lambda: matter.guide(self.staff_a1b, note="请协助"),
            lambda: matter.answer(REPLY, "phone"),
            matter.action_close,
        ):
            with self.subTest(action=action), self.assertComplaintRefused(matter):
                action()
        signed = self.signed()
        handler_view = signed.with_user(self.staff_a1b)
        for action in (
            lambda: handler_view.answer(REPLY, "phone"),
            lambda: handler_view.guide(self.staff_a2),
        ):
            with self.subTest(action=action), self.assertComplaintRefused(signed):
                action()

    def test_other_matters_refuse_the_complaint_actions(self):
        matter = self.register(self.staff_a1, customer_phone="17700009999")
        for action in (
            lambda: matter.propose_assignment(user=self.staff_a1b),
            lambda: matter.withdraw("客户撤回"),
            lambda: matter.tell_complainant("phone"),
        ):
            with self.subTest(action=action), self.assertRefused(matter):
                action()


@tagged("post_install", "-at_install")
class TestComplaintSteps(ComplaintCase):
    """Each step of the path: who may take it and when (回避 included), the
    returns and the new proposals, the callback, and the withdrawal."""

    def test_nobody_signs_or_replies_before_the_approval(self):
        matter = self.proposed(self.staff_a1b)
        handler_view = matter.with_user(self.staff_a1b)
        self.assertFalse(handler_view.available_actions)
        for action in (
            handler_view.action_sign,
            lambda: handler_view.submit_reply(REPLY),
            lambda: handler_view.return_guide("不属于本岗"),
        ):
            with self.subTest(action=action), self.assertComplaintRefused(matter):
                action()
        # the state is moved by the approval only, never written directly
        with self.assertComplaintRefused(matter):
            matter.write({"state": "assigned"})

    def test_signing_by_someone_else_is_refused(self):
        matter = self.assigned(self.staff_a1b)
        for user in (self.staff_a1, self.sup_a1, self.sup_province):
            with self.subTest(user=user.login), self.assertComplaintRefused(matter):
                matter.with_user(user).action_sign()
        # a colleague who takes no part does not even see it
        with self.assertComplaintRefused(matter, AccessError):
            matter.with_user(self.staff_b1).action_sign()

    def test_reply_needs_a_text_and_the_handler(self):
        matter = self.signed()
        with self.assertComplaintRefused(matter):
            matter.with_user(self.staff_a1b).submit_reply(" ")
        with self.assertComplaintRefused(matter):
            matter.submit_reply(REPLY)  # the first responsible is not the handler

    def test_the_complained_person_is_never_proposed(self):
        matter = self.complaint(complained_person_id=self.staff_a1b.id)
        with self.assertComplaintRefused(matter):
            matter.propose_assignment(user=self.staff_a1b)

    def test_a_complained_supervisor_is_replaced_by_the_next_unit_up(self):
        matter = self.proposed(self.staff_a1b, complained_person_id=self.sup_a1.id)
        self.assertEqual(self.approvers(matter), self.sup_city_a)
        self.assertEqual(self.reviews(matter).reviewer_ids, self.sup_city_a)
        self.assertFalse(self.activities(matter, "approval", self.sup_a1))
        supervisor_view = matter.with_user(self.sup_a1)
        self.assertFalse(supervisor_view.can_review)
        with self.assertComplaintRefused(matter):
            supervisor_view.validate_tier()
        with self.assertComplaintRefused(matter):
            supervisor_view.reject_tier("无需处理")
        matter.with_user(self.sup_city_a).validate_tier()
        self.assertEqual(matter.state, "assigned")
        self.assertEqual(matter.assignment_approved_by_id, self.sup_city_a)
        # nor does the person complained about review the reply
        matter.with_user(self.staff_a1b).action_sign()
        matter.with_user(self.staff_a1b).submit_reply(REPLY)
        with self.assertComplaintRefused(matter):
            supervisor_view.review_accept()
        matter.with_user(self.sup_city_a).review_accept()
        self.assertEqual(matter.state, "feedback")

    def test_a_complained_supervisor_neither_withdraws_nor_closes_it(self):
        matter = self.proposed(self.staff_a1b, complained_person_id=self.sup_a1.id)
        supervisor_view = matter.with_user(self.sup_a1)
        self.assertFalse(supervisor_view.available_actions)
        with self.assertComplaintRefused(matter):
            supervisor_view.withdraw("客户已谅解")
        matter.with_user(self.sup_city_a).validate_tier()
        matter.with_user(self.staff_a1b).action_sign()
        # nor lifts the recusal
        with self.assertComplaintRefused(matter, AccessError):
            supervisor_view.write({"complained_person_id": False})
        matter.with_user(self.staff_a1b).submit_reply(REPLY)
        matter.with_user(self.sup_city_a).review_accept()
        matter.tell_complainant("phone")
        self.assertFalse(supervisor_view.available_actions)
        with self.assertComplaintRefused(matter):
            supervisor_view.record_callback("satisfied")
        # a supervisor above still may
        matter.with_user(self.sup_city_a).record_callback("satisfied")
        self.assertEqual(matter.state, "closed")

    def test_the_complained_person_cannot_handle_it_later(self):
        matter = self.signed(self.staff_a1b)
        with self.assertRaises(ValidationError):
            matter.write({"complained_person_id": self.staff_a1b.id})

    def test_the_complained_person_cannot_sign_for_their_unit(self):
        matter = self.assigned(unit=self.county_a2, complained_person_id=self.sup_a2.id)
        # the sign-for reminder goes to the unit, not to the person complained about
        self.assertFalse(self.activities(matter, "accept", self.sup_a2))
        with self.assertComplaintRefused(matter):
            matter.with_user(self.sup_a2).action_sign()
        matter.with_user(self.staff_a2).action_sign()
        self.assertEqual(matter.handler_id, self.staff_a2)

    def test_rejected_assignment_goes_back_to_be_proposed_again(self):
        matter = self.proposed(self.staff_a1b)
        approver = matter.with_user(self.sup_a1)
        with self.assertComplaintRefused(matter):
            approver.reject_tier("")
        with self.assertLogged(
            matter,
            expect_log(
                "approval_rejected",
                self.sup_a1,
                from_user=self.sup_a1,
                to_user=self.staff_a1,
                state_from="approval",
                state_to="returned",
                reason="该员工正在休假",
            ),
        ):
            approver.reject_tier("该员工正在休假")
        self.assertRecordValues(
            matter.sudo(),
            [
                {
                    "state": "returned",
                    "assign_user_id": False,
                    "assign_unit_id": False,
                    "first_responsible_id": self.staff_a1.id,
                    "validation_status": "rejected",
                }
            ],
        )
        self.assertRecordValues(
            self.reviews(matter),
            [
                {
                    "status": "rejected",
                    "done_by": self.sup_a1.id,
                    "comment": "该员工正在休假",
                }
            ],
        )
        self.assertFalse(self.activities(matter, "approval"))
        self.assertTrue(self.activities(matter, "todo", self.staff_a1))
        with self.assertComplaintRefused(matter):
            matter.with_user(self.staff_a1b).action_sign()

        with self.assertLogged(
            matter,
            expect_log(
                "propose_assignment",
                self.staff_a1,
                from_user=self.staff_a1,
                to_user=self.staff_a2,
                state_from="returned",
                state_to="approval",
                reason="改派甲二支公司",
            ),
        ):
            matter.propose_assignment(user=self.staff_a2, note="改派甲二支公司")
        review = self.reviews(matter)
        self.assertEqual(len(review), 1, "the rejected review is replaced")
        self.assertIn(review.status, ("waiting", "pending"))
        self.assertEqual(review.reviewer_ids, self.sup_city_a)
        self.assertTrue(matter.with_user(self.sup_city_a).can_review)
        matter.with_user(self.sup_city_a).validate_tier()
        self.assertEqual(matter.state, "assigned")
        self.assertEqual(matter.assign_user_id, self.staff_a2)

    def test_return_goes_back_to_the_first_responsible_who_proposes_again(self):
        matter = self.assigned(self.staff_a1b)
        handler_view = matter.with_user(self.staff_a1b)
        with self.assertComplaintRefused(matter):
            handler_view.return_guide(" ")
        with self.assertLogged(
            matter,
            expect_log(
                "return",
                self.staff_a1b,
                from_user=self.staff_a1b,
                to_user=self.staff_a1,
                state_from="assigned",
                state_to="returned",
                reason="不属于本岗职责",
            ),
        ):
            handler_view.return_guide("不属于本岗职责")
        self.assertRecordValues(
            matter,
            [
                {
                    "state": "returned",
                    "return_count": 1,
                    "assign_user_id": False,
                    "handler_id": False,
                    "first_responsible_id": self.staff_a1.id,
                }
            ],
        )
        self.assertFalse(self.activities(matter, "accept"))
        self.assertTrue(self.activities(matter, "todo", self.staff_a1))
        with self.assertComplaintRefused(matter):
            matter.with_user(self.sup_a1).validate_tier()

        matter.propose_assignment(user=self.staff_a2, note="改派")
        self.assertEqual(matter.state, "approval")
        self.assertEqual(len(self.reviews(matter)), 1, "the old review is replaced")
        self.assertTrue(matter.with_user(self.sup_city_a).can_review)
        matter.with_user(self.sup_city_a).validate_tier()
        matter.with_user(self.staff_a2).action_sign()
        self.assertEqual(matter.handler_id, self.staff_a2)
        self.assertEqual(
            self.log_actions(matter),
            [
                "register",
                "propose_assignment",
                "approval_granted",
                "return",
                "propose_assignment",
                "approval_granted",
                "sign",
            ],
        )

    def test_a_unit_assignment_lets_any_staff_of_the_unit_sign(self):
        matter = self.proposed(unit=self.county_a2)
        self.assertFalse(matter.assign_user_id)
        self.assertEqual(matter.assign_unit_id, self.county_a2)
        self.assertEqual(self.approvers(matter), self.sup_city_a)
        matter.with_user(self.sup_city_a).validate_tier()
        self.assertEqual(matter.state, "assigned")
        staff_view = matter.with_user(self.staff_a2)
        self.assertEqual(staff_view.available_actions, ["return", "sign"])
        with self.assertComplaintRefused(matter):
            matter.action_sign()  # the first responsible is of another unit
        with self.assertComplaintRefused(matter, AccessError):
            matter.with_user(self.staff_b1).action_sign()
        with self.assertLogged(
            matter,
            expect_log(
                "sign",
                self.staff_a2,
                to_user=self.staff_a2,
                state_from="assigned",
                state_to="in_progress",
            ),
        ):
            staff_view.action_sign()
        self.assertEqual(matter.handler_id, self.staff_a2)
        staff_view.submit_reply(REPLY)
        self.assertEqual(matter.state, "review")

    def test_the_complainant_is_told_before_the_callback_and_the_close(self):
        matter = self.in_feedback()
        for action in (
            lambda: matter.record_callback("satisfied"),
            matter.action_close,
            lambda: matter.tell_complainant("pigeon"),
            lambda: matter.tell_complainant(
                "phone", told_date=fields.Datetime.now() + timedelta(hours=1)
            ),
            lambda: matter.tell_complainant(
                "phone", told_date=matter.registered_date - timedelta(hours=1)
            ),
            # the first responsible tells, not the handler
            lambda: matter.with_user(self.staff_a1b).tell_complainant("phone"),
        ):
            with self.subTest(action=action), self.assertComplaintRefused(matter):
                action()
        self.assertFalse(matter.told_date)

    def test_callback_needs_an_outcome_and_the_first_responsible(self):
        matter = self.in_callback()
        with self.assertComplaintRefused(matter):
            matter.record_callback("happy")
        with self.assertComplaintRefused(matter):
            matter.with_user(self.staff_a1b).record_callback("satisfied")
        # a supervisor of the unit may record it too
        matter.with_user(self.sup_a1).record_callback("satisfied")
        self.assertEqual(matter.state, "closed")

    def test_a_substantiated_complaint_closes_only_after_its_rectification(self):
        matter = self.in_callback()
        matter.write({"substantiation": "substantiated"})
        with self.assertComplaintRefused(matter):
            matter.record_callback("satisfied")
        rectification = {
            "root_cause": "process",
            "rectification_measure": "理赔时效纳入周例会督办",
            "rectification_owner_id": self.sup_a1.id,
            "rectification_due": "2025-12-31",
        }
        matter.write(rectification)
        with self.assertComplaintRefused(matter):
            matter.record_callback("satisfied")  # not done yet
        # the last unreachable callback would close it: refused as well
        matter.record_callback("unreachable")
        matter.record_callback("unreachable")
        with self.assertComplaintRefused(matter):
            matter.record_callback("unreachable")
        matter.write({"rectification_done": True})
        matter.record_callback("satisfied")
        self.assertEqual(matter.state, "closed")

    def test_a_partly_substantiated_complaint_needs_the_rectification_too(self):
        matter = self.in_callback()
        matter.write({"substantiation": "partly", "root_cause": "service"})
        with self.assertComplaintRefused(matter):
            matter.record_callback("satisfied")
        matter.write({"substantiation": "unsubstantiated"})
        matter.record_callback("satisfied")
        self.assertEqual(matter.state, "closed")

    def test_three_unreachable_callbacks_close_it(self):
        matter = self.in_callback()
        for attempt in (1, 2):
            with self.assertLogged(
                matter,
                expect_log(
                    "callback",
                    self.staff_a1,
                    to_user=self.staff_a1,
                    state_to="callback",
                    reason="无人接听",
                ),
            ):
                matter.record_callback("unreachable", note="无人接听")
            self.assertEqual(matter.state, "callback")
            self.assertEqual(matter.callback_attempts, attempt)
        with self.assertLogged(
            matter,
            expect_log(
                "callback",
                self.staff_a1,
                to_user=self.staff_a1,
                state_to="callback",
                reason="unreachable",
            ),
            expect_log(
                "close",
                self.staff_a1,
                to_user=self.staff_a1,
                state_from="callback",
                state_to="closed",
            ),
        ):
            matter.record_callback("unreachable")
        self.assertRecordValues(
            matter,
            [
                {
                    "state": "closed",
                    "callback_attempts": 3,
                    "callback_outcome": "unreachable",
                    "reopen_count": 0,
                }
            ],
        )
        with self.assertComplaintRefused(matter):
            matter.record_callback("satisfied")

    def test_the_number_of_callback_attempts_is_configurable(self):
        self.env["ir.config_parameter"].set_param(
            "shouwen_responsibility.callback_attempts", "2"
        )
        matter = self.in_callback()
        matter.record_callback("unreachable")
        self.assertEqual(matter.state, "callback")
        matter.record_callback("unreachable")
        self.assertEqual(matter.state, "closed")

    def test_not_satisfied_reopens_and_a_new_round_restarts_the_clock(self):
        with freeze_time(shanghai(2025, 9, 1, 10, 0)):
            matter = self.in_callback()
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 16, 23, 59, 59))
            response_deadline = matter.response_deadline
        with freeze_time(shanghai(2025, 9, 10, 15, 0)):
            with self.assertLogged(
                matter,
                expect_log(
                    "callback",
                    self.staff_a1,
                    to_user=self.staff_a1,
                    state_to="callback",
                    reason="客户认为赔付金额不足",
                ),
                expect_log(
                    "reopen",
                    self.staff_a1,
                    to_user=self.staff_a1b,
                    state_from="callback",
                    state_to="reopened",
                    reason="客户认为赔付金额不足",
                ),
            ):
                matter.record_callback("not_satisfied", note="客户认为赔付金额不足")
            self.assertRecordValues(
                matter,
                [
                    {
                        "state": "reopened",
                        "is_open": True,
                        "reopen_count": 1,
                        "handler_id": self.staff_a1b.id,
                        "first_responsible_id": self.staff_a1.id,
                        "told_method": False,
                        "told_date": False,
                        "callback_attempts": 0,
                        "callback_outcome": "not_satisfied",
                        # a new round: 15 calendar days from the reopening
                        "clock_start": shanghai(2025, 9, 10, 15, 0),
                        "closure_deadline": shanghai(2025, 9, 25, 23, 59, 59),
                        "response_deadline": response_deadline,
                        "is_overdue": False,
                    }
                ],
            )
            self.assertTrue(matter.next_followup_date)
            self.assertTrue(self.activities(matter, "todo", self.staff_a1b))
        with freeze_time(shanghai(2025, 9, 12, 10, 0)):
            handler_view = matter.with_user(self.staff_a1b)
            self.assertIn("submit_reply", handler_view.available_actions)
            handler_view.submit_reply(REPLY + "，补付差额")
            matter.with_user(self.sup_a1).review_accept()
            matter.tell_complainant("phone")
            matter.record_callback("satisfied")
        self.assertEqual(matter.state, "closed")
        self.assertEqual(matter.reopen_count, 1)
        self.assertEqual(
            self.log_actions(matter)[-7:],
            [
                "callback",
                "reopen",
                "submit_reply",
                "review_accept",
                "tell_complainant",
                "callback",
                "close",
            ],
        )

    def test_withdrawal_ends_the_complaint_on_its_date_and_stops_the_follow_up(self):
        with freeze_time(shanghai(2025, 9, 1, 10, 0)):
            matter = self.signed()
            self.assertTrue(matter.next_followup_date)
        with freeze_time(shanghai(2025, 9, 4, 9, 0)):
            matter.env.invalidate_all()
            before = matter.sudo().log_ids
            matter.withdraw("客户来电撤回投诉，已自行与查勘员协商", date="2025-09-03")
            self.assertRecordValues(
                matter,
                [
                    {
                        "state": "withdrawn",
                        "is_open": False,
                        "withdrawal_date": fields.Date.to_date("2025-09-03"),
                        "withdrawal_note": "客户来电撤回投诉，已自行与查勘员协商",
                        "next_followup_date": False,
                        "first_reminder_date": False,
                        "next_escalation_date": False,
                    }
                ],
            )
            self.assertTrue(matter.closed_date)
            self.assertFalse(matter.activity_ids)
            matter.env.invalidate_all()
            self.assertRecordValues(
                matter.sudo().log_ids - before,
                [
                    {
                        "action": "withdraw",
                        "user_id": self.staff_a1.id,
                        "to_user_id": self.staff_a1.id,
                        "state_from": "in_progress",
                        "state_to": "withdrawn",
                    }
                ],
            )
            # the follow-up sweep has nothing left to do with it
            self.sweep()
            self.assertFalse(matter.is_overdue)
            for action in (
                lambda: matter.withdraw("再次撤回"),
                lambda: matter.with_user(self.staff_a1b).submit_reply(REPLY),
                lambda: matter.record_callback("satisfied"),
            ):
                with self.subTest(action=action), self.assertComplaintRefused(matter):
                    action()

    def test_withdrawal_needs_a_note_a_past_date_and_the_responsible(self):
        matter = self.proposed()
        today = fields.Date.context_today(matter)
        for user, note, date in (
            (self.staff_a1, " ", None),
            (self.staff_a1, "客户撤回", today + timedelta(days=1)),
            (self.staff_a1b, "客户撤回", None),  # the proposed handler
        ):
            with self.subTest(user=user.login, note=note, date=date):
                with self.assertComplaintRefused(matter):
                    matter.with_user(user).withdraw(note, date=date)

    def test_withdrawal_while_the_assignment_waits_for_approval(self):
        matter = self.proposed()
        matter.withdraw("客户撤回投诉")
        self.assertEqual(matter.state, "withdrawn")
        self.assertEqual(matter.withdrawal_date, fields.Date.context_today(matter))
        self.assertFalse(self.activities(matter, "approval"))
        with self.assertComplaintRefused(matter):
            matter.with_user(self.sup_a1).validate_tier()

    def test_a_supervisor_of_the_unit_records_a_withdrawal(self):
        matter = self.complaint()
        with self.assertComplaintRefused(matter, AccessError):
            matter.with_user(self.sup_city_b).withdraw("越权撤回")
        matter.with_user(self.sup_a1).withdraw("客户到柜面撤回投诉")
        self.assertEqual(matter.state, "withdrawn")

    def representatives(self, number):
        return [
            Command.create({"name": f"代表{n}", "phone": f"1880000{n:04d}"})
            for n in range(1, number + 1)
        ]

    def test_a_group_complaint_has_at_most_five_representatives(self):
        matter = self.complaint(representative_ids=self.representatives(5))
        self.assertEqual(len(matter.representative_ids), 5)
        with self.assertRaises(ValidationError):
            self.complaint(representative_ids=self.representatives(6))
        with self.assertRaises(ValidationError):
            matter.write({"representative_ids": [Command.create({"name": "代表6"})]})
        with self.assertRaises(ValidationError):
            self.env["shouwen.complaint.representative"].with_user(
                self.staff_a1
            ).create({"matter_id": matter.id, "name": "代表6"})
        self.assertEqual(len(matter.representative_ids), 5)

    @freeze_time(shanghai(2025, 6, 2, 10, 0))
    def test_a_repeat_complaint_is_found_by_phone_id_contact_or_policy(self):
        partner = self.env["res.partner"].create({"name": "投诉人（重复测试）"})
        earlier = {}
        with freeze_time(shanghai(2025, 4, 1, 10, 0)):
            for key, values in (
                ("phone", {"customer_phone": "17711110001"}),
                ("id_number", {"customer_id_number": id_number(901)}),
                ("partner", {"partner_id": partner.id}),
                ("policy", {"policy_number": "SWCT-POLICY-0001"}),
            ):
                earlier[key] = self.complaint(**values)
            # only complaints count
            consultation = self.register(
                self.staff_a1, customer_phone="17711110002", customer_id_number=False
            )
        for key, values in (
            ("phone", {"customer_phone": "177-1111-0001"}),
            ("id_number", {"customer_id_number": id_number(901)}),
            ("partner", {"partner_id": partner.id}),
            ("policy", {"policy_number": "SWCT-POLICY-0001"}),
        ):
            with self.subTest(key=key):
                matter = self.complaint(**values)
                self.assertTrue(matter.is_repeat)
                self.assertEqual(matter.sudo().repeat_of_ids, earlier[key])
                self.assertFalse(earlier[key].is_repeat)
                self.assertTrue(
                    matter.message_ids.filtered(
                        lambda m, name=earlier[key].name: name in (m.body or "")
                    )
                )
        fresh = self.complaint(customer_phone="17711110002")
        self.assertFalse(fresh.is_repeat, consultation.name)
        self.assertFalse(fresh.repeat_of_ids)

    def test_the_registrar_is_warned_while_typing_a_phone_that_complained(self):
        """Typing the phone of a new matter names the earlier complaints from
        it that the registrar may read in clear — and only those: a number
        that complained in another unit, or long ago, says nothing."""
        with freeze_time(shanghai(2025, 5, 1, 10, 0)):
            earlier = self.complaint(customer_phone="17711110031")
            elsewhere = self.complaint(self.staff_b1, customer_phone="17711110032")
        Matter = self.env["shouwen.matter"]
        later = shanghai(2025, 5, 20, 10, 0)

        def warning(user, phone, when=later):
            with freeze_time(when):
                new = Matter.with_user(user).new({"customer_phone": phone})
                result = new._onchange_customer_phone_warn_repeat()
            return result and result["warning"]["message"]

        self.assertIn(earlier.name, warning(self.staff_a1, "177-1111-0031"))
        # a complaint the registrar may not read is no oracle
        self.assertFalse(warning(self.staff_a1, "17711110032"))
        self.assertIn(elsewhere.name, warning(self.staff_b1, "17711110032"))
        # outside the window, or a number that never complained
        self.assertFalse(
            warning(self.staff_a1, "17711110031", when=shanghai(2026, 5, 1, 10, 0))
        )
        self.assertFalse(warning(self.staff_a1, "17711110039"))
        # editing an existing matter's phone does not warn
        with freeze_time(later):
            self.assertIsNone(
                earlier.with_user(self.staff_a1)._onchange_customer_phone_warn_repeat()
            )

    def test_a_repeat_complaint_is_found_whoever_registered_the_earlier_one(self):
        with freeze_time(shanghai(2025, 5, 1, 10, 0)):
            earlier = self.complaint(self.staff_b1, customer_phone="17711110003")
        with freeze_time(shanghai(2025, 5, 20, 10, 0)):
            matter = self.complaint(customer_phone="17711110003")
        self.assertTrue(matter.is_repeat)
        self.assertEqual(matter.sudo().repeat_of_ids, earlier)
        # the link is written; the earlier complaint stays out of sight
        self.assertEqual(
            self.env["shouwen.matter"]
            .with_user(self.staff_a1)
            .search([("id", "=", earlier.id)]),
            self.env["shouwen.matter"],
        )

    def test_repeats_within_one_batch_are_found_as_one_by_one(self):
        """Complaints registered together (a batch create, e.g. imported) are
        each compared with every other complaint, the batch's own included,
        and only on their own keys."""
        with freeze_time(shanghai(2025, 5, 1, 10, 0)):
            earlier = self.complaint(customer_phone="17711110004")
            other = self.complaint(policy_number="SWCT-POLICY-0004")
        with freeze_time(shanghai(2025, 5, 20, 10, 0)):
            values = {
                "subject": "投诉理赔拖延",
                "description": "批量登记的投诉",
                "kind": "complaint",
                "business_domain": "complaint",
                "channel": "phone",
                "customer_id_number": False,
            }
            batch = (
                self.env["shouwen.matter"]
                .with_user(self.staff_a1)
                .create(
                    [
                        self._matter_values(**values, customer_phone="17711110004"),
                        self._matter_values(
                            **values,
                            customer_phone="17711110005",
                            policy_number="SWCT-POLICY-0004",
                        ),
                        self._matter_values(**values, customer_phone="17711110005"),
                        self._matter_values(**values, customer_phone="17711110006"),
                    ]
                )
            )
        self.assertEqual(batch.mapped("is_repeat"), [True, True, True, False])
        repeat_of = [matter.sudo().repeat_of_ids for matter in batch]
        self.assertEqual(repeat_of[0], earlier)
        self.assertEqual(repeat_of[1], other | batch[2])
        self.assertEqual(repeat_of[2], batch[1])
        self.assertFalse(repeat_of[3])
        self.assertFalse(earlier.is_repeat or other.is_repeat)

    def test_the_repeat_window_is_a_parameter(self):
        param = "shouwen_responsibility.repeat_window_days"
        for serial, window, days_later, repeat in (
            (11, None, 89, True),
            (12, None, 91, False),  # outside the 90 days by default
            (13, "30", 40, False),
            (14, "120", 100, True),
        ):
            with self.subTest(window=window, days_later=days_later):
                self.env["ir.config_parameter"].set_param(param, window or False)
                phone = f"177222200{serial}"
                start = shanghai(2025, 1, 6, 10, 0)
                with freeze_time(start):
                    earlier = self.complaint(customer_phone=phone)
                with freeze_time(start + timedelta(days=days_later)):
                    matter = self.complaint(customer_phone=phone)
                self.assertEqual(matter.is_repeat, repeat)
                self.assertEqual(
                    matter.sudo().repeat_of_ids, earlier if repeat else earlier.browse()
                )


@tagged("post_install", "-at_install")
class TestComplaintApproval(ComplaintCase):
    """The approval cannot be forged: its reviews are written by the matter's
    own actions only; who reads and follows a complaint."""

    def test_users_cannot_write_create_or_delete_the_reviews_of_a_matter(self):
        matter = self.proposed()
        review = self.reviews(matter)
        for user in (self.staff_a1, self.sup_a1, self.sup_province, self.manager):
            Review = self.env["tier.review"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertComplaintRefused(matter, AccessError):
                    Review.browse(review.id).write(
                        {"status": "approved", "done_by": user.id}
                    )
                with self.assertComplaintRefused(matter, AccessError):
                    Review.browse(review.id).unlink()
                with self.assertComplaintRefused(matter, AccessError):
                    Review.create(
                        {
                            "model": "shouwen.matter",
                            "res_id": matter.id,
                            "definition_id": review.definition_id.id,
                            "requested_by": user.id,
                            "sequence": 2,
                            "status": "approved",
                            "done_by": user.id,
                        }
                    )

    def test_users_cannot_add_reviews_through_the_matter(self):
        matter = self.complaint()
        definition = self.env.ref(
            "shouwen_responsibility.tier_definition_complaint_assignment"
        )
        with self.assertComplaintRefused(matter, AccessError):
            matter.write(
                {
                    "review_ids": [
                        Command.create(
                            {
                                "model": "shouwen.matter",
                                "definition_id": definition.id,
                                "status": "approved",
                            }
                        )
                    ]
                }
            )

    def test_the_approval_is_requested_and_restarted_by_proposing_only(self):
        matter = self.proposed()
        for user in (self.staff_a1, self.sup_a1):
            view = matter.with_user(user)
            with self.subTest(user=user.login):
                with self.assertComplaintRefused(matter):
                    view.request_validation()
                with self.assertComplaintRefused(matter):
                    view.restart_validation()
        registered = self.complaint()
        with self.assertComplaintRefused(registered):
            registered.request_validation()
        self.assertFalse(self.reviews(registered))

    def test_only_an_approver_approves_or_rejects(self):
        matter = self.proposed(self.staff_a1b)
        # the requester, the proposed handler and supervisors without a review
        for user in (self.staff_a1, self.staff_a1b, self.sup_city_a, self.sup_province):
            with self.subTest(user=user.login):
                with self.assertComplaintRefused(matter):
                    matter.with_user(user).validate_tier()
                with self.assertComplaintRefused(matter):
                    matter.with_user(user).reject_tier("不同意")
        with self.assertComplaintRefused(matter, AccessError):
            matter.with_user(self.staff_b1).validate_tier()
        matter.with_user(self.sup_a1).validate_tier()
        with self.assertComplaintRefused(matter):
            matter.with_user(self.sup_a1).validate_tier()  # nothing left to approve

    def test_the_comment_dialog_of_tier_validation_cannot_approve(self):
        matter = self.proposed()
        review = self.reviews(matter)
        for user in (self.staff_a1, self.sup_a1):
            with self.subTest(user=user.login):
                wizard = (
                    self.env["comment.wizard"]
                    .with_user(user)
                    .create(
                        {
                            "res_model": "shouwen.matter",
                            "res_id": matter.id,
                            "review_ids": [Command.set(review.ids)],
                            "validate_reject": "validate",
                            "comment": "同意",
                        }
                    )
                )
                with self.assertComplaintRefused(matter, AccessError):
                    wizard.add_comment()

    def test_a_second_tier_needs_both_approvals(self):
        self.env["tier.definition"].create(
            {
                "name": "Complaint assignment: provincial customer service",
                "model_id": self.matter_model.id,
                "review_type": "individual",
                "reviewer_id": self.sup_province.id,
                "sequence": 20,
            }
        )
        for first, second in (
            (self.sup_a1, self.sup_province),
            (self.sup_province, self.sup_a1),
        ):
            with self.subTest(first=first.login, second=second.login):
                matter = self.proposed(self.staff_a1b)
                reviews = self.reviews(matter)
                self.assertEqual(len(reviews), 2)
                self.assertEqual(reviews.reviewer_ids, self.sup_a1 | self.sup_province)
                self.assertTrue(matter.with_user(first).can_review)
                matter.with_user(first).validate_tier()
                matter.env.invalidate_all()
                self.assertEqual(matter.state, "approval")
                self.assertEqual(matter.sudo().validation_status, "pending")
                mine = reviews.filtered(lambda r, user=first: user in r.reviewer_ids)
                self.assertEqual(mine.status, "approved", "the first approval counts")
                self.assertEqual(mine.done_by, first)
                self.assertNotIn("approval_granted", self.log_actions(matter))
                with self.assertComplaintRefused(matter):
                    matter.with_user(first).validate_tier()
                with self.assertComplaintRefused(matter):
                    matter.with_user(self.staff_a1b).action_sign()
                matter.with_user(second).validate_tier()
                matter.env.invalidate_all()
                self.assertEqual(matter.state, "assigned")
                self.assertEqual(matter.sudo().validation_status, "validated")
                self.assertEqual(matter.assignment_approved_by_id, second)
                self.assertEqual(self.log_actions(matter).count("approval_granted"), 1)

    def test_the_dialogs_walk_a_complaint_through_its_path(self):
        def confirm(user, matter, action, **values):
            wizard = (
                self.env["shouwen.matter.wizard"]
                .with_user(user)
                .create({"matter_id": matter.id, "action": action, **values})
            )
            return wizard.action_confirm()

        matter = self.complaint()
        with self.assertComplaintRefused(matter):
            confirm(self.staff_a1, matter, "propose_assignment", text="无人")
        confirm(
            self.staff_a1,
            matter,
            "propose_assignment",
            user_id=self.staff_a1b.id,
            text=NOTE,
        )
        self.assertEqual(matter.state, "approval")
        confirm(self.sup_a1, matter, "reject_assignment", text="人手不足")
        self.assertEqual(matter.state, "returned")
        confirm(self.staff_a1, matter, "propose_assignment", unit_id=self.county_a2.id)
        self.assertEqual(matter.assign_unit_id, self.county_a2)
        matter.with_user(self.sup_city_a).validate_tier()
        matter.with_user(self.sup_a2).action_sign()
        confirm(self.sup_a2, matter, "submit_reply", text=REPLY)
        confirm(self.sup_city_a, matter, "review_send_back", text="补充金额")
        confirm(self.sup_a2, matter, "submit_reply", text=REPLY + "，一万元")
        confirm(self.sup_city_a, matter, "review_accept", text="同意")
        confirm(
            self.staff_a1,
            matter,
            "tell_complainant",
            told_method="sms",
            text="短信告知",
        )
        self.assertEqual(matter.told_method, "sms")
        confirm(self.staff_a1, matter, "callback", callback_outcome="satisfied")
        self.assertEqual(matter.state, "closed")
        other = self.complaint()
        confirm(
            self.staff_a1,
            other,
            "withdraw",
            text="客户撤回",
            withdrawal_date=fields.Date.context_today(other),
        )
        self.assertEqual(other.state, "withdrawn")

    def test_an_inspector_reads_complaints_and_their_log_but_cannot_act(self):
        matter = self.signed()
        inspector_view = matter.with_user(self.inspector)
        self.assertEqual(inspector_view.state, "in_progress")
        self.assertEqual(inspector_view.assignment_approved_by_id, self.sup_a1)
        self.assertIn("approval_granted", inspector_view.log_ids.mapped("action"))
        self.assertFalse(inspector_view.available_actions)
        with self.assertComplaintRefused(matter, AccessError):
            inspector_view.write({"substantiation": "unsubstantiated"})
        for action in (
            lambda: inspector_view.submit_reply(REPLY),
            lambda: inspector_view.withdraw("监督撤回"),
        ):
            with self.subTest(action=action), self.assertComplaintRefused(matter):
                action()
        proposed = self.proposed().with_user(self.inspector)
        with self.assertComplaintRefused(proposed):
            proposed.validate_tier()
        with self.assertComplaintRefused(proposed, AccessError):
            self.env["tier.review"].with_user(self.inspector).browse(
                self.reviews(proposed).ids
            ).write({"status": "approved"})

    def test_supervisors_see_the_complaints_of_their_scope(self):
        matter = self.proposed(self.staff_b1)
        self.assertEqual(self.approvers(matter), self.sup_province)
        for user, readable in (
            (self.sup_a1, True),
            (self.sup_city_a, True),
            (self.sup_province, True),
            (self.staff_b1, True),  # the proposed handler
            (self.sup_a2, False),
            (self.sup_city_b, False),
            (self.staff_a2, False),
        ):
            with self.subTest(user=user.login):
                found = (
                    self.env["shouwen.matter"]
                    .with_user(user)
                    .search([("id", "=", matter.id)])
                )
                self.assertEqual(bool(found), readable)
        # the approver sees the review; the other supervisors do not
        Review = self.env["tier.review"]
        domain = [("model", "=", "shouwen.matter"), ("res_id", "=", matter.id)]
        self.assertTrue(Review.with_user(self.sup_province).search(domain))
        self.assertTrue(Review.with_user(self.staff_a1).search(domain))
        self.assertFalse(Review.with_user(self.sup_city_a).search(domain))
        # the "waiting for my approval" filter of the approver
        self.assertIn(
            matter,
            self.env["shouwen.matter"]
            .with_user(self.sup_province)
            .search([("can_review", "=", True)]),
        )
        self.assertNotIn(
            matter,
            self.env["shouwen.matter"]
            .with_user(self.sup_city_a)
            .search([("can_review", "=", True)]),
        )

    def test_a_supervisor_outside_the_approval_still_follows_the_complaint(self):
        matter = self.in_callback(handler=self.staff_b1)
        self.assertEqual(self.approvers(matter), self.sup_province)
        supervisor_view = matter.with_user(self.sup_city_a)
        self.assertIn("callback", supervisor_view.available_actions)
        self.assertNotIn("review_accept", supervisor_view.available_actions)
        supervisor_view.record_callback("satisfied", note="市公司回访")
        self.assertEqual(matter.state, "closed")
