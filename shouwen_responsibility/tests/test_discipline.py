# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Work-order discipline: sign-for (签收) of every handover with its clock and
its alerts, disputed returns (退单审定), urging (催办) and supervision one
level up after rework (提级督办).

The dates are read on a Shanghai clock in the week of Monday 3 November 2025,
an ordinary working week (9:00–12:00, 13:30–17:30).  A business matter has a
response limit of one working day (signing for it is due by the end of the
next working day) and a closure limit of three working days."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ShouwenClockCase, expect_log, shanghai
from .test_complaints import ComplaintCase

BUSINESS = {"kind": "business", "business_domain": "underwriting"}
MONDAY_10 = shanghai(2025, 11, 3, 10, 0)


class DisciplineCase(ShouwenClockCase):
    def business(self, user=None, **values):
        return self.register(user or self.staff_a1, **{**BUSINESS, **values})

    def guided_business(self, target, guide=None):
        matter = self.business(guide)
        matter.guide(target, note="请协助办理")
        return matter

    @staticmethod
    def handovers(matter):
        matter = matter.sudo()
        matter.invalidate_recordset(["handover_ids"])
        return matter.handover_ids.sorted("id")

    def set_param(self, key, value):
        self.env["ir.config_parameter"].sudo().set_param(
            f"shouwen_responsibility.{key}", value
        )


@tagged("post_install", "-at_install")
class TestSignFor(DisciplineCase):
    def test_signing_starts_the_handlers_own_clock_not_the_matters(self):
        with freeze_time(MONDAY_10):
            matter = self.guided_business(self.staff_a2)
        closure = matter.sudo().closure_deadline
        self.assertEqual(closure, shanghai(2025, 11, 6, 17, 30))
        handover = self.handovers(matter)
        self.assertRecordValues(
            handover,
            [
                {
                    "kind": "guide",
                    "state": "pending",
                    "from_user_id": self.staff_a1.id,
                    "user_id": self.staff_a2.id,
                    "unit_id": self.county_a2.id,
                    "sign_deadline": shanghai(2025, 11, 4, 17, 30),
                }
            ],
        )
        with freeze_time(shanghai(2025, 11, 4, 10, 0)):
            matter.with_user(self.staff_a2).action_accept()
        # Monday 10–12 and 13:30–17:30, Tuesday 9–10: seven working hours
        self.assertRecordValues(
            handover,
            [
                {
                    "state": "signed",
                    "signed_date": shanghai(2025, 11, 4, 10, 0),
                    "sign_hours": 7.0,
                    "signed_count": 1,
                    "on_time_count": 1,
                    "own_deadline": shanghai(2025, 11, 7, 17, 30),
                }
            ],
        )
        self.assertEqual(matter.sudo().closure_deadline, closure)

    def test_a_late_signature_is_counted_late(self):
        with freeze_time(MONDAY_10):
            matter = self.guided_business(self.staff_a2)
        with freeze_time(shanghai(2025, 11, 5, 10, 0)):
            matter.with_user(self.staff_a2).action_accept()
        self.assertRecordValues(
            self.handovers(matter), [{"on_time_count": 0, "sign_hours": 14.0}]
        )

    def test_not_signed_in_time_reminds_then_alerts_dispatcher_and_supervisor(self):
        with freeze_time(MONDAY_10):
            matter = self.guided_business(self.staff_a2)
        # the guidance asked them to accept or return it
        self.assertEqual(len(self.activities(matter, "accept", self.staff_a2)), 1)
        with freeze_time(shanghai(2025, 11, 4, 17, 0)):
            self.sweep()
        self.assertEqual(len(self.activities(matter, "accept", self.staff_a2)), 1)
        with freeze_time(shanghai(2025, 11, 5, 9, 0)):
            self.sweep()
            self.sweep()
        # the deadline passed: reminded once to sign for it, in the to-do they
        # already have (one to-do per person and step; the reminder's time is
        # the handover's reminded_date, checked below)
        self.assertEqual(len(self.activities(matter, "accept", self.staff_a2)), 1)
        self.assertFalse(self.activities(matter, "escalation"))
        # two working hours after the deadline: the dispatcher and the
        # supervisor of the recipient's unit are alerted, once
        with freeze_time(shanghai(2025, 11, 5, 11, 30)):
            self.sweep()
            self.sweep()
        alerts = self.activities(matter, "escalation")
        self.assertEqual(alerts.user_id, self.staff_a1 | self.sup_a2)
        self.assertEqual(len(alerts), 2)
        self.assertEqual(len(self.log_lines(matter, "sign_alert")), 1)
        self.assertRecordValues(
            self.handovers(matter),
            [
                {
                    "reminded_date": shanghai(2025, 11, 5, 9, 0),
                    "alerted_date": shanghai(2025, 11, 5, 11, 30),
                    "next_check_date": False,
                }
            ],
        )

    def test_a_signed_handover_is_never_reminded(self):
        with freeze_time(MONDAY_10):
            matter = self.guided_business(self.staff_a2)
            matter.with_user(self.staff_a2).action_accept()
        with freeze_time(shanghai(2025, 11, 5, 12, 0)):
            self.sweep()
        self.assertFalse(self.log_lines(matter, "sign_alert"))
        self.assertFalse(self.handovers(matter).reminded_date)

    def test_a_part_is_signed_by_its_assignee_only(self):
        matter, part = self.coordinating(self.staff_a1, self.staff_a2, **BUSINESS)
        handover = self.handovers(matter)
        self.assertRecordValues(
            handover, [{"kind": "part", "part_id": part.id, "state": "pending"}]
        )
        with self.assertRaises(UserError):
            part.with_user(self.staff_a1).action_sign()
        with self.assertRaises(UserError):
            matter.with_user(self.staff_a1).action_sign_part()
        self.assertIn(
            "sign_part",
            matter.with_user(self.staff_a2).sudo(False).available_actions,
        )
        matter.with_user(self.staff_a2).action_sign_part()
        self.assertEqual(handover.state, "signed")
        self.assertTrue(part.sudo().signed_date)
        with self.assertRaises(UserError):
            part.with_user(self.staff_a2).action_sign()

    def test_finishing_a_part_not_signed_for_signs_it(self):
        matter, part = self.coordinating(self.staff_a1, self.staff_a2, **BUSINESS)
        part = part.with_user(self.staff_a2)
        part.write({"result": "保单信息已核对"})
        part.action_done()
        self.assertRecordValues(self.handovers(matter), [{"state": "signed"}])

    def test_a_cancelled_part_cancels_its_handover(self):
        matter, part = self.coordinating(self.staff_a1, self.staff_a2, **BUSINESS)
        part.cancel("客户已自行补充")
        self.assertRecordValues(self.handovers(matter), [{"state": "cancelled"}])

    def test_handovers_cannot_be_written_created_or_deleted_by_users(self):
        matter = self.guided_business(self.staff_a2)
        handover = self.handovers(matter).with_user(self.sup_province)
        with self.assertRaises(UserError):
            handover.write({"state": "signed"})
        with self.assertRaises(UserError):
            handover.unlink()
        with self.assertRaises(UserError):
            self.env["shouwen.handover"].with_user(self.sup_province).create(
                {
                    "matter_id": matter.id,
                    "kind": "guide",
                    "from_user_id": self.staff_a1.id,
                }
            )


@tagged("post_install", "-at_install")
class TestSignFigures(DisciplineCase):
    """Sign-for and return figures on a set computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        staff_a2, staff_b1 = cls.staff_a2, cls.staff_b1
        with freeze_time(MONDAY_10):
            matters = [
                cls.register(cls.staff_a1, **BUSINESS, subject=f"业务{i}")
                for i in range(4)
            ]
            for matter, target in zip(
                matters, (staff_a2, staff_a2, staff_a2, staff_b1), strict=True
            ):
                matter.guide(target, note="请协助办理")
        cls.matters = matters
        # staff A2: signed in 1 h, signed late after 14 h, returned one
        with freeze_time(shanghai(2025, 11, 3, 11, 0)):
            matters[0].with_user(staff_a2).action_accept()
        with freeze_time(shanghai(2025, 11, 5, 10, 0)):
            matters[1].with_user(staff_a2).action_accept()
        with freeze_time(shanghai(2025, 11, 3, 14, 0)):
            matters[2].with_user(staff_a2).return_guide(
                "不属于本岗位职责", category="not_our_remit"
            )
        # staff B1: signed in 3.5 h (10–12, 13:30–15:00)
        with freeze_time(shanghai(2025, 11, 3, 15, 0)):
            matters[3].with_user(staff_b1).action_accept()

    def figures(self, user, groupby):
        ids = [matter.id for matter in self.matters]
        return (
            self.env["shouwen.handover"]
            .with_user(user)
            ._sign_figures([("matter_id", "in", ids)], groupby)
        )

    def test_figures_per_person(self):
        figures = self.figures(self.sup_province, "user_id")
        self.assertEqual(
            figures[self.staff_a2],
            {
                "received": 3,
                # the returned one is not due for signing
                "due": 2,
                "signed": 2,
                "on_time": 1,
                "returned": 1,
                "unjustified": 0,
                # 签收率: 1 signed in time ÷ 2 due (one signed late)
                "sign_rate": 50.0,
                # 退单率: 1 returned ÷ 3 made
                "return_rate": 33.3,
                # (1 + 14) / 2
                "avg_sign_hours": 7.5,
            },
        )
        self.assertEqual(
            figures[self.staff_b1],
            {
                "received": 1,
                "due": 1,
                "signed": 1,
                "on_time": 1,
                "returned": 0,
                "unjustified": 0,
                "sign_rate": 100.0,
                "return_rate": 0.0,
                "avg_sign_hours": 3.5,
            },
        )

    def test_figures_per_unit_follow_the_supervisors_scope(self):
        figures = self.figures(self.sup_province, "unit_id")
        self.assertEqual(set(figures), {self.county_a2, self.county_b1})
        self.assertEqual(figures[self.county_a2]["received"], 3)
        # a city supervisor sees the handovers of their city's staff and
        # matters only; a unit supervisor those of their unit
        self.assertEqual(
            set(self.figures(self.sup_city_b, "unit_id")), {self.county_b1}
        )
        self.assertEqual(set(self.figures(self.sup_a2, "user_id")), {self.staff_a2})

    def test_a_handover_not_signed_in_time_counts_against_the_sign_for_rate(self):
        with freeze_time(MONDAY_10):
            unsigned = self.register(self.staff_a1, **BUSINESS, subject="未签收")
            unsigned.guide(self.staff_b1, note="请协助办理")
        deadline = self.handovers(unsigned).sign_deadline
        self.matters = [*self.matters, unsigned]
        # before its limit it is not due yet: B1 1 in time ÷ 1 due
        with freeze_time(MONDAY_10):
            before = self.figures(self.sup_province, "unit_id")[self.county_b1]
        self.assertEqual((before["received"], before["due"]), (2, 1))
        self.assertEqual(before["sign_rate"], 100.0)
        # past its limit, still unsigned: 1 in time ÷ 2 due
        with freeze_time(deadline + timedelta(minutes=1)):
            after = self.figures(self.sup_province, "unit_id")[self.county_b1]
        self.assertEqual((after["received"], after["due"]), (2, 2))
        self.assertEqual(after["sign_rate"], 50.0)
        # 退单率: nothing returned ÷ 2 made
        self.assertEqual(after["return_rate"], 0.0)

    def test_a_sign_for_row_is_visible_exactly_when_its_handover_is(self):
        for user in (
            self.sup_province,
            self.sup_city_a,
            self.sup_city_b,
            self.sup_a2,
            self.staff_a2,
            self.inspector,
            self.outsider,
        ):
            with self.subTest(user=user.name):
                handovers = (
                    self.env["shouwen.handover"]
                    .with_user(user)
                    .search([("state", "!=", "cancelled")])
                )
                rows = self.env["shouwen.handover.report"].with_user(user).search([])
                self.assertEqual(rows.handover_id, handovers)

    def test_an_unjustified_return_is_counted(self):
        matter = self.matters[2]
        matter.dispute_return("属于本岗位职责范围")
        matter.with_user(self.sup_city_a).decide_return(
            False, self.staff_a2, "属于支公司理赔岗职责"
        )
        figures = self.figures(self.sup_province, "user_id")[self.staff_a2]
        self.assertEqual(figures["unjustified"], 1)
        # the decision is a new handover, waiting for the signature
        self.assertEqual(figures["received"], 4)


@tagged("post_install", "-at_install")
class TestDisputedReturns(DisciplineCase):
    def returned(self, target=None, guide=None, category="not_our_remit"):
        target = target or self.staff_a2
        matter = self.guided_business(target, guide)
        matter.with_user(target).return_guide("不属于本岗位职责", category=category)
        return matter

    def test_a_return_carries_a_category(self):
        matter = self.guided_business(self.staff_a2)
        with self.assertRefused(matter):
            matter.with_user(self.staff_a2).return_guide("不属于本岗位", category="x")
        matter.with_user(self.staff_a2).return_guide(
            "缺少保单号", category="missing_information"
        )
        self.assertRecordValues(
            self.handovers(matter),
            [
                {
                    "state": "returned",
                    "return_category": "missing_information",
                    "return_reason": "缺少保单号",
                    "dispute_state": "open",
                    "returned_count": 1,
                }
            ],
        )
        # the returned matter says at its top who returned it, why and how
        self.assertRecordValues(
            matter.with_user(self.staff_a1),
            [
                {
                    "state": "returned",
                    "last_return_user_id": self.staff_a2.id,
                    "last_return_category": "missing_information",
                    "last_return_reason": "缺少保单号",
                }
            ],
        )

    def test_a_dispute_is_decided_by_the_lowest_supervisor_above_both(self):
        matter = self.returned()  # from county A1 to county A2: city A decides
        with self.assertLogged(
            matter,
            expect_log(
                "dispute_return",
                by=self.staff_a1,
                from_user=self.staff_a1,
                to_user=self.sup_city_a,
                state_from="returned",
                state_to="disputed",
            ),
        ):
            matter.dispute_return("属于支公司理赔岗职责")
        self.assertEqual(matter.state, "disputed")
        self.assertEqual(matter.dispute_decider_ids, self.sup_city_a)
        self.assertEqual(self.handovers(matter).decision_unit_id, self.city_a)
        self.assertTrue(self.activities(matter, "approval", self.sup_city_a))
        # neither party nor another supervisor decides
        for user in (self.staff_a1, self.staff_a2, self.sup_a2, self.sup_a1):
            with self.assertRefused(matter, UserError):
                matter.with_user(user).decide_return(False, self.staff_a2, "x")

    def test_the_decision_binds_whom_it_names(self):
        matter = self.returned()
        matter.dispute_return("属于支公司理赔岗职责")
        with self.assertLogged(
            matter,
            expect_log(
                "decide_return",
                by=self.sup_city_a,
                from_user=self.sup_city_a,
                to_user=self.staff_a2,
                state_from="disputed",
                state_to="guiding",
            ),
        ):
            matter.with_user(self.sup_city_a).decide_return(
                False, self.staff_a2, "属于支公司理赔岗职责"
            )
        self.assertEqual(matter.guide_to_id, self.staff_a2)
        first, decision = self.handovers(matter)
        self.assertRecordValues(
            first,
            [
                {
                    "dispute_state": "unjustified",
                    "unjustified_count": 1,
                    "decided_by_id": self.sup_city_a.id,
                    "decided_user_id": self.staff_a2.id,
                }
            ],
        )
        self.assertRecordValues(
            decision,
            [{"kind": "decision", "binding": True, "user_id": self.staff_a2.id}],
        )
        # bound: no return without a new decision
        with self.assertRefused(matter) as catcher:
            matter.with_user(self.staff_a2).return_guide("仍不属于本岗位")
        self.assertIn("new decision", str(catcher.exception))
        matter.with_user(self.staff_a2).action_accept()
        self.assertEqual(decision.state, "signed")
        self.assertEqual(matter.first_responsible_id, self.staff_a2)

    def test_an_unjustified_return_is_proposed_once_as_a_finding(self):
        matter = self.returned()
        matter.dispute_return("属于支公司理赔岗职责")
        matter.with_user(self.sup_city_a).decide_return(
            False, self.staff_a2, "属于支公司理赔岗职责"
        )
        findings = self.env["shouwen.finding"].search([("matter_id", "=", matter.id)])
        self.assertRecordValues(
            findings,
            [
                {
                    "person_id": self.staff_a2.id,
                    "finding_type": "shirking",
                    "state": "proposed",
                    "origin": "system",
                }
            ],
        )
        handover = self.handovers(matter)[0]
        matter.sudo()._propose_findings_on_unjustified_return(handover)
        self.assertEqual(
            self.env["shouwen.finding"].search_count([("matter_id", "=", matter.id)]),
            1,
        )

    def test_a_justified_return_proposes_nothing_and_goes_elsewhere(self):
        matter = self.returned()
        matter.dispute_return("属于支公司理赔岗职责")
        matter.with_user(self.sup_city_a).decide_return(
            True, self.staff_city_a, "应由市公司理赔岗处理"
        )
        self.assertEqual(matter.guide_to_id, self.staff_city_a)
        self.assertFalse(
            self.env["shouwen.finding"].search([("matter_id", "=", matter.id)])
        )

    def test_a_supervisor_party_to_the_dispute_does_not_decide_it(self):
        # the dispatcher is the supervisor of county A1 itself: city A decides
        matter = self.returned(target=self.staff_a1b, guide=self.sup_a1)
        matter.dispute_return("属于本支公司柜面职责")
        self.assertEqual(matter.dispute_decider_ids, self.sup_city_a)

    def test_only_the_dispatcher_disputes_a_return_not_yet_accepted(self):
        matter = self.returned()
        with self.assertRefused(matter, UserError):
            matter.with_user(self.staff_a2).dispute_return("x")
        with self.assertRefused(matter):
            matter.dispute_return("  ")
        matter.action_handle()  # handling it accepts the return
        self.assertEqual(self.handovers(matter).dispute_state, "accepted")
        with self.assertRefused(matter):
            matter.dispute_return("属于支公司理赔岗职责")

    def test_the_decision_names_somebody_else_of_the_organisation(self):
        matter = self.returned()
        matter.dispute_return("属于支公司理赔岗职责")
        decider = matter.with_user(self.sup_city_a)
        for target in (self.sup_city_a, self.outsider):
            with self.assertRefused(matter):
                decider.decide_return(False, target, "x")
        with self.assertRefused(matter):
            decider.decide_return(False, self.staff_a2, " ")


@tagged("post_install", "-at_install")
class TestDisputedComplaintReturn(ComplaintCase):
    def test_a_disputed_complaint_return_is_assigned_by_the_decision(self):
        matter = self.assigned(self.staff_a2)
        matter.with_user(self.staff_a2).return_guide(
            "不属于本单位", category="wrong_unit"
        )
        matter.dispute_return("属于甲二支公司")
        self.assertEqual(matter.dispute_decider_ids, self.sup_city_a)
        decider = matter.with_user(self.sup_city_a)
        matter.sudo().complained_person_id = self.staff_b1
        with self.assertRaises(ValidationError):
            decider.decide_return(False, self.staff_b1, "x")
        decider.decide_return(False, self.staff_a2, "属于甲二支公司")
        self.assertEqual(matter.state, "assigned")
        self.assertEqual(matter.assign_user_id, self.staff_a2)
        with self.assertRaises(UserError):
            matter.with_user(self.staff_a2).return_guide("x", category="other")
        matter.with_user(self.staff_a2).action_sign()
        self.assertEqual(matter.handler_id, self.staff_a2)
        self.assertEqual(
            matter.sudo().handover_ids.sorted("id").mapped("state"),
            ["returned", "signed"],
        )


@tagged("post_install", "-at_install")
class TestUrging(DisciplineCase):
    def test_a_supervisor_urges_whoever_must_act(self):
        matter = self.accepted(self.staff_a1, self.staff_a2, **BUSINESS)
        with freeze_time(MONDAY_10):
            with self.assertLogged(
                matter,
                expect_log(
                    "urge",
                    by=self.sup_a1,
                    from_user=self.sup_a1,
                    to_user=self.staff_a2,
                    state_from=None,
                    state_to="in_progress",
                    reason="请今日内答复客户",
                ),
            ):
                matter.with_user(self.sup_a1).urge("请今日内答复客户")
        urged = self.activities(matter, "urge", self.staff_a2)
        self.assertEqual(len(urged), 1)
        # due the next working day
        self.assertEqual(str(urged.date_deadline), "2025-11-04")
        self.assertEqual(matter.urge_count, 1)

    def test_urging_outside_ones_tree_or_without_role_is_refused(self):
        matter = self.accepted(self.staff_a1, self.staff_a2, **BUSINESS)
        with self.assertRefused(matter):
            matter.with_user(self.staff_a1).urge("快点")
        for user in (self.sup_city_b, self.outsider):
            with self.assertRefused(matter, AccessError):
                matter.with_user(user).urge("快点")
        with self.assertRefused(matter):
            matter.with_user(self.sup_a1).urge(" ")

    def test_nobody_urges_themselves(self):
        matter = self.business(self.sup_a1)
        matter.action_handle()
        with self.assertRefused(matter):
            matter.urge("快点")

    def test_the_first_responsible_urges_a_part(self):
        matter, part = self.coordinating(self.staff_a1, self.staff_a2, **BUSINESS)
        part.urge("请今天核对完毕")
        self.assertEqual(len(self.activities(matter, "urge", self.staff_a2)), 1)
        self.assertEqual(part.sudo().urge_count, 1)
        self.assertEqual(matter.urge_count, 1)
        with self.assertRaises(UserError):
            part.with_user(self.staff_a2).urge("x")
        with self.assertRaises(UserError):
            part.with_user(self.staff_b1).urge("x")

    def test_the_sweep_urges_the_morning_after_the_deadline_once(self):
        with freeze_time(MONDAY_10):
            matter = self.business()
            matter.action_handle()
        self.assertEqual(matter.sudo().closure_deadline, shanghai(2025, 11, 6, 17, 30))
        self.assertEqual(matter.sudo().auto_urge_date, shanghai(2025, 11, 7, 9, 30))
        with freeze_time(shanghai(2025, 11, 7, 9, 0)):
            self.sweep()
        self.assertFalse(self.log_lines(matter, "urge"))
        with freeze_time(shanghai(2025, 11, 7, 9, 45)):
            self.sweep()
            self.sweep()
        self.assertEqual(len(self.log_lines(matter, "urge")), 1)
        self.assertEqual(len(self.activities(matter, "urge", self.staff_a1)), 1)


@tagged("post_install", "-at_install")
class TestSupervision(DisciplineCase):
    def reopened(self, times):
        matter = self.business()
        matter.action_handle()
        for _i in range(times):
            matter.answer("已电话告知客户", "phone")
            matter.action_close()
            matter.reopen("客户不满意")
        return matter

    def test_the_third_reopening_puts_it_under_the_unit_above(self):
        matter = self.reopened(2)
        self.assertFalse(matter.supervision_unit_id)
        matter.answer("已电话告知客户", "phone")
        matter.action_close()
        matter.reopen("客户仍不满意")
        self.assertRecordValues(
            matter.sudo(),
            [
                {
                    "supervision_unit_id": self.city_a.id,
                    "supervision_reason": "reopens",
                    "overseer_ids": self.sup_city_a.ids,
                }
            ],
        )
        self.assertEqual(len(self.log_lines(matter, "supervise")), 1)
        self.assertTrue(self.activities(matter, "escalation", self.sup_city_a))
        # its closure needs the approval of the supervisor of record
        matter.answer("已电话告知客户", "phone")
        with self.assertRefused(matter) as catcher:
            matter.action_close()
        self.assertIn("approve the closure", str(catcher.exception))
        for user in (self.staff_a1, self.sup_a1):
            with self.assertRaises(UserError):
                matter.with_user(user).approve_closure("同意")
        overseer = matter.with_user(self.sup_city_a)
        self.assertIn("approve_closure", overseer.available_actions)
        overseer.approve_closure("同意办结")
        self.assertEqual(matter.closure_approved_by_id, self.sup_city_a)
        matter.action_close()
        self.assertEqual(matter.state, "closed")

    def test_the_thresholds_are_parameters(self):
        self.set_param("supervise_after_reopens", 1)
        matter = self.reopened(1)
        self.assertEqual(matter.supervision_unit_id, self.city_a)

    def test_a_third_transfer_puts_it_under_the_unit_above(self):
        matter = self.guided_business(self.staff_a2)
        matter.with_user(self.staff_a2).action_accept()
        matter.with_user(self.staff_a2).guide(self.staff_b1)
        matter.with_user(self.staff_b1).action_accept()
        self.assertFalse(matter.sudo().supervision_unit_id)
        matter.with_user(self.staff_b1).guide(self.staff_a1b)
        matter.with_user(self.staff_a1b).action_accept()
        self.assertRecordValues(
            matter.sudo(),
            [
                {
                    "supervision_unit_id": self.city_a.id,
                    "supervision_reason": "transfers",
                }
            ],
        )

    def test_reopening_again_asks_for_a_new_approval(self):
        self.set_param("supervise_after_reopens", 1)
        matter = self.reopened(1)
        matter.answer("已电话告知客户", "phone")
        matter.with_user(self.sup_city_a).approve_closure("同意")
        matter.action_close()
        matter.reopen("客户又来电")
        self.assertFalse(matter.closure_approved_by_id)


@tagged("post_install", "-at_install")
class TestRepeatComplaintSupervision(ComplaintCase):
    def test_a_repeat_complaint_is_supervised_one_level_up(self):
        first = self.complaint()
        again = self.complaint(customer_phone=first.sudo().customer_phone)
        self.assertTrue(again.is_repeat)
        self.assertRecordValues(
            again.sudo(),
            [
                {
                    "supervision_unit_id": self.city_a.id,
                    "supervision_reason": "repeat_complaint",
                }
            ],
        )
        self.assertFalse(first.sudo().supervision_unit_id)

    def test_repeat_complaints_registered_together_give_each_overseer_one_email(
        self,
    ):
        first = self.complaint()
        phone = first.sudo().customer_phone
        self.env["mail.mail"].sudo().search([]).unlink()
        again = (
            self.env["shouwen.matter"]
            .with_user(self.staff_a1)
            .create(
                [
                    self._matter_values(
                        kind="complaint",
                        business_domain="complaint",
                        customer_phone=phone,
                        subject=f"再次投诉{i}",
                    )
                    for i in range(3)
                ]
            )
        )
        overseers = again.sudo().overseer_ids
        self.assertTrue(overseers.filtered("email"), "an overseer reads email")
        for matter in again:
            # the chatter says which earlier complaint it repeats
            notes = matter.sudo().message_ids.filtered(
                lambda m, name=first.name: name in (m.body or "")
            )
            self.assertEqual(len(notes), 1, matter.name)
            self.assertEqual(notes.author_id, self.staff_a1.partner_id)
        self.assertEqual(
            again.sudo().mapped("supervision_reason"), ["repeat_complaint"] * 3
        )
        for user in overseers:
            self.assertEqual(
                len(
                    again.activity_ids.sudo().filtered(lambda a, u=user: a.user_id == u)
                ),
                3,
            )
            mails = (
                self.env["mail.mail"]
                .sudo()
                .search([("recipient_ids", "in", user.partner_id.ids)])
            )
            if user.email:
                self.assertEqual(len(mails), 1, user.name)
                for matter in again:
                    self.assertIn(matter.name, mails.body_html)

    def test_repeat_supervision_can_be_switched_off(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "shouwen_responsibility.supervise_repeat_complaints", 0
        )
        first = self.complaint()
        again = self.complaint(customer_phone=first.sudo().customer_phone)
        self.assertTrue(again.is_repeat)
        self.assertFalse(again.sudo().supervision_unit_id)

    def test_a_supervised_complaint_closes_after_the_approval(self):
        first = self.complaint()
        matter = self.in_callback(customer_phone=first.sudo().customer_phone)
        with self.assertRaises(UserError):
            matter.record_callback("satisfied", note="客户满意")
        self.assertEqual(matter.state, "callback")
        matter.with_user(self.sup_city_a).approve_closure("同意办结")
        matter.record_callback("satisfied", note="客户满意")
        self.assertEqual(matter.state, "closed")
