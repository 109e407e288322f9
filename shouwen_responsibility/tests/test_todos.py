# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""To-dos (mail.activity) of the follow-up (issue 21, §2 and §6): one open
to-do per person, record and step; closed when their step is done; and the
handler's own clock after signing (本人办理时限) reminded and followed up
like the matter's own deadline, each step once.

Dates as in ``test_followup``: a business matter registered on Monday 15
September 2025 at 10:00 in Shanghai, its policy giving 3 working days."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import shanghai
from .test_followup import (
    DEADLINE,
    FIRST_REMINDER,
    MINUTE,
    REGISTERED,
    RUNG_2,
    RUNG_3,
    FollowupCase,
)

#: the rules of the matter's own deadline (not of the handler's own clock)
MATTER_RULES = (
    "response_reminder",
    "closure_reminder_1",
    "closure_reminder_2",
    "escalation",
    "urge",
)


class TodosCase(FollowupCase):
    def guided(self, target=None):
        """A claims matter registered by Staff A1 and guided to ``target``
        (Staff A2)."""
        matter = self.business(handle=False, business_domain="claims")
        matter.guide(target or self.staff_a2, note="理赔岗办理")
        return matter

    def rule(self, step):
        return self.env.ref(f"shouwen_responsibility.base_automation_followup_{step}")

    def switch_off(self, *steps):
        for step in steps:
            self.rule(step).active = False

    def steps_done(self, matter, step):
        return self.env["shouwen.followup"].search(
            [("matter_id", "=", matter.id), ("step", "=", step)]
        )


@tagged("post_install", "-at_install")
class TestNoDuplicateTodos(TodosCase):
    def test_scheduling_the_same_step_twice_keeps_one_todo_with_the_earlier_deadline(
        self,
    ):
        with freeze_time(REGISTERED):
            matter = self.guided()
            todo = self.activities(matter, "accept", self.staff_a2)
            self.assertEqual(len(todo), 1)
            later = date(2025, 9, 30)
            matter.sudo()._schedule(
                "accept", self.staff_a2, "再次签收", date_deadline=later
            )
            self.assertEqual(self.activities(matter, "accept", self.staff_a2), todo)
            self.assertNotEqual(todo.date_deadline, later)
            earlier = date(2025, 9, 14)
            matter.sudo()._schedule(
                "accept", self.staff_a2, "再次签收", date_deadline=earlier
            )
            self.assertEqual(self.activities(matter, "accept", self.staff_a2), todo)
            self.assertEqual(todo.date_deadline, earlier)
            self.assertIn(matter.name, todo.summary)

    def test_unsigned_reminder_keeps_the_accept_or_return_todo(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.guided()
            handover = matter.sudo().handover_ids
            frozen.move_to(handover.sign_deadline + MINUTE)
            self.sweep()
            self.assertTrue(handover.reminded_date)
        self.assertEqual(len(self.activities(matter, "accept", self.staff_a2)), 1)

    def test_a_batch_adds_no_todo_twice_nor_one_already_open(self):
        with freeze_time(REGISTERED):
            first = self.business()
            second = self.business()
            first.sudo()._schedule("reminder", self.sup_a1, "已有")
            Matter = self.env["shouwen.matter"]
            with Matter._activities_in_batch():
                (first | second)._schedule("reminder", self.sup_a1, "提醒一")
                (first | second)._schedule(
                    "reminder", self.sup_a1, "提醒二", date_deadline=date(2025, 9, 1)
                )
                second._schedule("reminder", self.staff_a1, "提醒三")
        self.assertEqual(
            self.activities(first, "reminder", self.sup_a1).summary, "已有"
        )
        # the earliest deadline of the batch is kept
        self.assertEqual(
            self.activities(first, "reminder", self.sup_a1).date_deadline,
            date(2025, 9, 1),
        )
        new = self.activities(second, "reminder", self.sup_a1)
        self.assertEqual(len(new), 1)
        self.assertEqual(new.summary, "提醒一")
        self.assertEqual(new.date_deadline, date(2025, 9, 1))
        self.assertEqual(len(self.activities(second, "reminder", self.staff_a1)), 1)

    def test_two_rungs_alerting_the_same_supervisor_give_one_todo(self):
        # nobody above the county: every rung stays with its supervisor
        self.city_a.supervisor_ids = False
        self.province.supervisor_ids = False
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(DEADLINE)
            self.sweep()
            frozen.move_to(RUNG_2)
            self.sweep()
            frozen.move_to(RUNG_3)
            self.sweep()
        self.assertEqual(matter.escalation_step, 3)
        self.assertEqual(len(self.log_lines(matter, "escalate")), 3)
        todos = self.activities(matter, "escalation")
        self.assertEqual(todos.user_id, self.sup_a1)
        self.assertEqual(len(todos), 1)

    def test_a_late_sweep_climbing_every_rung_gives_one_todo_per_person(self):
        self.city_a.supervisor_ids = False
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(shanghai(2025, 9, 23, 9, 0))
            self.sweep()
        self.assertEqual(matter.escalation_step, 3)
        todos = self.activities(matter, "escalation")
        self.assertEqual(todos.user_id, self.sup_a1 | self.sup_province)
        self.assertEqual(len(todos), 2)


@tagged("post_install", "-at_install")
class TestTodosClosed(TodosCase):
    def test_accepting_closes_the_accept_or_return_todo(self):
        with freeze_time(REGISTERED):
            matter = self.guided()
            self.assertTrue(self.activities(matter, "accept"))
            matter.with_user(self.staff_a2).action_accept()
        self.assertFalse(self.activities(matter, "accept"))

    def test_returning_closes_the_accept_or_return_todo(self):
        with freeze_time(REGISTERED):
            matter = self.guided()
            matter.with_user(self.staff_a2).return_guide("不属于本岗职责")
        self.assertFalse(self.activities(matter, "accept"))

    def test_a_part_finished_unsigned_closes_its_sign_for_todo(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            part = matter.coordinate(self.staff_a1b, "核对保单批改记录")
            handover = matter.sudo().handover_ids.filtered("part_id")
            frozen.move_to(handover.sign_deadline + MINUTE)
            self.sweep()
            self.assertTrue(self.activities(matter, "accept", self.staff_a1b))
            self.assertTrue(self.activities(matter, "part", self.staff_a1b))
            part = part.with_user(self.staff_a1b)
            part.result = "已核对"
            part.action_done()
        self.assertFalse(self.activities(matter, "accept", self.staff_a1b))
        self.assertFalse(self.activities(matter, "part", self.staff_a1b))

    def test_answering_closes_the_reminders_of_the_stopped_clock(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(FIRST_REMINDER)
            self.sweep()
            self.assertTrue(self.activities(matter, "reminder", self.staff_a1))
            matter.answer("已按政策答复客户", "phone")
        self.assertFalse(self.activities(matter, "reminder"))

    def test_deciding_an_extension_closes_the_approval_todo(self):
        with freeze_time(REGISTERED):
            matter = self.business()
            matter.request_extension(shanghai(2025, 9, 22, 17, 30), "等待第三方定损")
            self.assertEqual(self.activities(matter, "extension").user_id, self.sup_a1)
            matter.with_user(self.sup_a1).approve_extension(note="同意")
        self.assertFalse(self.activities(matter, "extension"))


@tagged("post_install", "-at_install")
class TestOwnDeadline(TodosCase):
    """The handler's own clock (本人办理时限) starts when they sign for the
    matter (here on Tuesday 16 September 10:00, a day after registration):
    reminded before it, their supervisors alerted after it, each once."""

    SIGNED = shanghai(2025, 9, 16, 10, 0)

    def signed(self):
        """A matter guided to Staff A2 on Monday, accepted on Tuesday: the
        matter and its signed handover."""
        with freeze_time(REGISTERED) as frozen:
            matter = self.guided()
            frozen.move_to(self.SIGNED)
            matter.with_user(self.staff_a2).action_accept()
        handover = matter.sudo().handover_ids.filtered(lambda h: h.state == "signed")
        self.assertEqual(len(handover), 1)
        return matter, handover

    def test_own_deadline_is_planned_and_shown_on_the_form(self):
        matter, handover = self.signed()
        own = handover.own_deadline
        self.assertGreater(own, matter.closure_deadline)
        self.assertEqual(matter.handler_own_deadline, own)
        self.assertEqual(matter.own_overdue_date, own)
        self.assertLess(self.SIGNED, matter.own_reminder_date)
        self.assertLess(matter.own_reminder_date, own)
        arch = matter.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="handler_own_deadline"', arch)

    def test_own_reminder_and_overdue_run_once_through_the_sweep(self):
        self.switch_off(*MATTER_RULES)
        matter, handover = self.signed()
        own, reminder = handover.own_deadline, matter.own_reminder_date
        with freeze_time(reminder - MINUTE):
            self.sweep()
            self.assertFalse(self.activities(matter, "reminder"))
        with freeze_time(reminder):
            self.sweep()
            self.sweep()
            todo = self.activities(matter, "reminder")
            self.assertEqual(todo.user_id, self.staff_a2)
            # the handler's own deadline, in the handler's language
            env = matter.with_context(lang=self.staff_a2.lang).env
            self.assertEqual(
                todo.summary,
                env._(
                    "%(what)s: your own deadline is %(deadline)s",
                    what=env._("Matter %(number)s", number=matter.name),
                    deadline=matter.with_env(env)._format_datetime(own),
                ),
            )
            self.assertFalse(matter.own_reminder_date)
            self.assertEqual(matter.own_overdue_date, own)
        done = self.steps_done(matter, "own_reminder")
        self.assertRecordValues(done, [{"rung": handover.id, "deadline": own}])

        with freeze_time(own):
            self.sweep()
            self.sweep()
            matter._run_followups()
        alert = self.activities(matter, "escalation")
        self.assertEqual(alert.user_id, self.sup_a2)
        self.assertIn("Staff A2", alert.summary)
        line = self.log_lines(matter, "own_overdue")
        self.assertEqual(len(line), 1)
        self.assertEqual(line.from_user_id, self.staff_a2)
        self.assertEqual(line.to_user_id, self.sup_a2)
        self.assertEqual(len(self.steps_done(matter, "own_overdue")), 1)
        self.assertFalse(matter.own_overdue_date)

    def test_the_rule_switched_off_does_the_step_silently(self):
        self.switch_off(*MATTER_RULES, "own_reminder")
        matter, handover = self.signed()
        with freeze_time(matter.own_reminder_date):
            self.sweep()
        self.assertFalse(self.activities(matter, "reminder"))
        self.assertEqual(len(self.steps_done(matter, "own_reminder")), 1)
        self.assertFalse(matter.own_reminder_date)
        self.assertEqual(matter.own_overdue_date, handover.own_deadline)

    def test_odoos_automation_cron_runs_the_own_steps_once(self):
        self.switch_off(*MATTER_RULES)
        matter, handover = self.signed()
        self.env["base.automation"].search([]).last_run = REGISTERED
        for moment in (matter.own_reminder_date, handover.own_deadline):
            with freeze_time(moment + MINUTE):
                self.env["base.automation"]._check()
                self.env["base.automation"]._check()
                self.sweep()
        self.assertEqual(self.activities(matter, "reminder").user_id, self.staff_a2)
        self.assertEqual(self.activities(matter, "escalation").user_id, self.sup_a2)
        self.assertEqual(len(self.log_lines(matter, "own_overdue")), 1)

    def test_a_part_past_its_own_deadline_alerts_the_first_responsible(self):
        self.switch_off(*MATTER_RULES)
        with freeze_time(REGISTERED):
            matter = self.business()
            part = matter.coordinate(self.staff_a1b, "核对保单批改记录")
            part.with_user(self.staff_a1b).action_sign()
        handover = matter.sudo().handover_ids.filtered("part_id")
        self.assertTrue(handover.own_deadline)
        self.assertEqual(matter.own_overdue_date, handover.own_deadline)
        with freeze_time(matter.own_reminder_date):
            self.sweep()
        with freeze_time(handover.own_deadline):
            self.sweep()
        self.assertEqual(self.activities(matter, "reminder").user_id, self.staff_a1b)
        self.assertEqual(self.activities(matter, "escalation").user_id, self.staff_a1)

    def test_answering_ends_the_own_clock(self):
        matter, _handover = self.signed()
        with freeze_time(self.SIGNED):
            matter.with_user(self.staff_a2).answer("已按政策答复客户", "phone")
        self.assertFalse(matter.own_reminder_date)
        self.assertFalse(matter.own_overdue_date)
        self.assertFalse(matter.next_followup_date)
