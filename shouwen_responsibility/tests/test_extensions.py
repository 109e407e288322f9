# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Extensions of the closure deadline (延期): asked by the person handling the
matter with a reason, within the policy's cap, decided by a supervisor of the
competent level who did not ask for it.

Matters are registered on Monday 15 September 2025 at 10:00 in Shanghai:

- business (3 working days, at most 10): due Thursday 18 September 17:30, no
  extension beyond Sunday 28 September 17:30 (a make-up working day);
- complaint (15 calendar days; beyond 30 the superior unit decides; at most
  60): due 30 September 23:59:59, the superior unit beyond 15 October
  23:59:59, nothing beyond 14 November 23:59:59."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShouwenClockCase, expect_log, shanghai

REGISTERED = shanghai(2025, 9, 15, 10, 0)
BUSINESS_DEADLINE = shanghai(2025, 9, 18, 17, 30)
BUSINESS_CAP = shanghai(2025, 9, 28, 17, 30)
COMPLAINT_DEADLINE = shanghai(2025, 9, 30, 23, 59, 59)
COMPLAINT_SENIOR = shanghai(2025, 10, 15, 23, 59, 59)
COMPLAINT_CAP = shanghai(2025, 11, 14, 23, 59, 59)
SECOND = timedelta(seconds=1)
REASON = "需补充医院诊断证明，等待医院出具"
NOTICE = "已于2025-09-20电话告知投诉人延期原因及新的办结时限"


@tagged("post_install", "-at_install")
class TestExtensions(ShouwenClockCase):
    def setUp(self):
        super().setUp()
        frozen = freeze_time(REGISTERED)
        self.frozen = frozen.start()
        self.addCleanup(frozen.stop)

    def business(self, user=None):
        matter = self.register(
            user or self.staff_a1, kind="business", business_domain="underwriting"
        )
        matter.action_handle()
        return matter

    def complaint(self):
        # a complaint is extended by its first responsible from registration on
        return self.register(
            self.staff_a1, kind="complaint", business_domain="complaint"
        )

    def assertNoExtension(self, matter):
        self.assertFalse(matter.sudo().extension_ids)

    # ------------------------------------------------------------------
    # requests
    # ------------------------------------------------------------------

    def test_request_needs_a_reason_a_later_deadline_and_stays_within_the_cap(self):
        matter = self.business()
        self.assertEqual(matter.closure_deadline, BUSINESS_DEADLINE)
        refused = (
            ("", BUSINESS_CAP),
            ("   ", BUSINESS_CAP),
            (REASON, BUSINESS_DEADLINE),
            (REASON, BUSINESS_DEADLINE - SECOND),
            (REASON, BUSINESS_CAP + SECOND),
            (REASON, False),
        )
        for reason, new_deadline in refused:
            with self.subTest(reason=reason, new_deadline=new_deadline):
                with self.assertRefused(matter):
                    matter.request_extension(new_deadline, reason)
        with self.assertRefused(matter) as refusal:
            matter.request_extension(BUSINESS_CAP + SECOND, REASON)
        self.assertIn("2025-09-28 17:30", str(refusal.exception))
        self.assertNoExtension(matter)

        with self.assertLogged(
            matter,
            expect_log(
                "request_extension",
                self.staff_a1,
                from_user=self.staff_a1,
                state_to="in_progress",
                reason=REASON,
            ),
        ):
            extension = matter.request_extension(BUSINESS_CAP, REASON)
        self.assertRecordValues(
            extension.sudo(),
            [
                {
                    "state": "pending",
                    "requested_by_id": self.staff_a1.id,
                    "reason": REASON,
                    "old_deadline": BUSINESS_DEADLINE,
                    "new_deadline": BUSINESS_CAP,
                    "needs_senior": False,
                }
            ],
        )
        # the deadline moves only when approved, by the unit's supervisor
        self.assertEqual(matter.closure_deadline, BUSINESS_DEADLINE)
        self.assertEqual(self.activities(matter, "extension").user_id, self.sup_a1)
        self.assertEqual(matter.pending_extension_id, extension)

    def test_request_only_by_the_person_handling_the_matter(self):
        matter = self.business()
        for user in (self.sup_a1, self.sup_city_a, self.staff_a1b):
            with self.subTest(user=user.name), self.assertRefused(matter):
                matter.with_user(user).request_extension(BUSINESS_CAP, REASON)
        self.assertNoExtension(matter)

    def test_only_one_extension_pending_at_a_time(self):
        matter = self.business()
        matter.request_extension(BUSINESS_DEADLINE + timedelta(days=1), REASON)
        self.assertNotIn("request_extension", matter.available_actions)
        with self.assertRefused(matter):
            matter.request_extension(BUSINESS_CAP, REASON)
        self.assertEqual(len(matter.sudo().extension_ids), 1)
        # once decided, another may be asked
        matter.with_user(self.sup_a1).refuse_extension("理由不充分")
        matter.request_extension(BUSINESS_CAP, REASON)
        self.assertEqual(
            matter.sudo().extension_ids.sorted("id").mapped("state"),
            ["refused", "pending"],
        )

    # ------------------------------------------------------------------
    # decisions
    # ------------------------------------------------------------------

    def test_complaint_within_30_days_is_decided_by_the_unit_supervisor(self):
        matter = self.complaint()
        self.assertEqual(matter.closure_deadline, COMPLAINT_DEADLINE)
        extension = matter.request_extension(COMPLAINT_SENIOR, REASON)
        self.assertFalse(extension.needs_senior)
        self.assertEqual(self.activities(matter, "extension").user_id, self.sup_a1)
        matter.with_user(self.sup_a1).approve_extension(customer_notice=NOTICE)
        self.assertEqual(matter.closure_deadline, COMPLAINT_SENIOR)

    def test_complaint_beyond_30_days_is_decided_by_the_superior_unit(self):
        matter = self.complaint()
        new_deadline = shanghai(2025, 10, 20, 17, 30)
        extension = matter.request_extension(new_deadline, REASON)
        self.assertTrue(extension.needs_senior)
        self.assertEqual(self.activities(matter, "extension").user_id, self.sup_city_a)
        # the county's own supervisor, and another city's, may not decide it
        for user in (self.sup_a1, self.sup_city_b):
            with self.subTest(user=user.name):
                with self.assertRefused(matter):
                    matter.with_user(user).approve_extension(customer_notice=NOTICE)
                with self.assertRefused(matter):
                    matter.with_user(user).refuse_extension("不同意")
        self.assertEqual(extension.sudo().state, "pending")

        # the complainant must have been told
        city = matter.with_user(self.sup_city_a)
        for notice in (None, "", "  "):
            with self.subTest(notice=notice), self.assertRefused(matter):
                city.approve_extension(customer_notice=notice)
        self.frozen.move_to(shanghai(2025, 9, 20, 10, 0))
        with self.assertLogged(
            matter,
            expect_log(
                "approve_extension",
                self.sup_city_a,
                from_user=self.staff_a1,
                to_user=self.sup_city_a,
                state_to="registered",
            ),
        ):
            city.approve_extension(note="同意", customer_notice=NOTICE)
        self.assertIn(
            "2025-10-20 17:30", self.log_lines(matter, "approve_extension").reason
        )
        self.assertRecordValues(
            extension.sudo(),
            [
                {
                    "state": "approved",
                    "decided_by_id": self.sup_city_a.id,
                    "decided_date": shanghai(2025, 9, 20, 10, 0),
                    "decision_note": "同意",
                    "customer_notice": NOTICE,
                }
            ],
        )
        self.assertEqual(matter.closure_deadline, new_deadline)
        self.assertFalse(self.activities(matter, "extension"))

    def test_complaint_is_never_extended_beyond_60_days(self):
        matter = self.complaint()
        with self.assertRefused(matter) as refusal:
            matter.request_extension(COMPLAINT_CAP + SECOND, REASON)
        self.assertIn("2025-11-14 23:59", str(refusal.exception))
        extension = matter.request_extension(COMPLAINT_CAP, REASON)
        self.assertTrue(extension.needs_senior)
        # a provincial supervisor is above the superior unit: may decide too
        matter.with_user(self.sup_province).approve_extension(customer_notice=NOTICE)
        self.assertEqual(matter.closure_deadline, COMPLAINT_CAP)
        # the cap counts from the start, whatever was approved before
        with self.assertRefused(matter):
            matter.request_extension(COMPLAINT_CAP + SECOND, REASON)

    def test_requester_cannot_approve_their_own_extension(self):
        matter = self.business(user=self.sup_a1)
        matter.request_extension(BUSINESS_CAP, REASON)
        with self.assertRefused(matter):
            matter.approve_extension(note="自己批准")
        with self.assertRefused(matter):
            matter.refuse_extension("自己拒绝")
        # the city supervisor above decides
        matter.with_user(self.sup_city_a).approve_extension()
        self.assertEqual(matter.closure_deadline, BUSINESS_CAP)

    def test_approval_moves_the_deadline_and_restarts_the_ladder(self):
        matter = self.business()
        self.frozen.move_to(BUSINESS_DEADLINE)
        self.sweep()
        self.assertRecordValues(matter, [{"is_overdue": True, "escalation_step": 1}])
        new_deadline = shanghai(2025, 9, 23, 17, 30)
        self.frozen.move_to(shanghai(2025, 9, 19, 9, 0))
        matter.request_extension(new_deadline, REASON)
        with self.assertLogged(
            matter,
            expect_log(
                "approve_extension",
                self.sup_a1,
                from_user=self.staff_a1,
                to_user=self.sup_a1,
                state_to="in_progress",
            ),
        ):
            matter.with_user(self.sup_a1).approve_extension()
        self.assertIn(
            "2025-09-23 17:30", self.log_lines(matter, "approve_extension").reason
        )
        self.assertRecordValues(
            matter,
            [
                {
                    "closure_deadline": new_deadline,
                    "is_overdue": False,
                    "escalation_step": 0,
                    "next_escalation_date": new_deadline,
                }
            ],
        )
        # the old ladder does not go on
        self.frozen.move_to(shanghai(2025, 9, 19, 17, 30))
        self.sweep()
        self.assertEqual(len(self.activities(matter, "escalation")), 1)
        # a recomputation keeps the approved deadline
        self.policy_business.with_user(self.manager).closure_amount = 4
        self.assertEqual(matter.closure_deadline, new_deadline)
        # the new deadline is followed like the first one
        self.frozen.move_to(new_deadline)
        self.sweep()
        self.assertRecordValues(matter, [{"is_overdue": True, "escalation_step": 1}])
        self.assertEqual(self.activities(matter, "escalation").user_id, self.sup_a1)
        # the supervisor keeps one 督办 to-do for the matter: the second
        # overdue is a second escalation (its note and log line), not a
        # second to-do
        self.assertEqual(len(self.activities(matter, "escalation")), 1)
        self.assertEqual(len(self.notes(matter, "escalation")), 2)

    def test_refusal_keeps_the_deadline_and_needs_a_reason(self):
        matter = self.business()
        extension = matter.request_extension(BUSINESS_CAP, REASON)
        supervisor = matter.with_user(self.sup_a1)
        for note in ("", "   ", None):
            with self.subTest(note=note), self.assertRefused(matter):
                supervisor.refuse_extension(note)
        with self.assertLogged(
            matter,
            expect_log(
                "refuse_extension",
                self.sup_a1,
                from_user=self.staff_a1,
                to_user=self.sup_a1,
                state_to="in_progress",
                reason="材料已齐，无需延期",
            ),
        ):
            supervisor.refuse_extension("材料已齐，无需延期")
        self.assertRecordValues(
            extension.sudo(),
            [
                {
                    "state": "refused",
                    "decided_by_id": self.sup_a1.id,
                    "decision_note": "材料已齐，无需延期",
                }
            ],
        )
        self.assertEqual(matter.closure_deadline, BUSINESS_DEADLINE)
        self.assertFalse(self.activities(matter, "extension"))
        with self.assertRefused(matter):
            supervisor.approve_extension()
