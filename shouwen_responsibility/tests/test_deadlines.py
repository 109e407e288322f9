# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Deadlines on the statutory calendar: the ``chinese_calendar`` library for
2025 and 2026 (National Day 2025: 1–8 October off, Sunday 28 September and
Saturday 11 October worked; 2026: 1–7 October and Mid-Autumn Friday 25
September off, Sunday 20 September and Saturday 10 October worked), the
administrator's days for 2027, which the library does not know.

Working hours 09:00–12:00 and 13:30–17:30 in Shanghai; every moment below is
written as read on a Shanghai clock (:func:`shanghai`)."""

import doctest
import logging

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools import clock, deadline
from .common import ShouwenClockCase, shanghai

CALENDAR_LOGGER = "odoo.addons.shouwen_responsibility.models.shouwen_calendar_day"


@tagged("post_install", "-at_install")
class TestDeadlines(ShouwenClockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the days these tests enter: none from the database
        days = cls.env["shouwen.calendar.day"].search([])
        if days:
            days.unlink()

    def business(self, user=None, **values):
        values.setdefault("kind", "business")
        values.setdefault("business_domain", "underwriting")
        return self.register(user or self.staff_a1, **values)

    def add_day(self, day, day_type, name):
        """The administrator enters a day of the statutory calendar."""
        return (
            self.env["shouwen.calendar.day"]
            .with_user(self.manager)
            .create({"date": day, "day_type": day_type, "name": name})
        )

    # ------------------------------------------------------------------
    # the statutory calendar of the library
    # ------------------------------------------------------------------

    @freeze_time(shanghai(2025, 9, 30, 10, 0))
    def test_business_before_national_day_is_due_after_it_on_the_make_up_saturday(
        self,
    ):
        matter = self.business()
        # working days: Tuesday 30 September (day 0), then Thursday 9, Friday 10
        # and the make-up Saturday 11 October
        self.assertRecordValues(
            matter,
            [
                {
                    "policy_id": self.policy_business.id,
                    "clock_start": shanghai(2025, 9, 30, 10, 0),
                    "response_deadline": shanghai(2025, 10, 9, 17, 30),
                    "closure_deadline": shanghai(2025, 10, 11, 17, 30),
                    "is_overdue": False,
                    "escalation_step": 0,
                }
            ],
        )

    def test_query_at_17_00_is_due_at_09_30_on_the_next_working_day(self):
        for registered, response, closure in (
            # Friday before a make-up Sunday
            (
                shanghai(2025, 9, 26, 17, 0),
                shanghai(2025, 9, 28, 9, 30),
                shanghai(2025, 9, 28, 17, 30),
            ),
            # the eve of National Day
            (
                shanghai(2025, 9, 30, 17, 0),
                shanghai(2025, 10, 9, 9, 30),
                shanghai(2025, 10, 9, 17, 30),
            ),
            # Thursday before Mid-Autumn 2026 and its weekend
            (
                shanghai(2026, 9, 24, 17, 0),
                shanghai(2026, 9, 28, 9, 30),
                shanghai(2026, 9, 28, 17, 30),
            ),
        ):
            with self.subTest(registered=registered), freeze_time(registered):
                matter = self.register(self.staff_a2, kind="query")
                self.assertRecordValues(
                    matter,
                    [
                        {
                            "policy_id": self.policy_query.id,
                            "response_deadline": response,
                            "closure_deadline": closure,
                        }
                    ],
                )

    @freeze_time(shanghai(2025, 9, 30, 10, 0))
    def test_complaint_counts_fifteen_calendar_days_through_the_holiday(self):
        matter = self.register(
            self.staff_a1, kind="complaint", business_domain="complaint"
        )
        self.assertRecordValues(
            matter,
            [
                {
                    "policy_id": self.policy_complaint.id,
                    "closure_deadline": shanghai(2025, 10, 15, 23, 59, 59),
                    # the acknowledgement counts working days
                    "response_deadline": shanghai(2025, 10, 9, 17, 30),
                }
            ],
        )

    def test_consultation_is_closed_the_same_working_day(self):
        for registered, closure in (
            (shanghai(2025, 9, 10, 10, 0), shanghai(2025, 9, 10, 17, 30)),
            # the last minute of the working day still belongs to it
            (shanghai(2025, 9, 10, 17, 30), shanghai(2025, 9, 10, 17, 30)),
            # after the working hours: the next working day
            (shanghai(2025, 9, 10, 17, 31), shanghai(2025, 9, 11, 17, 30)),
            (shanghai(2025, 9, 30, 18, 0), shanghai(2025, 10, 9, 17, 30)),
        ):
            with self.subTest(registered=registered), freeze_time(registered):
                matter = self.register(self.staff_a1, kind="consult")
                self.assertRecordValues(
                    matter,
                    [
                        {
                            "closure_deadline": closure,
                            # answered on the spot: no separate response limit
                            "response_deadline": False,
                            "response_reminder_date": False,
                        }
                    ],
                )

    def test_registered_on_a_holiday_counts_from_the_next_working_day(self):
        for registered, response, closure in (
            # National Day 2025: Thursday 9, Friday 10, Saturday 11, Monday 13
            (
                shanghai(2025, 10, 2, 10, 0),
                shanghai(2025, 10, 10, 17, 30),
                shanghai(2025, 10, 13, 17, 30),
            ),
            # an ordinary Saturday: Monday is day 0
            (
                shanghai(2025, 9, 13, 10, 0),
                shanghai(2025, 9, 16, 17, 30),
                shanghai(2025, 9, 18, 17, 30),
            ),
            # Mid-Autumn 2026: Monday 28 is day 0, then 29, 30 and Thursday 8
            # October after National Day
            (
                shanghai(2026, 9, 25, 10, 0),
                shanghai(2026, 9, 29, 17, 30),
                shanghai(2026, 10, 8, 17, 30),
            ),
        ):
            with self.subTest(registered=registered), freeze_time(registered):
                matter = self.business()
                self.assertRecordValues(
                    matter,
                    [{"response_deadline": response, "closure_deadline": closure}],
                )

    @freeze_time(shanghai(2026, 9, 30, 10, 0))
    def test_2026_national_day_ends_on_the_make_up_saturday(self):
        matter = self.business()
        # Wednesday 30 September, Thursday 8, Friday 9, Saturday 10 October
        self.assertEqual(matter.closure_deadline, shanghai(2026, 10, 10, 17, 30))
        self.assertEqual(matter.response_deadline, shanghai(2026, 10, 8, 17, 30))

    @freeze_time(shanghai(2025, 9, 10, 10, 0))
    def test_new_working_hours_apply_to_the_next_registration(self):
        """The calendar is kept between requests; the administrator's change of
        the working hours or the time zone reaches the next deadline."""
        resource = self.env.ref("shouwen_responsibility.resource_calendar_shouwen")
        self.assertEqual(
            self.register(self.staff_a1, kind="consult").closure_deadline,
            shanghai(2025, 9, 10, 17, 30),
        )
        # the afternoons end at 17:00 from now on
        resource.attendance_ids.filtered(lambda a: a.hour_to == 17.5).write(
            {"hour_to": 17.0}
        )
        self.assertEqual(
            self.register(self.staff_a1, kind="consult").closure_deadline,
            shanghai(2025, 9, 10, 17, 0),
        )
        # mornings only, 09:00-11:00, lines entered anew
        resource.attendance_ids.unlink()
        resource.write(
            {
                "attendance_ids": [
                    Command.create(
                        {
                            "name": "上午",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 11,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ]
            }
        )
        self.assertEqual(
            self.register(self.staff_a1, kind="consult").closure_deadline,
            shanghai(2025, 9, 10, 11, 0),
        )
        # Urumqi time: 10:00 in Shanghai is 08:00 there, before the morning
        resource.tz = "Asia/Urumqi"
        self.assertEqual(
            self.register(self.staff_a1, kind="consult").closure_deadline,
            shanghai(2025, 9, 10, 13, 0),
        )

    # ------------------------------------------------------------------
    # the administrator's days
    # ------------------------------------------------------------------

    @freeze_time(shanghai(2025, 9, 30, 10, 0))
    def test_override_of_a_known_year_changes_the_open_deadlines(self):
        matter = self.business()
        self.assertEqual(matter.closure_deadline, shanghai(2025, 10, 11, 17, 30))
        saturday = self.add_day("2025-10-11", "holiday", "调休取消（测试）")
        self.assertEqual(matter.closure_deadline, shanghai(2025, 10, 13, 17, 30))
        saturday.with_user(self.manager).unlink()
        self.assertEqual(matter.closure_deadline, shanghai(2025, 10, 11, 17, 30))

    def test_2027_falls_back_to_weekdays_and_follows_the_administrators_days(self):
        with self.assertLogs(CALENDAR_LOGGER, logging.WARNING) as logged:
            with freeze_time(shanghai(2027, 1, 8, 10, 0)):
                business = self.business()
            with freeze_time(shanghai(2027, 1, 11, 10, 0)):
                consult = self.register(self.staff_a1, kind="consult")
                # no day entered: Monday to Friday
                self.assertEqual(
                    consult.closure_deadline, shanghai(2027, 1, 11, 17, 30)
                )
                # Friday 8, Monday 11, Tuesday 12, Wednesday 13
                self.assertEqual(
                    business.closure_deadline, shanghai(2027, 1, 13, 17, 30)
                )

                monday = self.add_day("2027-01-11", "holiday", "测试假日")
                self.assertEqual(
                    consult.closure_deadline, shanghai(2027, 1, 12, 17, 30)
                )
                self.assertEqual(
                    business.closure_deadline, shanghai(2027, 1, 14, 17, 30)
                )
                self.assertEqual(
                    business.next_escalation_date, shanghai(2027, 1, 14, 17, 30)
                )

                self.add_day("2027-01-09", "workday", "测试调休")
                # Friday 8, Saturday 9, Tuesday 12, Wednesday 13
                self.assertEqual(
                    business.closure_deadline, shanghai(2027, 1, 13, 17, 30)
                )
                self.assertEqual(
                    consult.closure_deadline, shanghai(2027, 1, 12, 17, 30)
                )

                monday.with_user(self.manager).write({"day_type": "workday"})
                # Friday 8, Saturday 9, Monday 11, Tuesday 12
                self.assertEqual(
                    business.closure_deadline, shanghai(2027, 1, 12, 17, 30)
                )
                self.assertEqual(
                    consult.closure_deadline, shanghai(2027, 1, 11, 17, 30)
                )
        self.assertIn("2027", logged.output[0])

    # ------------------------------------------------------------------
    # a year the library does not know: visible, not silent
    # ------------------------------------------------------------------

    def fresh_calendar(self):
        """Forget the kept calendar: its warning about an unknown year is
        logged once per calendar."""
        self.env.registry.clear_cache()

    def test_the_fallback_knows_new_years_day_and_the_deadline_is_provisional(self):
        self.fresh_calendar()
        with self.assertLogs(CALENDAR_LOGGER, logging.WARNING):
            with freeze_time(shanghai(2026, 12, 31, 10, 0)):
                # Thursday 31 December 2026 (known), one working day: not
                # Friday 1 January 2027 (元旦), nor the weekend: Monday 4
                query = self.register(self.staff_a1, kind="query")
        self.assertEqual(query.closure_deadline, shanghai(2027, 1, 4, 17, 30))
        # the response is due on 31 December, the closure in 2027, which
        # nobody entered yet
        self.assertEqual(query.response_deadline, shanghai(2026, 12, 31, 11, 0))
        self.assertTrue(query.deadline_provisional)
        # the administrator enters 2027's New Year's Day: the year is known,
        # the deadline stays where it was and is no longer provisional
        self.add_day("2027-01-01", "holiday", "元旦")
        self.assertEqual(query.closure_deadline, shanghai(2027, 1, 4, 17, 30))
        self.assertFalse(query.deadline_provisional)
        # a further day entered moves the open matter's deadline
        self.add_day("2027-01-04", "holiday", "测试假日")
        self.assertEqual(query.closure_deadline, shanghai(2027, 1, 5, 17, 30))

    def test_the_fallback_knows_national_day_and_labour_day(self):
        self.fresh_calendar()
        with self.assertLogs(CALENDAR_LOGGER, logging.WARNING):
            # Friday 29 September 2028: Saturday, Sunday 1 October, then
            # Monday 2 and Tuesday 3 October (国庆节) off: Wednesday 4
            with freeze_time(shanghai(2028, 9, 29, 10, 0)):
                national = self.register(self.staff_a1, kind="query")
            # Friday 30 April 2027, three working days: Monday 3 May, not
            # Saturday 1 May (劳动节 on a weekend), Tuesday 4, Wednesday 5
            with freeze_time(shanghai(2027, 4, 30, 10, 0)):
                labour = self.business()
        self.assertEqual(national.closure_deadline, shanghai(2028, 10, 4, 17, 30))
        self.assertEqual(labour.closure_deadline, shanghai(2027, 5, 5, 17, 30))
        self.assertTrue(national.deadline_provisional)
        self.assertTrue(labour.deadline_provisional)

    @freeze_time(shanghai(2025, 9, 30, 10, 0))
    def test_a_deadline_in_a_known_year_is_not_provisional(self):
        self.assertFalse(self.business().deadline_provisional)

    def calendar_activities(self, user):
        calendar = self.env["shouwen.work.calendar"]
        return self.env["mail.activity"].search(
            [
                ("user_id", "=", user.id),
                ("res_model", "=", "resource.calendar"),
                ("res_id", "=", calendar._resource_calendar_id()),
            ]
        )

    def test_from_november_the_administrators_are_told_once_about_next_year(self):
        Calendar = self.env["shouwen.work.calendar"]
        Day = self.env["shouwen.calendar.day"].with_user(self.manager)
        # 31 October 2026 (Shanghai): 2026 is known, 2027 not asked for yet
        with freeze_time(shanghai(2026, 10, 31, 23, 0)):
            self.assertFalse(Calendar._cron_check_next_year())
            self.assertFalse(Day.get_calendar_banner())
        self.assertFalse(self.calendar_activities(self.manager))
        # 1 November: one activity for each administrator, a banner
        with freeze_time(shanghai(2026, 11, 1, 0, 30)):
            self.assertTrue(Calendar._cron_check_next_year())
            self.assertIn("2027", Day.get_calendar_banner())
        activity = self.calendar_activities(self.manager)
        self.assertEqual(len(activity), 1)
        self.assertIn("2027", activity.summary)
        # nobody else but the administrators
        self.assertFalse(self.calendar_activities(self.sup_province))
        self.assertFalse(self.calendar_activities(self.staff_a1))
        # the next days: not again, even once the activity is done
        with freeze_time(shanghai(2026, 11, 2, 0, 30)):
            self.assertFalse(Calendar._cron_check_next_year())
        self.assertEqual(len(self.calendar_activities(self.manager)), 1)
        # the administrator marks it done from their systray
        activity.with_user(self.manager).action_feedback(feedback="已录入")
        with freeze_time(shanghai(2026, 11, 3, 0, 30)):
            self.assertFalse(Calendar._cron_check_next_year())
        self.assertFalse(self.calendar_activities(self.manager))

    def test_entering_next_years_days_ends_the_banner_and_the_activity(self):
        Day = self.env["shouwen.calendar.day"].with_user(self.manager)
        with freeze_time(shanghai(2026, 11, 20, 10, 0)):
            self.env["shouwen.work.calendar"]._cron_check_next_year()
            self.assertTrue(self.calendar_activities(self.manager))
            self.add_day("2027-01-01", "holiday", "元旦")
            self.assertFalse(Day.get_calendar_banner())
        self.assertFalse(self.calendar_activities(self.manager))

    def test_only_the_administrator_enters_calendar_days(self):
        Day = self.env["shouwen.calendar.day"]
        for user in (self.staff_a1, self.sup_province):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                Day.with_user(user).create(
                    {"date": "2027-01-11", "day_type": "holiday"}
                )
        self.assertFalse(Day.search([("date", "=", "2027-01-11")]))

    # ------------------------------------------------------------------
    # policies
    # ------------------------------------------------------------------

    @freeze_time(shanghai(2025, 9, 15, 10, 0))
    def test_most_specific_policy_wins(self):
        phone_queries = (
            self.env["shouwen.time.policy"]
            .with_user(self.manager)
            .create(
                {
                    "name": "电话查询（测试）",
                    "kind": "query",
                    "channel": "phone",
                    "response_amount": 2,
                    "response_unit": "working_hours",
                    "closure_amount": 2,
                    "closure_unit": "working_days",
                    "escalation_step_ids": [
                        Command.create({"level": "unit", "delay_amount": 0})
                    ],
                }
            )
        )
        by_phone = self.register(self.staff_a2, kind="query", channel="phone")
        at_counter = self.register(self.staff_a2, kind="query", channel="counter")
        self.assertRecordValues(
            by_phone | at_counter,
            [
                {
                    "policy_id": phone_queries.id,
                    "response_deadline": shanghai(2025, 9, 15, 12, 0),
                    "closure_deadline": shanghai(2025, 9, 17, 17, 30),
                },
                {
                    "policy_id": self.policy_query.id,
                    "response_deadline": shanghai(2025, 9, 15, 11, 0),
                    "closure_deadline": shanghai(2025, 9, 16, 17, 30),
                },
            ],
        )
        # neither criterion alone is enough
        other_kind = self.business(channel="phone")
        self.assertEqual(other_kind.policy_id, self.policy_business)

    def test_editing_a_closure_limit_recomputes_the_open_matters(self):
        with freeze_time(shanghai(2025, 9, 15, 10, 0)) as frozen:
            running = self.business()
            answered = self.business()
            answered.answer("已办理", "phone")
            frozen.move_to(shanghai(2025, 9, 16, 10, 0))
            self.policy_business.with_user(self.manager).closure_amount = 5
        # Monday 15 (day 0), then 16, 17, 18, 19 and Monday 22 September
        self.assertRecordValues(
            running,
            [
                {
                    "clock_start": shanghai(2025, 9, 15, 10, 0),
                    "closure_deadline": shanghai(2025, 9, 22, 17, 30),
                    "next_escalation_date": shanghai(2025, 9, 22, 17, 30),
                }
            ],
        )
        # an answered matter is judged on the limit it had
        self.assertEqual(answered.closure_deadline, shanghai(2025, 9, 18, 17, 30))

    # ------------------------------------------------------------------
    # the clock through the life of a matter
    # ------------------------------------------------------------------

    def test_returned_matter_keeps_its_clock(self):
        with freeze_time(shanghai(2025, 9, 15, 10, 0)) as frozen:
            matter = self.business(business_domain="claims")
            frozen.move_to(shanghai(2025, 9, 15, 11, 0))
            matter.guide(self.staff_a2, note="理赔岗办理")
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 18, 17, 30))
            frozen.move_to(shanghai(2025, 9, 16, 10, 0))
            matter.with_user(self.staff_a2).return_guide("非本岗职责")
            self.assertRecordValues(
                matter,
                [
                    {
                        "state": "returned",
                        "clock_start": shanghai(2025, 9, 15, 10, 0),
                        "closure_deadline": shanghai(2025, 9, 18, 17, 30),
                        "next_escalation_date": shanghai(2025, 9, 18, 17, 30),
                    }
                ],
            )
            # guided again and accepted: still the first clock
            matter.guide(self.staff_b1, note="转乙一支公司")
            matter.with_user(self.staff_b1).action_accept()
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 18, 17, 30))

    def test_reopened_matter_gets_a_new_clock(self):
        with freeze_time(shanghai(2025, 9, 15, 10, 0)) as frozen:
            matter = self.business()
            matter.action_handle()
            frozen.move_to(shanghai(2025, 9, 18, 17, 30))
            self.sweep()
            self.assertRecordValues(
                matter, [{"is_overdue": True, "escalation_step": 1}]
            )
            frozen.move_to(shanghai(2025, 9, 19, 10, 0))
            matter.answer("已办理", "phone")
            frozen.move_to(shanghai(2025, 9, 22, 10, 0))
            matter.reopen("客户不满意")
            # Monday 22 (day 0), 23, 24, 25 September
            self.assertRecordValues(
                matter,
                [
                    {
                        "state": "reopened",
                        "clock_start": shanghai(2025, 9, 22, 10, 0),
                        "closure_deadline": shanghai(2025, 9, 25, 17, 30),
                        "response_deadline": shanghai(2025, 9, 16, 17, 30),
                        "is_overdue": False,
                        "escalation_step": 0,
                        "next_escalation_date": shanghai(2025, 9, 25, 17, 30),
                    }
                ],
            )
            # a later recomputation counts from the new clock
            self.policy_business.with_user(self.manager).closure_amount = 4
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 26, 17, 30))

    @freeze_time(shanghai(2025, 9, 15, 10, 0))
    def test_reclassifying_the_kind_recomputes_the_deadlines(self):
        matter = self.register(self.staff_a1, kind="consult")
        self.assertRecordValues(
            matter,
            [
                {
                    "policy_id": self.env.ref(
                        "shouwen_responsibility.shouwen_time_policy_consult"
                    ).id,
                    "closure_deadline": shanghai(2025, 9, 15, 17, 30),
                    "response_deadline": False,
                }
            ],
        )
        matter.reclassify("客户要求办理批改", kind="business")
        self.assertRecordValues(
            matter,
            [
                {
                    "policy_id": self.policy_business.id,
                    "closure_deadline": shanghai(2025, 9, 18, 17, 30),
                    "response_deadline": shanghai(2025, 9, 16, 17, 30),
                }
            ],
        )
        matter.reclassify("客户表示要投诉", kind="complaint")
        self.assertRecordValues(
            matter,
            [
                {
                    "policy_id": self.policy_complaint.id,
                    "closure_deadline": shanghai(2025, 9, 30, 23, 59, 59),
                }
            ],
        )

    def test_resumed_matter_keeps_its_paused_time_when_deadlines_are_recomputed(
        self,
    ):
        with freeze_time(shanghai(2025, 9, 15, 10, 0)) as frozen:
            matter = self.business()
            matter.action_handle()
            frozen.move_to(shanghai(2025, 9, 16, 10, 0))
            matter.notify_materials("身份证复印件", pause=True)
            frozen.move_to(shanghai(2025, 9, 19, 10, 0))
            matter.action_resume_clock()
            # 21 working hours stood still: Thursday 18 becomes Tuesday 23
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 23, 17, 30))
            # the administrator enters a day that does not concern it
            self.add_day("2025-12-31", "holiday", "测试假日")
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 23, 17, 30))

    def test_reopened_matter_runs_a_new_clock_even_if_answered_while_paused(self):
        with freeze_time(shanghai(2025, 9, 15, 10, 0)) as frozen:
            matter = self.business()
            matter.action_handle()
            matter.notify_materials("户口簿复印件", pause=True)
            frozen.move_to(shanghai(2025, 9, 17, 10, 0))
            # the customer never came back: answered as it stands
            matter.answer("材料未补齐，已告知客户", "phone")
            frozen.move_to(shanghai(2025, 9, 22, 10, 0))
            matter.reopen("客户补齐材料后要求重办")
            self.assertRecordValues(
                matter,
                [
                    {
                        "clock_start": shanghai(2025, 9, 22, 10, 0),
                        "closure_deadline": shanghai(2025, 9, 25, 17, 30),
                        "clock_paused_since": False,
                        "next_escalation_date": shanghai(2025, 9, 25, 17, 30),
                    }
                ],
            )

    # ------------------------------------------------------------------
    # the arithmetic itself
    # ------------------------------------------------------------------

    def test_deadline_doctests(self):
        result = doctest.testmod(deadline, optionflags=doctest.ELLIPSIS)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_clock_doctests(self):
        result = doctest.testmod(clock, optionflags=doctest.ELLIPSIS)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)
