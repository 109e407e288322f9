# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The counter slip (柜面受理回执): a printable registration slip for the
customer, in Chinese, on A4 or A5: the matter number, what was received, the
complete list of missing materials told once (一次性告知), the deadlines, who
is responsible and how to reach the unit; never the full ID number."""

import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import ID_NUMBER, ID_NUMBER_MASKED, ShouwenCase

A4 = "shouwen_responsibility.action_report_shouwen_matter_slip_a4"
A5 = "shouwen_responsibility.action_report_shouwen_matter_slip_a5"
MATERIALS = "投保单原件\n被保险人身份证复印件\n车辆行驶证复印件"
#: the page sizes in PDF points (1/72 inch), portrait
PAGE_POINTS = {A4: (595, 842), A5: (420, 595)}


@tagged("post_install", "-at_install")
class TestCounterSlip(HttpCase, ShouwenCase):
    # an HTTP server serves the report's style sheets to wkhtmltopdf
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "shouwen_responsibility"], ["zh_CN"]
        )
        cls.county_a1.write(
            {"phone": "0371-63851299", "address": "测试市金水区经三路99号"}
        )
        cls.template = cls.env["shouwen.notice.template"].create(
            {
                "name": "车险投保材料清单",
                "business_domain": "underwriting",
                "kind": "business",
                "materials": "投保单原件\n身份证复印件",
            }
        )
        cls.matter = cls.register(
            cls.staff_a1,
            subject="新车投保",
            description="客户为新购车辆办理交强险和商业险投保",
            kind="business",
            business_domain="underwriting",
        )
        cls.matter.notify_materials(MATERIALS, template=cls.template)

    def render_html(self, report, matter, user):
        html, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(report, matter.ids)
        )
        self.assertEqual(kind, "html")
        return html.decode()

    def render_pdf(self, report, matter, user):
        return (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, matter.ids)
        )

    @staticmethod
    def text_of(html):
        """The words of the slip, without markup or style."""
        html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    def test_the_slip_tells_the_customer_everything_in_chinese(self):
        matter = self.matter.sudo()
        text = self.text_of(self.render_html(A4, self.matter, self.staff_a1))
        for expected in (
            matter.name,
            matter._format_datetime(matter.registered_date),
            "柜面受理",  # the channel
            "新车投保",
            "客户为新购车辆办理交强险和商业险投保",
            "投保单原件",
            "被保险人身份证复印件",
            "车辆行驶证复印件",
            "车险投保材料清单",  # the one-time notice template used
            matter._format_datetime(matter.materials_notice_date),
            matter._format_datetime(matter.response_deadline),
            matter._format_datetime(matter.closure_deadline),
            "Staff A1",  # the first responsible
            "测试甲一支公司",
            "0371-63851299",
            "测试市金水区经三路99号",
            ID_NUMBER_MASKED,
            # headings in Chinese
            "受理回执",
            "一次性告知",
            "首问责任人",
        ):
            self.assertIn(expected, text)
        self.assertNotIn(ID_NUMBER, text)
        self.assertNotIn("Matter number", text)

    def test_the_slip_carries_the_status_link_as_a_qr_code_and_signature_lines(self):
        text = self.text_of(self.render_html(A4, self.matter, self.staff_a1))
        # signature lines for the customer and the receiving staff member
        self.assertIn("客户签名", text)
        self.assertIn("受理人签名", text)
        # no status link was made for this counter matter: no code either
        html = self.render_html(A4, self.matter, self.staff_a1)
        self.assertNotIn("o_shouwen_slip_qr", html)
        self.matter.action_make_status_link()
        url = self.matter.status_url
        self.assertTrue(url)
        html = self.render_html(A5, self.matter, self.staff_a1)
        self.assertIn('class="o_shouwen_slip_qr"', html)
        self.assertIn("data:image/png;base64,", html)
        self.assertIn(url.replace("&", "&amp;"), html)
        self.assertIn("扫描二维码", self.text_of(html))

    def test_the_slip_says_when_nothing_is_missing(self):
        matter = self.register(self.staff_a1, subject="保单查询")
        text = self.text_of(self.render_html(A5, matter, self.staff_a1))
        self.assertIn(matter.name, text)
        self.assertIn("无需补充材料", text)
        self.assertNotIn("车险投保材料清单", text)

    def test_the_pdf_renders_on_a4_and_on_a5(self):
        for report in (A4, A5):
            pdf, kind = self.render_pdf(report, self.matter, self.staff_a1)
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"), report)
            box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
            self.assertTrue(box, report)
            width, height = PAGE_POINTS[report]
            self.assertAlmostEqual(float(box.group(1)), width, delta=2)
            self.assertAlmostEqual(float(box.group(2)), height, delta=2)
            # Chinese glyphs come from an embedded CJK font, not empty boxes
            self.assertRegex(pdf, rb"/BaseFont\s*/[A-Z+]*Noto\w*CJK")

    def test_a_user_who_may_not_read_the_matter_cannot_print_it(self):
        for user in (self.staff_b1, self.staff_a2, self.employee):
            for report in (A4, A5):
                with self.assertRaises(AccessError):
                    self.render_html(report, self.matter, user)
                with self.assertRaises(AccessError):
                    self.render_pdf(report, self.matter, user)
        # the unit supervisor may
        self.assertIn(
            self.matter.sudo().name,
            self.render_html(A4, self.matter, self.sup_a1),
        )

    def test_staff_print_the_slip_from_the_matters_print_menu(self):
        for xmlid in (A4, A5):
            report = self.env.ref(xmlid)
            self.assertEqual(report.binding_model_id.model, "shouwen.matter")
            self.assertEqual(report.binding_type, "report")
        bindings = (
            self.env["ir.actions.actions"]
            .with_user(self.staff_a1)
            ._get_bindings("shouwen.matter")
        )
        printed = {action["id"] for action in bindings["report"]}
        self.assertLessEqual({self.env.ref(A4).id, self.env.ref(A5).id}, printed)
