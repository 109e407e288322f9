# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What managers measure, on a small set computed by hand.

Every matter is registered on Monday 3 November 2025 at 10:00 (Shanghai),
but the last one, registered on Monday 10 November at 9:00; the figures are
read on Monday 10 November at 10:00.  Working hours: 9:00–12:00 and
13:30–17:30.  A business matter must be closed within three working days
(Thursday 17:30), a status query within one (Tuesday 17:30).

=====  ======  ========  ======================================  ========
matter  unit   kind      what happened                           hours
=====  ======  ========  ======================================  ========
m1      A1     business  closed Tue 10:00, in time               2+4+1=7
m2      A1     business  closed Fri 10:00, late                  6+7+7+7+1=28
m3      A1     business  returned once, open, overdue 3 d 16.5 h
m4      A2     query     closed Mon 11:00, in time               1
m5      B1     business  registered 10 Nov, open, not overdue
=====  ======  ========  ======================================  ========

按时办结率 (on-time closure rate) = closed in time ÷ (closed + open past the
deadline): A1 1 ÷ (2 + 1) = 33.3 %, not 50 % (m3 is open and overdue and
counts against it); city A (m1, m4 in time) 2 ÷ (3 + 1) = 50 %; B1 has
nothing due yet (m5 open, not overdue): no rate, not 0 % and not 100 %.

A period counts what happened in it.  Monday 3 to Wednesday 5 November: m1–m4
received, m4 and m1 closed in time: 2 ÷ 2 = 100 %.  Thursday 6 to Sunday 9:
nothing received, m2 closed late, m3's deadline passed (Thursday 17:30) with
m3 open: 0 ÷ (1 + 1) = 0 %.
"""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShouwenClockCase, shanghai
from .test_complaints import ComplaintCase

MONDAY_10 = shanghai(2025, 11, 3, 10, 0)
NOW = shanghai(2025, 11, 10, 10, 0)
BUSINESS = {"kind": "business", "business_domain": "underwriting"}


def close(matter):
    matter.answer("已电话告知客户", "phone")
    matter.action_close()


class FiguresCase(ShouwenClockCase):
    """The matters of the table above."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        register = cls.register
        with freeze_time(MONDAY_10):
            cls.m1 = register(cls.staff_a1, subject="m1", **BUSINESS)
            cls.m2 = register(cls.staff_a1, subject="m2", channel="phone", **BUSINESS)
            cls.m3 = register(cls.staff_a1, subject="m3", **BUSINESS)
            cls.m4 = register(cls.staff_a2, subject="m4", kind="query")
            for matter in (cls.m1, cls.m2, cls.m4):
                matter.action_handle()
            cls.m3.guide(cls.staff_a2, note="请协助办理")
            cls.m3.with_user(cls.staff_a2).return_guide("不属于本岗位", "wrong_unit")
        with freeze_time(shanghai(2025, 11, 3, 11, 0)):
            close(cls.m4)
        with freeze_time(shanghai(2025, 11, 4, 10, 0)):
            close(cls.m1)
        with freeze_time(shanghai(2025, 11, 7, 10, 0)):
            close(cls.m2)
        with freeze_time(shanghai(2025, 11, 10, 9, 0)):
            cls.m5 = register(cls.staff_b1, subject="m5", **BUSINESS)
        cls.matters = cls.m1 | cls.m2 | cls.m3 | cls.m4 | cls.m5
        Finding = cls.env["shouwen.finding"]
        Finding._propose(
            [Finding._fact_values("overdue_closure", cls.m2, cls.staff_a1, "超期办结")]
        )


@tagged("post_install", "-at_install")
class TestFigures(FiguresCase):
    def figures(self, user, groupby, domain=()):
        with freeze_time(NOW):
            return (
                self.env["shouwen.matter.report"]
                .with_user(user)
                ._figures([("matter_id", "in", self.matters.ids), *domain], groupby)
            )

    def test_the_handling_time_is_counted_in_working_hours(self):
        matters = (self.m1 | self.m2 | self.m4 | self.m3).sudo()
        self.assertEqual(matters.mapped("handling_hours"), [7.0, 28.0, 1.0, 0.0])

    def test_figures_per_unit(self):
        figures = self.figures(self.sup_province, "unit_id")
        self.assertEqual(set(figures), {self.county_a1, self.county_a2, self.county_b1})
        self.assertEqual(
            figures[self.county_a1],
            {
                "received": 3,
                "closed": 2,
                "open": 1,
                "overdue": 1,
                # 1 in time ÷ (2 closed + 1 open overdue)
                "on_time_rate": 33.3,
                "avg_hours": 17.5,
                # percentile_cont: 7 + 0.9 × (28 − 7)
                "p90_hours": 25.9,
                "max_overdue_days": 3.7,
                "returns": 1,
                "return_rate": 33.3,
                "extensions": 0,
                "satisfaction_rate": None,
                "repeats": 0,
                "callbacks": 0,
                # nothing reopened ÷ 2 closed
                "reworked": 0,
                "rework_rate": 0.0,
                "findings": {"overdue": 1},
            },
        )
        self.assertEqual(
            figures[self.county_b1],
            {
                "received": 1,
                "closed": 0,
                "open": 1,
                "overdue": 0,
                "on_time_rate": None,
                "avg_hours": None,
                "p90_hours": None,
                "max_overdue_days": None,
                "returns": 0,
                "return_rate": 0.0,
                "extensions": 0,
                "satisfaction_rate": None,
                "repeats": 0,
                "callbacks": 0,
                "reworked": 0,
                "rework_rate": None,
                "findings": {},
            },
        )

    def test_figures_roll_up_to_the_city(self):
        figures = self.figures(self.sup_province, "city_unit_id")
        city_a = figures[self.city_a]
        self.assertEqual(
            (city_a["received"], city_a["closed"], city_a["open"]), (4, 3, 1)
        )
        # m1, m4 in time ÷ (m1, m2, m4 closed + m3 open overdue) = 2 ÷ 4;
        # (7 + 28 + 1) / 3; 7 + 0.8 × (28 − 7)
        self.assertEqual(city_a["on_time_rate"], 50.0)
        self.assertEqual(city_a["avg_hours"], 12.0)
        self.assertEqual(city_a["p90_hours"], 23.8)
        self.assertEqual(city_a["findings"], {"overdue": 1})
        self.assertEqual(figures[self.city_b]["received"], 1)
        province = self.figures(self.sup_province, "province_unit_id")[self.province]
        self.assertEqual(province["received"], 5)
        self.assertEqual(province["overdue"], 1)

    def test_the_provinces_own_matters_roll_up_under_the_province(self):
        with freeze_time(shanghai(2025, 11, 10, 10, 0)):
            own = self.register(self.sup_province, subject="本级", **BUSINESS)
        self.assertEqual(own.sudo().unit_id, self.province)
        self.matters |= own
        figures = self.figures(self.sup_province, "city_unit_id")
        # a row of the province's name, not an empty city
        self.assertEqual(set(figures), {self.city_a, self.city_b, self.province})
        self.assertEqual(figures[self.province]["received"], 1)
        self.assertEqual(figures[self.city_a]["received"], 4)

    def test_an_open_overdue_matter_counts_against_the_on_time_rate(self):
        # A1 at NOW: m1 in time, m2 late, m3 open and overdue since Thursday
        figures = self.figures(self.sup_province, "unit_id")[self.county_a1]
        self.assertEqual((figures["closed"], figures["overdue"]), (2, 1))
        # 1 ÷ (2 + 1), where counting the closed ones only would give 50 %
        self.assertEqual(figures["on_time_rate"], 33.3)
        # read on Thursday at noon, m3 is not past its deadline (Thursday
        # 17:30) yet: it does not count, 1 ÷ (2 + 0)
        with freeze_time(shanghai(2025, 11, 6, 12, 0)):
            earlier = (
                self.env["shouwen.matter.report"]
                .with_user(self.sup_province)
                ._figures([("matter_id", "in", self.matters.ids)], "unit_id")
            )
        self.assertEqual(earlier[self.county_a1]["on_time_rate"], 50.0)
        self.assertEqual(earlier[self.county_a1]["overdue"], 0)

    def test_a_reopened_matter_counts_for_the_rework_rate(self):
        with freeze_time(NOW):
            self.m1.with_user(self.sup_a1).reopen("客户不满意，重新办理")
        # reopened, not closed again: no closure to count it against
        figures = self.figures(self.sup_province, "unit_id")[self.county_a1]
        self.assertEqual((figures["closed"], figures["reworked"]), (1, 0))
        with freeze_time(NOW):
            close(self.m1.with_user(self.staff_a1))
        # 重办率: m1 reopened ÷ (m2 + m1 closed) = 1 ÷ 2
        figures = self.figures(self.sup_province, "unit_id")[self.county_a1]
        self.assertEqual(figures["reworked"], 1)
        self.assertEqual(figures["rework_rate"], 50.0)
        # A2: m4 closed, never reopened: 0 ÷ 1
        a2 = self.figures(self.sup_province, "unit_id")[self.county_a2]
        self.assertEqual(a2["rework_rate"], 0.0)

    def test_figures_per_channel_and_kind(self):
        channels = self.figures(self.sup_province, "channel")
        self.assertEqual(channels["phone"]["received"], 1)
        self.assertEqual(channels["counter"]["received"], 4)
        kinds = self.figures(self.sup_province, "kind")
        self.assertEqual(kinds["query"]["on_time_rate"], 100.0)

    def period(self, first_day, last_day):
        """The figures of city A from ``first_day`` to ``last_day`` (days of
        November 2025, Shanghai, included)."""
        return self.figures(
            self.sup_province,
            "city_unit_id",
            [
                ("date", ">=", shanghai(2025, 11, first_day, 0, 0)),
                ("date", "<", shanghai(2025, 11, last_day + 1, 0, 0)),
            ],
        ).get(self.city_a)

    def test_a_period_counts_what_happened_in_it(self):
        first = self.period(3, 5)
        # m1–m4 received; m4 (Monday) and m1 (Tuesday) closed in time
        self.assertEqual((first["received"], first["closed"]), (4, 2))
        self.assertEqual((first["overdue"], first["on_time_rate"]), (0, 100.0))
        # nothing closed late nor overdue yet: no finding either
        second = self.period(6, 9)
        # nothing received; m2 closed late (Friday); m3 open past its
        # deadline (Thursday 17:30): 0 in time ÷ (1 closed + 1 overdue)
        self.assertEqual((second["received"], second["closed"]), (0, 1))
        self.assertEqual((second["overdue"], second["on_time_rate"]), (1, 0.0))
        self.assertEqual(second["max_overdue_days"], 3.7)
        # registered in the first period, counted against the second
        self.assertEqual(second["avg_hours"], 28.0)
        # the week of m5: received, not due, nothing else
        third = self.figures(
            self.sup_province,
            "city_unit_id",
            [("date", ">=", shanghai(2025, 11, 10, 0, 0))],
        )
        self.assertEqual(set(third), {self.city_b})
        self.assertEqual(third[self.city_b]["on_time_rate"], None)

    def test_the_monthly_summary_counts_the_period(self):
        with freeze_time(NOW):
            summary = self.city_a.with_user(self.sup_city_a)._period_summary(
                date(2025, 11, 6), date(2025, 11, 9)
            )
        self.assertEqual((summary["received"], summary["closed"]), (0, 1))
        self.assertEqual(summary["on_time_rate"], 0.0)

    def test_each_supervisor_sees_the_figures_of_their_own_scope(self):
        self.assertEqual(
            set(self.figures(self.sup_city_b, "unit_id")), {self.county_b1}
        )
        self.assertEqual(
            set(self.figures(self.sup_city_a, "unit_id")),
            {self.county_a1, self.county_a2},
        )
        self.assertEqual(set(self.figures(self.sup_a2, "unit_id")), {self.county_a2})
        # a city supervisor's roll-up covers exactly their city
        self.assertEqual(
            self.figures(self.sup_city_a, "city_unit_id")[self.city_a]["received"], 4
        )
        self.assertFalse(self.figures(self.outsider, "unit_id"))
        # the inspector reads everything
        self.assertEqual(
            self.figures(self.inspector, "province_unit_id")[self.province]["received"],
            5,
        )

    def test_one_scan_and_one_branch_per_event_give_the_same_rows(self):
        """Without a condition on the event's date the rows come from one
        scan of the matters, with one from a branch per event: the same
        rows, the same values."""
        Report = self.env["shouwen.matter.report"].with_user(self.sup_city_a)
        names = ["id", "matter_id", "event", "date", "unit_id", "city_unit_id"]
        names += [name for name in Report._fields if name.endswith(("_count", "_rate"))]
        names += ["handling_hours", "overdue_days"]
        domain = [("matter_id", "in", self.matters.ids)]
        with freeze_time(NOW):
            # a condition on the date every row has: the branches
            branches = Report.search_read([*domain, ("date", "!=", False)], names)
            one_scan = Report.search_read(domain, names)
            # the scans of the matters in each query
            scans = [
                Report._search(terms).subselect().code.count('FROM "shouwen_matter"')
                for terms in (domain, [*domain, ("date", "!=", False)])
            ]
        self.assertEqual(scans, [1, 4])
        # city A: m1, m2, m4 received and closed, m3 received and overdue
        self.assertEqual(len(branches), 8)
        self.assertEqual(
            sorted(branches, key=lambda row: row["id"]),
            sorted(one_scan, key=lambda row: row["id"]),
        )

    def test_the_figures_read_one_row_per_matter_as_from_the_events(self):
        """Without a period of events, the figures are read from one row per
        matter: the same figures as from a row per event."""
        Report = self.env["shouwen.matter.report"].with_user(self.sup_province)
        domain = [("matter_id", "in", self.matters.ids)]
        for groupby in ("unit_id", "city_unit_id", None):
            with freeze_time(NOW):
                per_matter = Report._figures(domain, groupby)
                per_event = Report.with_context(
                    shouwen_report_rows="branches"
                )._figures(domain, groupby)
            self.assertEqual(per_matter, per_event)
            self.assertTrue(per_matter)
        with freeze_time(NOW):
            query = Report.with_context(shouwen_report_rows="matters")._search(domain)
        # one row per matter: five
        self.assertEqual(len(query.get_result_ids()), 5)

    def test_the_pivot_reads_the_same_rates(self):
        with freeze_time(NOW):
            groups = (
                self.env["shouwen.matter.report"]
                .with_user(self.sup_city_a)
                .read_group(
                    [("matter_id", "in", self.matters.ids)],
                    ["on_time_rate:avg", "received_count:sum"],
                    ["city_unit_id"],
                )
            )
        self.assertEqual(len(groups), 1)
        # 2 in time ÷ 4 due (3 closed, 1 open overdue)
        self.assertAlmostEqual(groups[0]["on_time_rate"], 50.0, places=2)
        self.assertEqual(groups[0]["received_count"], 4)


@tagged("post_install", "-at_install")
class TestSatisfactionFigures(ComplaintCase):
    def test_satisfaction_and_repeat_complaints(self):
        satisfied = self.in_callback()
        satisfied.record_callback("satisfied", note="客户满意")
        unhappy = self.in_callback()
        unhappy.record_callback("not_satisfied", note="客户不满意")
        # a repeat of the satisfied one, still open
        repeat = self.complaint(customer_phone=satisfied.sudo().customer_phone)
        matters = satisfied | unhappy | repeat
        figures = (
            self.env["shouwen.matter.report"]
            .with_user(self.sup_city_a)
            ._figures([("matter_id", "in", matters.ids)], "kind")["complaint"]
        )
        self.assertEqual(figures["received"], 3)
        self.assertEqual(figures["satisfaction_rate"], 50.0)
        self.assertEqual(figures["repeats"], 1)
        self.assertEqual(figures["closed"], 1)
