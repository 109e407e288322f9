# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The monthly report of a unit: the figures of the month computed by hand in
:mod:`.test_figures`, as data, as XLSX and as PDF, and who may read it."""

import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_figures import NOW, FiguresCase

MONTH = "2025-11-01"


@tagged("post_install", "-at_install")
class TestMonthlyReport(FiguresCase):
    def data(self, user, unit, month=MONTH):
        with freeze_time(NOW):
            return unit.with_user(user)._monthly_data(month)

    def test_the_month_of_a_city(self):
        # the finding of the table was recorded in November
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE shouwen_finding SET create_date = %s WHERE matter_id = %s",
            ["2025-11-07 02:00:00", self.m2.id],
        )
        data = self.data(self.sup_city_a, self.city_a)
        self.assertEqual(data["month"], "2025-11")
        summary = data["summary"]
        self.assertEqual(
            (summary["received"], summary["closed"], summary["overdue"]), (4, 3, 1)
        )
        # m1, m4 in time ÷ (3 closed + m3 open overdue)
        self.assertEqual(summary["on_time_rate"], 50.0)
        self.assertEqual(summary["p90_hours"], 23.8)
        self.assertEqual(len(data["trend"]), 12)
        self.assertEqual(
            data["trend"][-1],
            {"month": "2025-11", "received": 4, "on_time_rate": 50.0},
        )
        self.assertEqual(data["trend"][0]["month"], "2024-12")
        self.assertEqual(data["trend"][-2]["received"], 0)
        self.assertEqual([m["name"] for m in data["oldest"]], [self.m3.name])
        self.assertEqual(
            data["overdue"],
            [{"unit": self.county_a1.display_name, "count": 1, "days": 3.7}],
        )
        self.assertEqual(
            data["findings"], [{"type": "Overdue without reason", "count": 1}]
        )

    def test_a_month_without_matters(self):
        data = self.data(self.sup_city_a, self.city_a, "2025-09-01")
        self.assertIsNone(data["summary"]["received"])
        self.assertFalse(data["findings"])

    def test_only_supervisors_of_the_unit_and_inspectors_read_it(self):
        for user, unit in (
            (self.staff_a1, self.county_a1),
            (self.sup_city_b, self.city_a),
            (self.sup_a1, self.city_a),
            (self.outsider, self.county_a1),
        ):
            with self.assertRaises(AccessError):
                self.data(user, unit)
            with self.assertRaises(AccessError):
                unit.with_user(user).action_export_monthly_xlsx()
        self.assertEqual(
            self.data(self.sup_a1, self.county_a1)["summary"]["received"], 3
        )
        self.assertEqual(
            self.data(self.inspector, self.city_a)["summary"]["received"], 4
        )

    def test_the_xlsx_holds_the_same_figures(self):
        with freeze_time(NOW):
            content = self.city_a.with_user(self.sup_city_a)._monthly_xlsx(MONTH)
        book = openpyxl.load_workbook(io.BytesIO(content))
        summary = book["Summary"]
        values = {row[0].value: row[1].value for row in summary.iter_rows(min_row=3)}
        self.assertEqual(values["Received"], 4)
        self.assertEqual(values["On-time closure rate (%)"], 50.0)
        self.assertIsNone(values["Satisfaction rate (%)"])
        trend = list(book["Trend"].iter_rows(values_only=True))
        self.assertEqual(trend[-1], ("2025-11", 4, 50.0))
        oldest = list(book["Oldest open"].iter_rows(values_only=True))
        self.assertEqual(oldest[1][0], self.m3.name)

    def test_the_xlsx_is_downloaded_by_its_requester_only(self):
        with freeze_time(NOW):
            action = (
                self.city_a.with_user(self.sup_city_a)
                .with_context(shouwen_month=MONTH)
                .action_export_monthly_xlsx()
            )
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.name, "SWT-A-2025-11.xlsx")
        self.assertTrue(attachment.with_user(self.sup_city_a).read(["raw"])[0]["raw"])
        with self.assertRaises(AccessError):
            attachment.with_user(self.sup_city_b).read(["raw"])

    def test_the_pdf_shows_the_figures(self):
        report = self.env.ref("shouwen_responsibility.action_report_unit_monthly")
        with freeze_time(NOW):
            html, _type = report.with_user(self.sup_city_a)._render_qweb_html(
                report.report_name, self.city_a.ids, data={"month": MONTH}
            )
            pdf, _type = (
                report.with_user(self.sup_city_a)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(
                    report.report_name, self.city_a.ids, data={"month": MONTH}
                )
            )
        html = html.decode()
        for expected in ("2025-11", "50.0", "23.8", self.m3.name, "<svg"):
            self.assertIn(expected, html)
        self.assertTrue(pdf.startswith(b"%PDF"))
        with self.assertRaises(AccessError):
            report.with_user(self.staff_a1)._render_qweb_html(
                report.report_name, self.city_a.ids, data={"month": MONTH}
            )

    def test_any_period_of_days(self):
        # Monday 3 to Sunday 9 November: m1 to m4 of city A
        with freeze_time(NOW):
            week = self.city_a.with_user(self.sup_city_a)._monthly_data(
                date_from="2025-11-03", date_to="2025-11-09"
            )
        self.assertEqual(week["month"], "2025-11-03 – 2025-11-09")
        summary = week["summary"]
        self.assertEqual((summary["received"], summary["overdue"]), (4, 1))
        # m1, m4 in time ÷ (m1, m2, m4 closed + m3 open overdue)
        self.assertEqual(summary["on_time_rate"], 50.0)
        # one handover, m3 to staff A2, returned: nothing due for signing,
        # 1 returned ÷ 1 made
        self.assertIsNone(summary["sign_rate"])
        self.assertEqual(summary["handover_return_rate"], 100.0)
        # nothing reopened ÷ 3 closed
        self.assertEqual(summary["rework_rate"], 0.0)
        # the trend ends with the period's month
        self.assertEqual(week["trend"][-1]["month"], "2025-11")
        # the 4th to the 30th: nothing registered in city A, but m1 closed
        # in time, m2 late, and m3's deadline passed: 1 ÷ (2 + 1)
        with freeze_time(NOW):
            later = self.city_a.with_user(self.sup_city_a)._monthly_data(
                date_from="2025-11-04", date_to="2025-11-30"
            )
        summary = later["summary"]
        self.assertEqual(
            (summary["received"], summary["closed"], summary["overdue"]), (0, 2, 1)
        )
        self.assertEqual(summary["on_time_rate"], 33.3)
        # two months: the same four matters
        with freeze_time(NOW):
            two = self.city_a.with_user(self.sup_city_a)._monthly_data(
                date_from="2025-10-01", date_to="2025-11-30"
            )
        self.assertEqual(two["summary"]["received"], 4)

    def test_a_period_is_two_dates_in_order(self):
        unit = self.city_a.with_user(self.sup_city_a)
        for date_from, date_to in (
            ("2025-11-30", "2025-11-01"),
            ("2025-11-01", False),
            ("x", "2025-11-30"),
            ("2025-02-30", "2025-03-01"),
        ):
            with self.subTest(date_from=date_from, date_to=date_to):
                with self.assertRaises(UserError):
                    unit.with_context(
                        shouwen_date_from=date_from, shouwen_date_to=date_to
                    ).action_print_monthly_report()

    def test_the_figures_of_a_unit_show_each_rate_with_its_definition(self):
        with freeze_time(NOW):
            wizard = (
                self.env["shouwen.figures.wizard"]
                .with_user(self.sup_city_a)
                .create(
                    {
                        "unit_id": self.city_a.id,
                        "date_from": "2025-11-01",
                        "date_to": "2025-11-30",
                    }
                )
            )
            self.assertRecordValues(
                wizard,
                [
                    {
                        "received": 4,
                        "closed": 3,
                        "open": 1,
                        "overdue": 1,
                        # 2 ÷ (3 + 1)
                        "on_time_rate": "50.0",
                        # nothing due for signing
                        "sign_rate": "—",
                        # 1 returned ÷ 1 made
                        "handover_return_rate": "100.0",
                        "rework_rate": "0.0",
                        "satisfaction_rate": "—",
                    }
                ],
            )
            for term in ("签收率", "按时办结率", "重办率", "退单率", "满意率"):
                self.assertIn(term, wizard.definitions)
            action = wizard.action_print()
        self.assertEqual(
            action["data"], {"date_from": "2025-11-01", "date_to": "2025-11-30"}
        )
        # outside their scope: refused
        with freeze_time(NOW), self.assertRaises(AccessError):
            self.env["shouwen.figures.wizard"].with_user(self.sup_city_b).create(
                {
                    "unit_id": self.city_a.id,
                    "date_from": "2025-11-01",
                    "date_to": "2025-11-30",
                }
            )

    def test_the_cron_posts_each_report_to_the_supervisors(self):
        with freeze_time("2025-12-01 01:00:00"):
            self.env["shouwen.unit"]._cron_monthly_reports()
        messages = self.env["mail.message"].search(
            [("model", "=", "shouwen.unit"), ("res_id", "=", self.city_a.id)]
        )
        self.assertEqual(len(messages), 1)
        self.assertIn(self.sup_city_a.partner_id, messages.partner_ids)
        self.assertEqual(messages.attachment_ids.mapped("name"), ["SWT-A-2025-11.pdf"])
