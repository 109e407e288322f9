# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The online channel (网上投诉): the public form, its rate limits and CSRF
protection, the status page behind the customer's private link, and the
customer's own matters in their portal."""

import doctest
import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import BaseCase, HttpCase, new_test_user, tagged

from ..tools import online, workflow
from .common import ShouwenCase

VALID = {
    "kind": "complaint",
    "customer_name": "王五",
    "customer_phone": "139 1234 5678",
    "policy_number": "PDAA2026410100001",
    "description": "车辆被追尾后报案，定损员一直没有联系我。",
    "customer_request": "请尽快安排定损。",
}

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK_RE = re.compile(r'href="[^"]*?(/shouwen/status/[^"?]+\?access_token=[^"&]+)"')
NOT_FOUND = "o_shouwen_not_found"


@tagged("post_install", "-at_install")
class TestOnline(HttpCase, ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # customers read the pages in Chinese
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["shouwen_responsibility"], ["zh_CN"], overwrite=True
        )
        # only this organisation's units are offered: the province and city A
        # (with an approved designated receiver) and county A1 (without one)
        cls.env["shouwen.unit"].search([("online_listed", "=", True)]).write(
            {"online_listed": False}
        )
        cls.city_a.designated_receiver_id = cls.staff_city_a
        cls.city_a.with_user(cls.sup_city_a).action_approve_designated_receiver()
        (cls.province | cls.city_a | cls.county_a1).online_listed = True
        # attempts of other runs on this address are not this test's
        cls.env["shouwen.online.attempt"].search([]).unlink()
        cls._set_limits(ip=100, phone=100)
        cls.env.company.phone = "0371-65550000"
        cls.customer = new_test_user(
            cls.env,
            login="sw_customer",
            name="Customer One",
            groups="base.group_portal",
            email="sw_customer@example.com",
        )
        cls.other_customer = new_test_user(
            cls.env,
            login="sw_customer2",
            name="Customer Two",
            groups="base.group_portal",
        )

    @classmethod
    def _set_limits(cls, **limits):
        ICP = cls.env["ir.config_parameter"].sudo()
        keys = {
            "ip": "online_limit_ip",
            "phone": "online_limit_phone",
            "files": "online_max_files",
            "file_mb": "online_max_file_mb",
        }
        for name, value in limits.items():
            ICP.set_param(f"shouwen_responsibility.{keys[name]}", value)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _csrf_token(self):
        response = self.url_open("/shouwen/online")
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def submit(self, files=None, csrf=True, **values):
        data = {"unit_id": str(self.city_a.id), **VALID, **values}
        if csrf:
            data["csrf_token"] = self._csrf_token()
        return self.url_open("/shouwen/online", data=data, files=files)

    def online_matters(self):
        return (
            self.env["shouwen.matter"]
            .sudo()
            .with_context(active_test=False)
            .search([("channel", "=", "online")])
        )

    def online_activities(self, matter):
        online_type = self.env.ref(
            "shouwen_responsibility.mail_activity_type_shouwen_online"
        )
        return matter.activity_ids.filtered(
            lambda activity: activity.activity_type_id == online_type
        )

    def filed(self, response):
        """The matter a successful submission created, and the private link
        the customer was given."""
        self.assertEqual(response.status_code, 200, response.text[-2000:])
        number = re.search(r'class="o_shouwen_number">([^<]+)<', response.text).group(1)
        matter = self.env["shouwen.matter"].sudo().search([("name", "=", number)])
        self.assertEqual(len(matter), 1)
        return matter, LINK_RE.search(response.text).group(1)

    def assertNothingShown(self, response, *secrets):
        self.assertEqual(response.status_code, 404)
        self.assertIn(NOT_FOUND, response.text)
        # the customer is given the number to call
        self.assertIn("o_shouwen_service_number", response.text)
        self.assertIn(self.env.company.phone, response.text)
        self.assertNotIn("o_shouwen_status", response.text)
        for secret in secrets:
            self.assertNotIn(secret, response.text)

    # ------------------------------------------------------------------
    # the form
    # ------------------------------------------------------------------

    def test_the_form_speaks_chinese_and_offers_the_listed_units(self):
        response = self.url_open("/shouwen/online")
        self.assertEqual(response.status_code, 200)
        self.assertIn("网上投诉与咨询", response.text)
        self.assertIn('name="csrf_token"', response.text)
        for fname in (
            "kind",
            "customer_name",
            "customer_phone",
            "policy_number",
            "unit_id",
            "description",
            "customer_request",
            "attachments",
        ):
            self.assertIn(f'name="{fname}"', response.text)
        for unit in self.province | self.city_a | self.county_a1:
            self.assertIn(f'value="{unit.id}"', response.text)
        # units not offered, and one offered but without anybody to receive
        self.county_b1.online_listed = True
        response = self.url_open("/shouwen/online")
        for unit in self.city_b | self.other_province | self.county_b1:
            self.assertNotIn(unit.name, response.text)
        # the province is preselected
        self.assertRegex(
            response.text, rf'<option value="{self.province.id}" selected="[^"]+"'
        )

    def test_a_complaint_goes_to_the_units_designated_receiver_with_an_activity(
        self,
    ):
        files = [
            ("attachments", ("事故照片.jpg", b"\xff\xd8\xff photo", "image/jpeg")),
            ("attachments", ("维修报价.pdf", b"%PDF-1.4 quote", "application/pdf")),
        ]
        response = self.submit(files=files)
        matter, link = self.filed(response)
        self.assertRecordValues(
            matter,
            [
                {
                    "channel": "online",
                    "kind": "complaint",
                    "business_domain": "complaint",
                    "unit_id": self.city_a.id,
                    "first_receiver_id": self.staff_city_a.id,
                    "first_responsible_id": self.staff_city_a.id,
                    "state": "registered",
                    "customer_name": "王五",
                    "customer_phone": "13912345678",
                    "policy_number": "PDAA2026410100001",
                    "description": VALID["description"],
                    "customer_request": VALID["customer_request"],
                    "subject": VALID["description"][: online.SUBJECT_LENGTH],
                    "partner_id": False,
                }
            ],
        )
        registration = matter.log_ids.filtered(lambda line: line.action == "register")
        self.assertEqual(registration.to_user_id, self.staff_city_a)
        activity = self.online_activities(matter)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.staff_city_a)
        self.assertIn(matter.name, activity.summary)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "shouwen.matter"), ("res_id", "=", matter.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped("name")), ["事故照片.jpg", "维修报价.pdf"]
        )
        self.assertIn(b"%PDF-1.4 quote", attachments.mapped("raw"))
        # the receiver finds it among their matters, with its activity
        as_receiver = self.env["shouwen.matter"].with_user(self.staff_city_a)
        self.assertIn(
            matter,
            as_receiver.search([("activity_user_id", "=", self.staff_city_a.id)]),
        )
        # the page gives the number and a private link that works
        self.assertIn(matter.name, response.text)
        self.assertIn(matter.access_token, link)
        status = self.url_open(link)
        self.assertEqual(status.status_code, 200)
        self.assertIn(matter.name, status.text)
        self.assertIn("Staff City A", status.text)
        self.assertIn("已受理，正在分派", status.text)

    def test_without_an_approved_receiver_the_unit_supervisor_receives_it(self):
        matter, _link = self.filed(self.submit(unit_id=str(self.county_a1.id)))
        self.assertEqual(matter.first_receiver_id, self.sup_a1)
        self.assertEqual(self.online_activities(matter).user_id, self.sup_a1)
        # a proposed receiver not yet approved does not receive either
        self.county_a1.designated_receiver_id = self.staff_a1
        matter, _link = self.filed(self.submit(unit_id=str(self.county_a1.id)))
        self.assertEqual(matter.first_receiver_id, self.sup_a1)

    def test_without_a_chosen_unit_the_province_receives_it(self):
        matter, _link = self.filed(self.submit(unit_id="", kind="consult"))
        self.assertEqual(matter.unit_id, self.province)
        self.assertEqual(matter.first_receiver_id, self.sup_province)
        self.assertEqual(matter.kind, "consult")

    def test_invalid_input_says_what_is_wrong_with_each_field_and_creates_nothing(
        self,
    ):
        before = self.online_matters()
        cases = [
            ({"customer_name": "  "}, "请填写您的姓名。"),
            ({"customer_phone": ""}, "请填写联系电话，以便我们回复您。"),
            ({"customer_phone": "12345"}, "请填写有效的电话号码"),
            ({"policy_number": "PD<01>"}, "保单号应为4至40位字母、数字或连字符。"),
            ({"kind": "business"}, "请选择投诉或咨询。"),
            ({"unit_id": str(self.city_b.id)}, "请选择受理您诉求的机构。"),
            ({"unit_id": "x"}, "请选择受理您诉求的机构。"),
            ({"description": ""}, "请描述事情经过。"),
            ({"description": "长" * 2001}, "此处最多填写2000个字。"),
            ({"customer_request": "\r\n"}, "请填写您的诉求。"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                response = self.submit(**values)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                # what the customer typed is kept, escaped
                if values.get("policy_number"):
                    self.assertIn("PD&lt;01&gt;", response.text)
        self.assertEqual(self.online_matters(), before)

    def test_attachments_are_limited_in_number_size_and_type(self):
        self._set_limits(files=2, file_mb=1)
        before = self.online_matters()
        attachments_before = self.env["ir.attachment"].search_count([])
        photo = ("attachments", ("照片.jpg", b"jpg", "image/jpeg"))
        cases = [
            ([photo] * 3, "最多上传2个附件。"),
            (
                [
                    (
                        "attachments",
                        ("大.pdf", b"x" * (1024 * 1024 + 1), "application/pdf"),
                    )
                ],
                "大.pdf超过1 MB。",
            ),
            (
                [("attachments", ("page.html", b"<script>", "text/html"))],
                "page.html无法上传",
            ),
            ([("attachments", ("空.txt", b"", "text/plain"))], "空.txt是空文件。"),
        ]
        for files, message in cases:
            with self.subTest(message=message):
                response = self.submit(files=files)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertEqual(self.online_matters(), before)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments_before)
        # within the limits
        matter, _link = self.filed(self.submit(files=[photo] * 2))
        self.assertEqual(matter.message_attachment_count, 2)

    def test_html_is_stored_as_typed_and_shown_escaped(self):
        script = '<script>alert("x")</script><b>急</b>'
        matter, link = self.filed(
            self.submit(description=script, customer_name="<i>王五</i>")
        )
        self.assertEqual(matter.description, script)
        self.assertEqual(matter.customer_name, "<i>王五</i>")
        status = self.url_open(link)
        self.assertNotIn("<script>alert", status.text)
        self.assertIn("&lt;script&gt;alert(", status.text)

    # ------------------------------------------------------------------
    # rate limits and CSRF
    # ------------------------------------------------------------------

    def test_too_many_submissions_from_one_address_are_refused_with_429(self):
        self._set_limits(ip=2)
        self.filed(self.submit(customer_phone="13900000001"))
        self.filed(self.submit(customer_phone="13900000002"))
        before = self.online_matters()
        response = self.submit(customer_phone="13900000003")
        self.assertEqual(response.status_code, 429)
        self.assertIn("提交过于频繁", response.text)
        self.assertEqual(self.online_matters(), before)

    def test_too_many_submissions_with_one_phone_are_refused_with_429(self):
        self._set_limits(phone=1)
        self.filed(self.submit())
        before = self.online_matters()
        # the same number, written differently
        response = self.submit(customer_phone="13912345678")
        self.assertEqual(response.status_code, 429)
        self.assertIn("提交过于频繁", response.text)
        self.assertEqual(self.online_matters(), before)
        # another number is not held back
        self.filed(self.submit(customer_phone="13800000009"))

    def test_the_rate_window_slides(self):
        self._set_limits(ip=2)
        Attempt = self.env["shouwen.online.attempt"]
        start = datetime(2026, 3, 2, 2, 0)
        with freeze_time(start):
            self.assertIsNone(Attempt._register_attempt("10.0.0.1", "13900000001"))
            self.assertIsNone(Attempt._register_attempt("10.0.0.1", "13900000002"))
            self.assertEqual(Attempt._register_attempt("10.0.0.1", False), "ip")
            # another address has its own count
            self.assertIsNone(Attempt._register_attempt("10.0.0.2", False))
        with freeze_time(start + timedelta(minutes=59)):
            self.assertEqual(Attempt._register_attempt("10.0.0.1", False), "ip")
        with freeze_time(start + timedelta(minutes=61)):
            # the three of the first minute have left the window; the refused
            # one at minute 59 is still in it
            self.assertIsNone(Attempt._register_attempt("10.0.0.1", False))
        # the phone number is not stored, only a keyed hash of it (whose hex
        # digits may well contain "139": the whole number is looked for)
        keys = Attempt.search([("phone_key", "!=", False)]).mapped("phone_key")
        self.assertEqual(len(keys), 2)
        for key in keys:
            self.assertRegex(key, r"^[0-9a-f]{64}$")
            self.assertNotIn("13900000001", key)
            self.assertNotIn("13900000002", key)
        with freeze_time(start + timedelta(days=2)):
            Attempt._gc_old_attempts()
        self.assertFalse(
            Attempt.search([("ip_address", "in", ["10.0.0.1", "10.0.0.2"])])
        )

    def test_a_submission_without_a_valid_csrf_token_is_refused(self):
        """Refused, and the customer whose page expired gets the form back
        with what they typed and a new token, not an error page."""
        before = self.online_matters()
        for token in (None, "0" * 40 + "o1"):
            with self.subTest(token=token):
                values = {"csrf_token": token} if token else {}
                response = self.submit(csrf=False, **values)
                self.assertEqual(response.status_code, 400)
                self.assertIn("页面已过期", response.text)
                self.assertIn(VALID["description"], response.text)
                self.assertIn('name="csrf_token"', response.text)
        self.assertEqual(self.online_matters(), before)
        # sent again from the page it got back: filed
        self.filed(self.submit())

    # ------------------------------------------------------------------
    # the status page
    # ------------------------------------------------------------------

    def test_a_wrong_or_another_matters_token_shows_nothing(self):
        matter, link = self.filed(
            self.submit(description="甲客户的事项：车辆被盗", customer_name="甲客户")
        )
        other, other_link = self.filed(
            self.submit(description="乙客户的事项", customer_phone="13800000009")
        )
        secrets = ("甲客户的事项", "Staff City A", "13912345678")
        url = f"/shouwen/status/{matter.name}"
        for query in (
            f"?access_token={other.access_token}",
            # almost right: its last character changed (never to itself)
            "?access_token="
            + matter.access_token[:-1]
            + ("1" if matter.access_token.endswith("0") else "0"),
            "?access_token=",
            "",
        ):
            with self.subTest(query=query):
                self.assertNothingShown(self.url_open(url + query), *secrets)
        unknown = self.url_open(
            f"/shouwen/status/SWT-A-2099-999999?access_token={matter.access_token}"
        )
        self.assertNothingShown(unknown, *secrets)
        # the right links work
        self.assertEqual(self.url_open(link).status_code, 200)
        self.assertEqual(self.url_open(other_link).status_code, 200)

    def test_the_status_page_shows_the_answer_once_told_and_nothing_internal(self):
        matter, link = self.filed(self.submit(kind="consult"))
        matter = matter.with_user(self.staff_city_a)
        matter.message_post(body="内部备注：请先核实保单", message_type="comment")
        matter.action_handle()
        part = matter.coordinate(self.staff_a2, "核对定损记录（内部）")
        page = self.url_open(link).text
        self.assertIn("正在办理", page)
        self.assertIn("Staff City A", page)
        for internal in ("内部备注", "核对定损记录", "Staff A2", "13912345678"):
            self.assertNotIn(internal, page)
        self.assertNotIn("o_shouwen_answer", page)
        part = part.with_user(self.staff_a2)
        part.result = "定损员明日上午到场"
        part.action_done()
        matter.answer("已电话告知定损安排：明日上午到场。", "phone")
        page = self.url_open(link).text
        self.assertIn("已答复", page)
        self.assertIn("已电话告知定损安排：明日上午到场。", page)
        self.assertNotIn("Staff A2", page)

    # ------------------------------------------------------------------
    # the customer's portal
    # ------------------------------------------------------------------

    def test_a_portal_customer_sees_their_own_matters_only(self):
        self.authenticate("sw_customer", "sw_customer")
        mine, _link = self.filed(self.submit(description="我的事项：理赔慢"))
        self.assertEqual(mine.partner_id, self.customer.partner_id)
        self.assertEqual(mine.customer_email, "sw_customer@example.com")
        theirs = self.register(
            self.staff_a1,
            subject="别人的事项",
            channel="online",
            partner_id=self.other_customer.partner_id.id,
        )
        anonymous = self.register(self.staff_a1, subject="无账号客户的事项")
        response = self.url_open("/my/shouwen")
        self.assertEqual(response.status_code, 200)
        self.assertIn(mine.name, response.text)
        self.assertIn("我的事项：理赔慢", response.text)
        for other in theirs | anonymous:
            self.assertNotIn(other.name, response.text)
            self.assertNotIn(other.subject, response.text)
        # their own matter without the token; another's not even so
        self.assertEqual(self.url_open(f"/shouwen/status/{mine.name}").status_code, 200)
        self.assertNothingShown(
            self.url_open(f"/shouwen/status/{theirs.name}"), "别人的事项"
        )
        # the portal's home page counts them
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["shouwen_count"]}
        )
        self.assertEqual(counters["shouwen_count"], 1)

    def test_a_customer_reads_only_the_status_fields_of_their_own_matters(self):
        mine = self.register(
            self.staff_a1, channel="online", partner_id=self.customer.partner_id.id
        )
        theirs = self.register(
            self.staff_a1,
            channel="online",
            partner_id=self.other_customer.partner_id.id,
        )
        Matter = self.env["shouwen.matter"].with_user(self.customer)
        self.assertEqual(Matter.search([]), mine)
        self.assertFalse(Matter.search([("id", "=", theirs.id)]))
        values = Matter.browse(mine.id).read()[0]
        self.assertEqual(values["name"], mine.name)
        for hidden in (
            "customer_phone",
            "customer_id_number",
            "description",
            "log_ids",
            "handler_id",
            "access_token",
        ):
            self.assertNotIn(hidden, values)
        for fname in ("customer_phone", "description", "message_ids"):
            with self.subTest(fname=fname), self.assertRaises(AccessError):
                Matter.browse(mine.id).read([fname])
        with self.assertRaises(AccessError):
            Matter.search([("customer_phone", "=", mine.sudo().customer_phone)])
        with self.assertRaises(AccessError):
            Matter.browse(theirs.id).read(["name"])
        with self.assertRaises(AccessError):
            Matter.browse(mine.id).write({"subject": "x"})
        # staff are unaffected: the handler reads the phone in clear, an
        # inspector masked
        self.assertEqual(mine.customer_phone, "13812345678")
        self.assertEqual(
            mine.with_user(self.inspector).read(["customer_phone"])[0][
                "customer_phone"
            ],
            "138****5678",
        )

    def test_the_private_link_is_changed_by_nobody_but_the_system(self):
        matter, _link = self.filed(self.submit())
        with self.assertRefused(matter):
            matter.with_user(self.staff_city_a).write({"access_token": "guessable"})


@tagged("post_install", "-at_install")
class TestOnlineRules(BaseCase):
    def test_online_doctests(self):
        """The customer's stages, subjects and allowed files (tools/online.py)."""
        result = doctest.testmod(online, optionflags=doctest.ELLIPSIS)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_every_state_of_a_matter_reads_as_a_customer_stage(self):
        self.assertEqual(
            set(online.STATE_STAGES), {state for state, _label in workflow.STATES}
        )
        self.assertLessEqual(
            set(online.STATE_STAGES.values()),
            {stage for stage, _label in online.CUSTOMER_STAGES},
        )
