# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The follow-up of a matter (督办): reminders before the deadline, the
escalation ladder after it, each step once, whatever the sweeps do.

The business matter of these tests is registered on Monday 15 September 2025
at 10:00 in Shanghai and handled at once; its policy gives 3 working days, 27
working hours (6 on Monday, 7 on each of the next three days):

- 50 %: Wednesday 17 September 09:30, 80 %: Thursday 18 September 10:36;
- deadline, rung 1 (unit): Thursday 18 September 17:30;
- rung 2 (city), one working day later: Friday 19 September 17:30;
- rung 3 (province), two working days later: Monday 22 September 17:30.
"""

import logging
from datetime import timedelta
from unittest.mock import MagicMock, patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.tests import tagged

from .common import ShouwenClockCase, expect_log, shanghai

REGISTERED = shanghai(2025, 9, 15, 10, 0)
FIRST_REMINDER = shanghai(2025, 9, 17, 9, 30)
SECOND_REMINDER = shanghai(2025, 9, 18, 10, 36)
DEADLINE = shanghai(2025, 9, 18, 17, 30)
RUNG_2 = shanghai(2025, 9, 19, 17, 30)
RUNG_3 = shanghai(2025, 9, 22, 17, 30)
MINUTE = timedelta(minutes=1)

FOLLOWUP_LOGGER = "odoo.addons.shouwen_responsibility.models.shouwen_matter_followup"


class FollowupCase(ShouwenClockCase):
    def business(self, user=None, handle=True, **values):
        """A business matter registered now by ``user`` (Staff A1), handled
        by them unless ``handle`` is false."""
        values.setdefault("kind", "business")
        values.setdefault("business_domain", "underwriting")
        matter = self.register(user or self.staff_a1, **values)
        if handle:
            matter.action_handle()
        return matter

    def assertFollowup(self, matter, reminders, escalations):
        """``matter`` has had ``reminders`` reminder notes, kept in one open
        to-do of the person reminded (one person here: a second reminder does
        not add a second to-do), and ``escalations`` escalation activities
        (one supervisor per unit here), notes and ``escalate`` log lines."""
        self.assertEqual(len(self.activities(matter, "reminder")), min(reminders, 1))
        self.assertEqual(len(self.notes(matter, "reminder")), reminders)
        self.assertEqual(len(self.activities(matter, "escalation")), escalations)
        self.assertEqual(len(self.notes(matter, "escalation")), escalations)
        self.assertEqual(len(self.log_lines(matter, "escalate")), escalations)


@tagged("post_install", "-at_install")
class TestFollowup(FollowupCase):
    def test_followup_dates_are_planned_from_the_policy(self):
        with freeze_time(REGISTERED):
            matter = self.business(handle=False)
            self.assertRecordValues(
                matter,
                [
                    {
                        "policy_id": self.policy_business.id,
                        "clock_start": REGISTERED,
                        # one working day, 1 working hour before its end
                        "response_deadline": shanghai(2025, 9, 16, 17, 30),
                        "response_reminder_date": shanghai(2025, 9, 16, 16, 30),
                        "closure_deadline": DEADLINE,
                        "first_reminder_date": FIRST_REMINDER,
                        "second_reminder_date": SECOND_REMINDER,
                        "next_escalation_date": DEADLINE,
                        "next_followup_date": shanghai(2025, 9, 16, 16, 30),
                    }
                ],
            )
            matter.action_handle()
        # responded: no response reminder any more
        self.assertRecordValues(
            matter,
            [
                {
                    "responded_date": REGISTERED,
                    "response_reminder_date": False,
                    "next_followup_date": FIRST_REMINDER,
                }
            ],
        )

    def test_reminders_fire_once_at_50_and_80_percent_for_the_person_who_must_act(
        self,
    ):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(FIRST_REMINDER - MINUTE)
            self.assertEqual(self.sweep(), 0)
            self.assertFollowup(matter, 0, 0)

            frozen.move_to(FIRST_REMINDER)
            self.sweep()
            reminder = self.activities(matter, "reminder")
            self.assertEqual(reminder.user_id, self.staff_a1)
            self.assertFollowup(matter, 1, 0)
            self.assertEqual(matter.next_followup_date, SECOND_REMINDER)
            for _i in range(3):
                self.assertEqual(self.sweep(), 0)
            self.assertFollowup(matter, 1, 0)

            frozen.move_to(SECOND_REMINDER)
            self.sweep()
            self.sweep()
            self.assertEqual(self.activities(matter, "reminder").user_id, self.staff_a1)
            self.assertFollowup(matter, 2, 0)
            self.assertEqual(matter.next_followup_date, DEADLINE)
            self.assertFalse(matter.is_overdue)
        steps = self.env["shouwen.followup"].search([("matter_id", "=", matter.id)])
        self.assertEqual(
            sorted(steps.mapped("step")), ["closure_reminder_1", "closure_reminder_2"]
        )
        self.assertEqual(set(steps.mapped("deadline")), {DEADLINE})

    def test_ladder_climbs_one_rung_at_a_time_to_the_right_supervisors(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(DEADLINE - MINUTE)
            self.sweep()  # both reminders, nothing else
            self.assertFollowup(matter, 2, 0)
            self.assertFalse(matter.is_overdue)

            frozen.move_to(DEADLINE)
            with self.assertLogged(
                matter,
                expect_log(
                    "escalate",
                    self.env.user,
                    to_user=self.sup_a1,
                    state_to="in_progress",
                ),
            ):
                for _i in range(3):
                    self.sweep()
            self.assertEqual(self.activities(matter, "escalation").user_id, self.sup_a1)
            self.assertFollowup(matter, 2, 1)
            self.assertRecordValues(
                matter,
                [
                    {
                        "is_overdue": True,
                        "escalation_step": 1,
                        "next_escalation_date": RUNG_2,
                        # urged the morning after the deadline, before rung 2
                        "auto_urge_date": shanghai(2025, 9, 19, 9, 30),
                        "next_followup_date": shanghai(2025, 9, 19, 9, 30),
                    }
                ],
            )
            self.assertIn(
                self.county_a1.display_name, self.log_lines(matter, "escalate").reason
            )

            frozen.move_to(RUNG_2 - MINUTE)
            self.sweep()
            self.assertFollowup(matter, 2, 1)

            frozen.move_to(RUNG_2)
            for _i in range(3):
                self.sweep()
            self.assertEqual(
                self.activities(matter, "escalation", self.sup_city_a).user_id,
                self.sup_city_a,
            )
            self.assertFollowup(matter, 2, 2)
            self.assertRecordValues(
                matter, [{"escalation_step": 2, "next_escalation_date": RUNG_3}]
            )

            frozen.move_to(RUNG_3)
            for _i in range(3):
                self.sweep()
            self.assertEqual(
                self.activities(matter, "escalation", self.sup_province).user_id,
                self.sup_province,
            )
            self.assertFollowup(matter, 2, 3)
            self.assertRecordValues(
                matter,
                [
                    {
                        "escalation_step": 3,
                        "next_escalation_date": False,
                        "next_followup_date": False,
                    }
                ],
            )
            # the top of the ladder: nothing more, ever
            frozen.move_to(shanghai(2025, 10, 20, 17, 30))
            self.sweep()
            self.assertFollowup(matter, 2, 3)
        self.assertEqual(
            self.log_lines(matter, "escalate").to_user_id,
            self.sup_a1 | self.sup_city_a | self.sup_province,
        )

    def test_late_sweep_climbs_every_rung_due_once_and_skips_stale_reminders(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            # the first sweep after a long outage, on Tuesday 23 September
            frozen.move_to(shanghai(2025, 9, 23, 9, 0))
            self.sweep()
            self.sweep()
        # reminders of a deadline already passed are pointless: not sent
        self.assertFollowup(matter, 0, 3)
        self.assertEqual(matter.escalation_step, 3)
        self.assertEqual(
            self.activities(matter, "escalation").user_id,
            self.sup_a1 | self.sup_city_a | self.sup_province,
        )

    def test_guided_matter_reminds_the_guide_target(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business(handle=False, business_domain="claims")
            matter.guide(self.staff_a2, note="理赔岗办理")
            frozen.move_to(FIRST_REMINDER)
            self.sweep()
        self.assertEqual(self.activities(matter, "reminder").user_id, self.staff_a2)
        self.assertFollowup(matter, 1, 0)

    def test_response_reminder_comes_before_the_response_deadline_not_after_a_response(
        self,
    ):
        # a status query: respond within 1 working hour, reminded half an hour
        # before
        with freeze_time(REGISTERED) as frozen:
            waiting = self.register(self.staff_a2, kind="query")
            responded = self.register(self.staff_a2, kind="query")
            self.assertEqual(waiting.response_deadline, shanghai(2025, 9, 15, 11, 0))
            self.assertEqual(
                waiting.response_reminder_date, shanghai(2025, 9, 15, 10, 30)
            )
            frozen.move_to(shanghai(2025, 9, 15, 10, 10))
            responded.action_handle()
            self.assertFalse(responded.response_reminder_date)

            frozen.move_to(shanghai(2025, 9, 15, 10, 29))
            self.sweep()
            self.assertFollowup(waiting, 0, 0)

            frozen.move_to(shanghai(2025, 9, 15, 10, 30))
            self.sweep()
            self.sweep()
            reminder = self.activities(waiting, "reminder")
            self.assertEqual(reminder.user_id, self.staff_a2)
            self.assertIn(waiting.name, reminder.summary)
            self.assertFollowup(waiting, 1, 0)
            self.assertFollowup(responded, 0, 0)
            steps = self.env["shouwen.followup"].search(
                [("matter_id", "=", waiting.id)]
            )
            self.assertRecordValues(
                steps,
                [
                    {
                        "step": "response_reminder",
                        "rung": 0,
                        "deadline": shanghai(2025, 9, 15, 11, 0),
                    }
                ],
            )
            # past the response deadline: no second response reminder
            frozen.move_to(shanghai(2025, 9, 15, 11, 30))
            self.sweep()
            self.assertFollowup(waiting, 1, 0)

    def test_answering_stops_the_followup(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(shanghai(2025, 9, 16, 11, 0))
            matter.answer("已办理完毕", "phone")
            self.assertFalse(matter.next_followup_date)
            for moment in (FIRST_REMINDER, DEADLINE, RUNG_2, RUNG_3):
                frozen.move_to(moment)
                self.sweep()
        self.assertFollowup(matter, 0, 0)
        self.assertFalse(matter.is_overdue)
        self.assertEqual(matter.escalation_step, 0)
        self.assertFalse(
            self.env["shouwen.followup"].search([("matter_id", "=", matter.id)])
        )

    def test_paused_clock_has_no_followup_and_resume_moves_the_deadline(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(shanghai(2025, 9, 16, 10, 0))
            matter.notify_materials("身份证复印件、银行卡复印件", pause=True)
            self.assertEqual(matter.clock_paused_since, shanghai(2025, 9, 16, 10, 0))
            self.assertFalse(matter.next_followup_date)
            for moment in (FIRST_REMINDER, DEADLINE, RUNG_2):
                frozen.move_to(moment)
                self.sweep()
            self.assertFollowup(matter, 0, 0)
            self.assertFalse(matter.is_overdue)
            self.assertEqual(matter.closure_deadline, DEADLINE)

            # resumed on Friday 19 September 10:00: the 21 working hours it
            # stood still (6 + 7 + 7 + 1) move Thursday 17:30 to Tuesday 17:30
            frozen.move_to(shanghai(2025, 9, 19, 10, 0))
            with self.assertLogged(
                matter,
                expect_log(
                    "resume_clock",
                    self.staff_a1,
                    to_user=self.staff_a1,
                    state_to="in_progress",
                ),
            ):
                matter.action_resume_clock()
            new_deadline = shanghai(2025, 9, 23, 17, 30)
            self.assertRecordValues(
                matter,
                [
                    {
                        "clock_paused_since": False,
                        "closure_deadline": new_deadline,
                        "next_escalation_date": new_deadline,
                    }
                ],
            )
            self.assertIn(
                "2025-09-23 17:30", self.log_lines(matter, "resume_clock").reason
            )

            frozen.move_to(new_deadline - MINUTE)
            self.sweep()
            self.assertFalse(matter.is_overdue)
            self.assertFollowup(matter, 2, 0)
            frozen.move_to(new_deadline)
            self.sweep()
            self.assertTrue(matter.is_overdue)
            self.assertFollowup(matter, 2, 1)

    def test_complaint_clock_never_pauses(self):
        with freeze_time(REGISTERED):
            matter = self.register(
                self.staff_a1, kind="complaint", business_domain="complaint"
            )
            with self.assertRefused(matter):
                matter.notify_materials("投诉材料", pause=True)
        self.assertFalse(matter.clock_paused_since)
        self.assertFalse(self.policy_complaint.can_pause)


@tagged("post_install", "-at_install")
class TestFollowupDigest(FollowupCase):
    def test_each_person_gets_one_email_listing_the_matters_of_a_sweep(self):
        with freeze_time(REGISTERED) as frozen:
            mine = self.business() | self.business() | self.business()
            theirs = self.business(user=self.staff_a2)
            frozen.move_to(FIRST_REMINDER)
            self.env["mail.mail"].search([]).unlink()
            self.sweep()
        for matter in mine | theirs:
            self.assertEqual(len(self.activities(matter, "reminder")), 1)
        for user, matters in ((self.staff_a1, mine), (self.staff_a2, theirs)):
            mails = self.env["mail.mail"].search(
                [("recipient_ids", "in", user.partner_id.ids)]
            )
            self.assertEqual(len(mails), 1, user.name)
            for matter in matters:
                self.assertIn(matter.name, mails.body_html)
                # each to-do opens its matter
                self.assertIn(
                    f"/mail/view?model=shouwen.matter&amp;res_id={matter.id}",
                    mails.body_html,
                )
            self.assertNotIn(((mine | theirs) - matters)[:1].name, mails.body_html)

    def test_a_failing_mail_server_loses_no_step_and_no_email(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(FIRST_REMINDER)
            self.env["mail.mail"].search([]).unlink()
            self.sweep()
            mails = self.env["mail.mail"].search(
                [("recipient_ids", "in", self.staff_a1.partner_id.ids)]
            )
            self.assertEqual(len(mails), 1)
            MailServer = self.registry["ir.mail_server"]
            with patch.object(
                MailServer, "connect", side_effect=ConnectionRefusedError("smtp down")
            ):
                mails.send()
            # the email waits in the queue with the reason; the step is done
            self.assertEqual(mails.state, "exception")
            self.assertIn("smtp down", mails.failure_reason)
            self.assertFollowup(matter, 1, 0)
            self.assertFalse(matter.first_reminder_date)
            self.assertEqual(matter.next_followup_date, SECOND_REMINDER)
            # the next sweeps do not repeat it, the server back sends it
            self.sweep()
            self.assertFollowup(matter, 1, 0)
            mails.mark_outgoing()
            with (
                patch.object(MailServer, "connect", return_value=MagicMock()),
                patch.object(MailServer, "send_email", return_value="<sent@test>"),
            ):
                mails.send()
            self.assertFalse(mails.exists())  # sent, then deleted as asked


@tagged("post_install", "-at_install")
class TestFollowupOnce(FollowupCase):
    """Two sweeps at once, a sweep restarted after a failure, the automation
    rule and the sweep on the same matter: each step is done once."""

    def test_step_already_done_by_another_sweep_is_not_notified(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            # another server's sweep claimed these steps and has not committed
            # the matter yet: this transaction still sees them as due
            self.env["shouwen.followup"].create(
                [
                    {
                        "matter_id": matter.id,
                        "step": "closure_reminder_1",
                        "rung": 0,
                        "deadline": DEADLINE,
                    },
                    {
                        "matter_id": matter.id,
                        "step": "escalation",
                        "rung": 1,
                        "deadline": DEADLINE,
                    },
                ]
            )
            self.assertEqual(matter.first_reminder_date, FIRST_REMINDER)
            frozen.move_to(FIRST_REMINDER)
            self.sweep()
            self.assertFollowup(matter, 0, 0)
            self.assertFalse(matter.first_reminder_date)
            self.assertEqual(matter.next_followup_date, SECOND_REMINDER)

            frozen.move_to(SECOND_REMINDER)
            self.sweep()
            self.assertFollowup(matter, 1, 0)  # the second reminder was ours

            frozen.move_to(DEADLINE)
            self.sweep()
            self.assertFollowup(matter, 1, 0)  # the first rung was not
            self.assertEqual(matter.escalation_step, 1)
            self.assertEqual(matter.next_escalation_date, RUNG_2)

            frozen.move_to(RUNG_2)
            self.sweep()
            self.assertEqual(
                self.activities(matter, "escalation").user_id, self.sup_city_a
            )
            self.assertFollowup(matter, 1, 1)

    def test_failing_matter_does_not_stop_the_others_and_is_done_once_later(self):
        with freeze_time(REGISTERED) as frozen:
            first, failing, last = matters = (
                self.business() | self.business() | self.business()
            )
            Matter = self.registry["shouwen.matter"]
            remind = Matter._remind

            def broken_remind(record, step, deadline):
                if record == failing:
                    raise RuntimeError("mail server unreachable")
                return remind(record, step, deadline)

            frozen.move_to(FIRST_REMINDER)
            with (
                patch.object(Matter, "_remind", broken_remind),
                self.assertLogs(FOLLOWUP_LOGGER, logging.ERROR) as logged,
            ):
                self.assertEqual(self.sweep(), 3)
            self.assertEqual(len(logged.records), 1)
            self.assertIn(failing.name, logged.output[0])
            self.assertFollowup(first, 1, 0)
            self.assertFollowup(last, 1, 0)
            # the failing matter is left as it was: still due, nothing claimed
            self.assertFollowup(failing, 0, 0)
            self.assertEqual(failing.first_reminder_date, FIRST_REMINDER)
            self.assertEqual(failing.next_followup_date, FIRST_REMINDER)
            self.assertFalse(
                self.env["shouwen.followup"].search([("matter_id", "=", failing.id)])
            )

            # restarted once the cause is gone: the failing matter only
            self.assertEqual(self.sweep(), 1)
            self.assertEqual(self.sweep(), 0)
            for matter in matters:
                self.assertFollowup(matter, 1, 0)

    def test_failing_escalation_is_retried_once_without_repeating_the_others(self):
        with freeze_time(REGISTERED) as frozen:
            first, failing = self.business() | self.business()
            Matter = self.registry["shouwen.matter"]
            escalate = Matter._escalate

            def broken_escalate(record, rung):
                if record == failing:
                    raise RuntimeError("template error")
                return escalate(record, rung)

            frozen.move_to(DEADLINE)
            with (
                patch.object(Matter, "_escalate", broken_escalate),
                self.assertLogs(FOLLOWUP_LOGGER, logging.ERROR),
            ):
                self.sweep()
            self.assertFollowup(first, 0, 1)
            self.assertFollowup(failing, 0, 0)
            self.assertRecordValues(
                failing,
                [{"is_overdue": False, "escalation_step": 0}],
            )
            self.sweep()
            self.sweep()
            self.assertFollowup(first, 0, 1)
            self.assertFollowup(failing, 0, 1)
            self.assertEqual(failing.escalation_step, 1)

    def test_running_the_due_steps_twice_notifies_once(self):
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(FIRST_REMINDER)
            matter._run_followups()
            matter._run_followups()
            self.assertFollowup(matter, 1, 0)
            frozen.move_to(SECOND_REMINDER)
            matter._run_followups()
            matter._run_followups()
            self.assertFollowup(matter, 2, 0)
            frozen.move_to(DEADLINE)
            matter._run_followups()
            matter._run_followups()
            self.assertFollowup(matter, 2, 1)
            self.assertEqual(matter.escalation_step, 1)

    def test_automation_rules_run_the_same_steps_once(self):
        fields_by_step = {
            "response_reminder": "response_reminder_date",
            "closure_reminder_1": "first_reminder_date",
            "closure_reminder_2": "second_reminder_date",
            "escalation": "next_escalation_date",
        }
        for step, fname in fields_by_step.items():
            automation = self.env.ref(
                f"shouwen_responsibility.base_automation_followup_{step}"
            )
            self.assertRecordValues(
                automation,
                [
                    {
                        "trigger": "on_time",
                        "active": True,
                        "model_name": "shouwen.matter",
                    }
                ],
            )
            self.assertEqual(automation.trg_date_id.name, fname)
            self.assertIn(f"_followup('{step}')", automation.action_server_ids.code)
        cron = self.env.ref("shouwen_responsibility.ir_cron_shouwen_followup_sweep")
        self.assertEqual(cron.code.strip(), "model._cron_followup_sweep()")

        escalation = self.env.ref(
            "shouwen_responsibility.base_automation_followup_escalation"
        )
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(DEADLINE)
            escalation._process(matter)
            escalation._process(matter)
            # the second call must not climb to the city: rung 2 is not due
            self.assertEqual(self.activities(matter, "escalation").user_id, self.sup_a1)
            self.assertFollowup(matter, 0, 1)
            self.assertEqual(matter.escalation_step, 1)
            # and the sweep after the rule: nothing more
            self.sweep()
            self.assertFollowup(matter, 0, 1)


@tagged("post_install", "-at_install")
class TestOdoosAutomationCron(FollowupCase):
    """Odoo's own cron over the time-based rules ("Automation rules: check
    and execute") gives the addon's follow-up rules only the matters whose
    follow-up is due, not every open matter (a province has a million)."""

    def test_the_rules_read_only_the_matters_due(self):
        Matter = self.env["shouwen.matter"]
        found = []
        search = type(Matter).search

        def counting_search(records, domain, *args, **kwargs):
            result = search(records, domain, *args, **kwargs)
            if records._name == "shouwen.matter" and "clock_paused_since" in str(
                domain
            ):
                found.append(len(result))
            return result

        with freeze_time(REGISTERED) as frozen:
            due = self.business()
            # 2,000 open matters registered a day later: their clock runs
            # (the rules' filter matches them) but nothing of theirs is due
            frozen.move_to(REGISTERED + timedelta(days=1))
            values = self._matter_values(kind="business", business_domain="claims")
            others = Matter.with_user(self.staff_a1).create(
                [dict(values) for _i in range(2000)]
            )
            self.assertEqual(
                Matter.search_count(
                    [("clock_paused_since", "=", False), ("is_open", "=", True)]
                ),
                Matter.search_count([("is_open", "=", True)]),
            )
            frozen.move_to(FIRST_REMINDER + MINUTE)
            self.env["base.automation"].search([]).last_run = REGISTERED
            with patch.object(type(Matter), "search", counting_search):
                self.env["base.automation"]._check()
            self.assertFollowup(due, 1, 0)
            self.assertFalse(self.activities(others[0], "reminder"))
        self.assertTrue(found, "the follow-up rules searched the matters")
        self.assertLessEqual(max(found), 1, "only the due matter is read")


@tagged("post_install", "-at_install")
class TestTheSystemsLanguage(FollowupCase):
    """The sweep runs as Odoo's cron runner calls it: as the system
    (OdooBot), with no language.  What it writes into a matter — the notes,
    the to-dos' summaries, the tracked changes — is in the insurer's language
    (the company contact's, else Chinese when installed), and it urges in the
    name of 系统, not of OdooBot."""

    def test_the_sweep_writes_in_chinese_and_urges_as_the_system(self):
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.env["res.lang"]._activate_lang("zh_CN")
            self.env.ref("base.module_shouwen_responsibility")._update_translations(
                ["zh_CN"]
            )
        self.env.company.partner_id.lang = "en_US"  # as Odoo creates it
        self.assertEqual(self.env.company._shouwen_lang(), "zh_CN")
        self.staff_a1.lang = "en_US"  # the recipient reads English
        system = self.env(user=SUPERUSER_ID, context={})
        self.assertIsNone(system.lang)
        with freeze_time(REGISTERED) as frozen:
            matter = self.business()
            frozen.move_to(matter.auto_urge_date)
            while system["shouwen.matter"]._cron_followup_sweep():
                pass
        messages = matter.message_ids
        urged = messages.filtered(lambda m: "催办" in (m.body or ""))
        self.assertTrue(urged, "the system's urging note is in Chinese")
        self.assertIn("系统催办", urged[0].body)
        self.assertNotIn("OdooBot", "".join(messages.mapped("body")))
        # the recipient's own to-do speaks the recipient's language
        urge = self.activities(matter, "urge", self.staff_a1)
        self.assertTrue(urge)
        self.assertNotRegex(urge[0].summary, "[\u4e00-\u9fff]")

    def test_a_declared_company_language_wins(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env.company.partner_id.lang = "zh_TW"
        self.assertEqual(self.env.company._shouwen_lang(), "zh_TW")
        self.env.company.partner_id.lang = "en_US"
        self.assertIn(self.env.company._shouwen_lang(), ("zh_CN", "en_US"))
        self.assertEqual(
            self.env.company._shouwen_lang(),
            "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else "en_US",
        )
