# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A catalogue of bad input: each is refused with a clear message, in English
for an English user and in Chinese for a Chinese one, and changes nothing.
Text that looks like HTML, a script or SQL is stored as typed and shown
escaped.

The channels have their own catalogues over HTTP and the mail gateway
(:mod:`.test_online`, :mod:`.test_phone_api`, :mod:`.test_letters`)."""

import os
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_complaints import ComplaintCase

CJK = re.compile(r"[\u4e00-\u9fff]")


class BadInputCase(ComplaintCase):
    def business(self, user=None, handle=True, **values):
        matter = self.register(
            user or self.staff_a1,
            kind="business",
            business_domain="underwriting",
            **values,
        )
        if handle:
            matter.action_handle()
        return matter

    def cases(self):
        """``(label, prepare, act)``: ``prepare()`` gives the record the bad
        input is sent to, ``act(record)`` sends it."""
        now = fields.Datetime.now()
        values = self._matter_values

        def create(**bad):
            return lambda _record, env: (
                env["shouwen.matter"].with_user(self.staff_a1).create(values(**bad))
            )

        def guided():
            matter = self.business(handle=False)
            matter.guide(self.staff_a2, note="请协助办理")
            return matter.with_user(self.staff_a2)

        def answered():
            matter = self.business()
            matter.answer("已电话告知客户", "phone")
            return matter

        def returned():
            matter = guided()
            matter.return_guide("不属于本岗位", category="not_our_remit")
            return matter.with_user(self.staff_a1)

        return [
            (
                "no way to reach the customer",
                lambda: None,
                create(customer_phone=False, customer_id_number=False),
            ),
            ("a malformed phone number", lambda: None, create(customer_phone="12345")),
            (
                "an ID number with a wrong check digit",
                lambda: None,
                create(customer_id_number="410102199003071231"),
            ),
            (
                "a registration dated in the future",
                lambda: None,
                create(registered_date=now + timedelta(days=2)),
            ),
            ("an unknown channel", lambda: None, create(channel="fax")),
            ("an unknown kind", lambda: None, create(kind="gossip")),
            (
                "a workflow field set at registration",
                lambda: None,
                create(state="closed"),
            ),
            (
                "a group complaint with six representatives",
                lambda: None,
                create(
                    kind="complaint",
                    business_domain="complaint",
                    representative_ids=[
                        Command.create({"name": f"代表{i}", "phone": "13800001111"})
                        for i in range(6)
                    ],
                ),
            ),
            (
                "a guide to a staff member of another organisation",
                self.business,
                lambda m, _env: m.guide(self.outsider),
            ),
            (
                "a guide to oneself",
                self.business,
                lambda m, _env: m.guide(self.staff_a1),
            ),
            (
                "a guide to an employee without a role",
                self.business,
                lambda m, _env: m.guide(self.employee),
            ),
            (
                "a return without a reason",
                guided,
                lambda m, _env: m.return_guide("  ", category="other"),
            ),
            (
                "a return without a category",
                guided,
                lambda m, _env: m.return_guide("不属于本岗位", category="nonsense"),
            ),
            (
                "an answer without a result",
                self.business,
                lambda m, _env: m.answer("", "phone"),
            ),
            (
                "an answer told to the customer in the future",
                self.business,
                lambda m, _env: m.answer(
                    "已告知", "phone", told_date=now + timedelta(days=1)
                ),
            ),
            (
                "a part without a task",
                self.business,
                lambda m, _env: m.coordinate(self.staff_a2, " "),
            ),
            (
                "missing materials without a list",
                self.business,
                lambda m, _env: m.notify_materials(""),
            ),
            ("a reopening without a reason", answered, lambda m, _env: m.reopen("")),
            (
                "an extension deadline before the current one",
                self.business,
                lambda m, _env: m.request_extension(
                    now - timedelta(days=1), "等待材料"
                ),
            ),
            (
                "an extension beyond the cap",
                self.business,
                lambda m, _env: m.request_extension(
                    now + timedelta(days=365), "等待材料"
                ),
            ),
            (
                "an extension without a reason",
                self.business,
                lambda m, _env: m.request_extension(now + timedelta(days=5), ""),
            ),
            (
                "a complaint whose clock is paused",
                lambda: self.signed().with_user(self.staff_a1b),
                lambda m, _env: m.notify_materials("身份证复印件", pause=True),
            ),
            (
                "a complaint assigned to the person complained about",
                lambda: self.complaint(complained_person_id=self.staff_a1b.id),
                lambda m, _env: m.propose_assignment(user=self.staff_a1b.id),
            ),
            (
                "a proposal naming nobody",
                self.complaint,
                lambda m, _env: m.propose_assignment(),
            ),
            (
                "a reply without text",
                lambda: self.signed().with_user(self.staff_a1b),
                lambda m, _env: m.submit_reply(" "),
            ),
            (
                "a callback without an outcome",
                self.in_callback,
                lambda m, _env: m.record_callback("maybe"),
            ),
            (
                "a withdrawal dated in the future",
                self.complaint,
                lambda m, _env: m.withdraw(
                    "客户撤回", date=now.date() + timedelta(days=3)
                ),
            ),
            (
                "a dispute without a reason",
                returned,
                lambda m, _env: m.dispute_return(" "),
            ),
            ("an urging without a message", self.business, lambda m, _env: m.urge("")),
            (
                "a direct change of the state",
                self.business,
                lambda m, _env: m.write({"state": "closed"}),
            ),
            (
                "a deletion of a matter",
                self.business,
                lambda m, _env: m.unlink(),
            ),
            (
                "an unknown priority written on a matter",
                self.business,
                lambda m, _env: m.write({"priority": "9"}),
            ),
        ]


@tagged("post_install", "-at_install")
class TestBadInput(BadInputCase):
    def test_each_bad_input_is_refused_in_both_languages_and_changes_nothing(self):
        cases = self.cases()
        self.assertGreaterEqual(len(cases), 30)
        Matter = self.env["shouwen.matter"].sudo().with_context(active_test=False)
        catalogue = []
        for label, prepare, act in cases:
            with self.subTest(label):
                record = prepare()
                before = self.snapshot(record) if record else None
                count = Matter.search_count([])
                messages = {}
                for lang in ("en_US", "zh_CN"):
                    env = self.env(context=dict(self.env.context, lang=lang))
                    target = (
                        record.with_env(record.env(context=env.context))
                        if record
                        else None
                    )
                    with self.assertRaises(UserError) as catcher:
                        act(target, env)
                    messages[lang] = str(catcher.exception.args[0])
                catalogue.append((label, messages["zh_CN"], messages["en_US"]))
                self.assertTrue(messages["en_US"].strip(), label)
                self.assertFalse(
                    CJK.search(_latin(messages["en_US"])), (label, messages)
                )
                self.assertTrue(CJK.search(messages["zh_CN"]), (label, messages))
                self.assertEqual(Matter.search_count([]), count, label)
                if record:
                    self.assertEqual(self.snapshot(record), before, label)
        # the catalogue for the documentation, when asked for a file (the
        # channels' rows are appended by tests/test_bad_input_channels.py)
        path = os.environ.get("SHOUWEN_CATALOGUE_FILE")
        if path:
            with open(path, "a", encoding="utf-8") as out:
                for label, zh, en in catalogue:
                    zh, en = (" ".join(text.split()) for text in (zh, en))
                    out.write(f"| ORM | {label} | {zh} | {en} |\n")

    def test_html_script_and_sql_are_stored_as_typed_and_shown_escaped(self):
        subject = "<script>alert('x')</script>'; DROP TABLE shouwen_matter; --"
        matter = self.business(subject=subject, customer_name="<b>王五</b>")
        matter.invalidate_recordset()
        self.assertEqual(matter.subject, subject)
        self.assertEqual(matter.customer_name, "<b>王五</b>")
        self.assertTrue(self.env["shouwen.matter"].sudo().search_count([]))
        report = self.env.ref(
            "shouwen_responsibility.action_report_shouwen_matter_slip_a4"
        )
        html, _type = report.with_user(self.staff_a1)._render_qweb_html(
            report.report_name, matter.ids
        )
        html = html.decode()
        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;alert", html)
        self.assertNotIn("<b>王五</b>", html)


def _latin(text):
    """The message without the values quoted in it (names, numbers, the
    Chinese text a user typed)."""
    return re.sub(r"“[^”]*”|\"[^\"]*\"|\([^)]*\)|\[[^\]]*\]", "", text)
