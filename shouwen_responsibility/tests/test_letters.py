# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Letters by email (来信来函): an email to a unit's alias becomes a matter
whose first receiver is the person or unit it names, else the unit's approved
designated receiver, else a supervisor (flagged); replies are appended to the
matter; a letter without a sender address is bounced and registers nothing.

The emails go through Odoo's own gateway (``message_process``), as fetchmail
delivers them; outgoing mail is mocked and never leaves."""

import doctest
import itertools
from unittest.mock import patch

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCommon

from ..models.shouwen_matter_letter import ShouwenMatterLetter
from ..tools import letters
from .common import PHONE, PHONE_MASKED, ShouwenCase

#: a letter with a PDF attachment, in the shape MailCommon.format fills
LETTER = """Return-Path: {return_path}
To: {to}
Cc: {cc}
Received: by mail1.example.com (Postfix, from userid 10002)
    id 5DF9ABFB2A; Fri, 10 Oct 2025 16:16:39 +0800 (CST)
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_Part_4200734_24778174.1344608186754"
Date: Fri, 10 Oct 2025 16:16:26 +0800
Message-ID: {msg_id}
{extra}
------=_Part_4200734_24778174.1344608186754
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}

------=_Part_4200734_24778174.1344608186754
Content-Type: application/pdf; name="policy.pdf"
Content-Disposition: attachment; filename="policy.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==
------=_Part_4200734_24778174.1344608186754--
"""

#: Message-IDs of the letters sent by the tests
MESSAGE_NUMBERS = itertools.count(1)

CUSTOMER = "王五 <wangwu@customer.example.com>"
BODY = "我的车险理赔款至今未到账，请尽快处理。"


@tagged("post_install", "-at_install")
class TestLetters(ShouwenCase, MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the notes and the default subject are written in the receiver's
        # language: English here, whatever the database has installed
        (
            cls.staff_a1b
            | cls.sup_a1
            | cls.sup_a2
            | cls.sup_city_a
            | cls.sup_city_b
            | cls.staff_city_a
        ).write({"lang": "en_US"})
        # county A1: an approved designated receiver; A2 and city B1: none;
        # city A: one proposed, not approved
        cls.county_a1.designated_receiver_id = cls.staff_a1b
        cls.county_a1.with_user(cls.sup_a1).action_approve_designated_receiver()
        cls.city_a.designated_receiver_id = cls.staff_city_a
        for unit, name in (
            (cls.county_a1, "swt-a1-letters"),
            (cls.county_a2, "swt-a2-letters"),
            (cls.county_b1, "swt-b1-letters"),
        ):
            unit.with_user(cls.manager).alias_name = name
        cls.alias_a1 = cls.county_a1.alias_email
        cls.odoobot = cls.env["res.users"].browse(SUPERUSER_ID)

    def receive(self, to, subject, email_from=CUSTOMER, cc="", extra="", **kw):
        """Deliver an email through the gateway as fetchmail does; return the
        matters it created."""
        Matter = self.env["shouwen.matter"].with_context(active_test=False)
        before = Matter.search([])
        kw.setdefault(
            "msg_id", f"<letter-{next(MESSAGE_NUMBERS)}@customer.example.com>"
        )
        mail = self.format(
            LETTER,
            to=to,
            subject=subject,
            email_from=email_from,
            cc=cc,
            extra=extra,
            body=kw.pop("body", BODY),
            **kw,
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].with_user(SUPERUSER_ID).message_process(None, mail)
        self.env.invalidate_all()
        return Matter.search([]) - before

    def letter_activities(self, matter):
        letter_type = self.env.ref(
            "shouwen_responsibility.mail_activity_type_shouwen_letter"
        )
        return matter.activity_ids.filtered(lambda a: a.activity_type_id == letter_type)

    def note(self, matter):
        """The chatter note saying why the letter went to a supervisor."""
        return matter.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        )

    def assertReceivedBy(self, matter, unit, user, fallback=False):
        self.assertEqual(len(matter), 1)
        self.assertEqual(matter.channel, "letter")
        self.assertEqual(matter.unit_id, unit)
        self.assertEqual(matter.first_receiver_id, user)
        self.assertEqual(matter.first_responsible_id, user)
        self.assertEqual(matter.state, "registered")
        self.assertEqual(matter.receiver_fallback, fallback)
        self.assertEqual(self.letter_activities(matter).user_id, user)
        self.assertIn(user.partner_id, matter.message_partner_ids)
        self.assertTrue(matter.name.startswith(f"{unit.code}-"), matter.name)

    # ------------------------------------------------------------------
    # who receives a letter
    # ------------------------------------------------------------------

    def test_a_letter_naming_nobody_goes_to_the_units_designated_receiver(self):
        matter = self.receive(self.alias_a1, "理赔款未到账")
        self.assertReceivedBy(matter, self.county_a1, self.staff_a1b)
        self.assertEqual(matter.subject, "理赔款未到账")
        self.assertIn(BODY, matter.description)
        self.assertEqual(matter.customer_type, "external")
        self.assertEqual(matter.customer_name, "王五")
        self.assertEqual(matter.customer_email, "wangwu@customer.example.com")
        # registered by the system, logged as any registration is
        self.assertRecordValues(
            matter.log_ids,
            [
                {
                    "action": "register",
                    "user_id": self.odoobot.id,
                    "to_user_id": self.staff_a1b.id,
                    "state_to": "registered",
                }
            ],
        )
        # the letter itself, with its attachment, is the matter's first message
        letter = matter.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(letter), 1)
        self.assertIn(BODY, letter.body)
        self.assertEqual(letter.attachment_ids.mapped("name"), ["policy.pdf"])
        self.assertEqual(letter.attachment_ids.res_id, matter.id)
        self.assertFalse(self.note(matter))

    def test_a_letter_to_a_staff_members_address_is_theirs(self):
        """Named in Cc beside the unit's alias: the staff member is the first
        receiver, for their own unit."""
        matter = self.receive(
            self.alias_a1, "请张主管处理", cc=f"Staff A2 <{self.staff_a2.email}>"
        )
        self.assertReceivedBy(matter, self.county_a2, self.staff_a2)

    def test_the_first_staff_member_named_in_to_comes_before_cc(self):
        matter = self.receive(
            f"{self.alias_a1}, {self.staff_b1.email}",
            "两位都请看看",
            cc=self.staff_a2.email,
        )
        self.assertReceivedBy(matter, self.county_b1, self.staff_b1)

    def test_staff_of_another_organisation_are_not_named_persons(self):
        matter = self.receive(self.alias_a1, "抄送外省同事", cc=self.outsider.email)
        self.assertReceivedBy(matter, self.county_a1, self.staff_a1b)

    def test_a_unit_code_in_the_subject_names_the_unit(self):
        """``[SWT-A2]``: county A2 has no designated receiver, so its
        supervisor receives the letter, flagged, with the reason."""
        matter = self.receive(self.alias_a1, "[swt-a2] 关于退保的来信")
        self.assertReceivedBy(matter, self.county_a2, self.sup_a2, fallback=True)
        note = self.note(matter)
        self.assertEqual(len(note), 1)
        self.assertIn("has no designated receiver", note.body)
        self.assertIn("Supervisor A2", note.body)

    def test_a_bare_unit_code_in_the_subject_names_the_unit_too(self):
        """City A's receiver is proposed, not approved: its supervisor."""
        matter = self.receive(self.alias_a1, "转SWT-A处理：续保问题")
        self.assertReceivedBy(matter, self.city_a, self.sup_city_a, fallback=True)
        self.assertIn("is not approved", self.note(matter).body)

    def test_an_unknown_unit_code_leaves_the_letter_with_the_unit_it_reached(self):
        for subject in ("[ZZ99] 投诉理赔员态度", "[SWX] 外省的机构代码"):
            with self.subTest(subject=subject):
                matter = self.receive(self.alias_a1, subject)
                self.assertReceivedBy(matter, self.county_a1, self.staff_a1b)

    def test_an_archived_designated_receiver_does_not_receive_letters(self):
        self.staff_a1b.active = False
        matter = self.receive(self.alias_a1, "指定受理人已离职")
        self.assertReceivedBy(matter, self.county_a1, self.sup_a1, fallback=True)
        self.assertIn("no longer active staff", self.note(matter).body)

    def test_without_a_receiver_nor_supervisor_the_unit_above_supervises(self):
        """County B1 has neither: the supervisor of city B receives it."""
        matter = self.receive(self.county_b1.alias_email, "乙一支公司的来信")
        self.assertReceivedBy(matter, self.county_b1, self.sup_city_b, fallback=True)

    def test_the_fallback_flag_is_searchable_and_kept_from_staff(self):
        flagged = self.receive(self.county_a2.alias_email, "无指定受理人")
        self.receive(self.alias_a1, "有指定受理人")
        Matter = self.env["shouwen.matter"]
        self.assertEqual(Matter.search([("receiver_fallback", "=", True)]), flagged)
        with self.assertRaises(UserError):
            flagged.with_user(self.sup_a2).write({"receiver_fallback": False})
        with self.assertRaises(UserError):
            self.register(self.staff_a1, receiver_fallback=True)
        self.assertTrue(flagged.receiver_fallback)

    def test_a_letter_from_a_colleague_is_an_internal_customers(self):
        matter = self.receive(
            self.alias_a1,
            "内部协调来函",
            email_from=f"Staff A2 <{self.staff_a2.email}>",
        )
        self.assertReceivedBy(matter, self.county_a1, self.staff_a1b)
        self.assertEqual(matter.customer_type, "internal")
        self.assertEqual(matter.customer_name, "Staff A2")

    def test_a_known_customer_writing_in_does_not_follow_the_matter(self):
        """Odoo subscribes the author of an email it knows; a matter's
        followers are staff, whose names and emails every reader of the
        matter sees: a customer who writes in, and writes again, is the
        matter's customer, not one of its followers."""
        customer = self.env["res.partner"].create(
            {"name": "王五", "email": "wangwu@customer.example.com"}
        )
        matter = self.receive(
            self.alias_a1, "理赔款未到账", msg_id="<known-letter@customer.example.com>"
        )
        self.receive(
            self.alias_a1,
            "Re: 理赔款未到账",
            msg_id="<known-reply@customer.example.com>",
            extra="In-Reply-To: <known-letter@customer.example.com>\n"
            "References: <known-letter@customer.example.com>",
        )
        self.assertEqual(
            matter.message_ids.filtered(lambda m: m.message_type == "email").author_id,
            customer,
        )
        self.assertNotIn(customer, matter.message_partner_ids)
        self.assertIn(self.staff_a1b.partner_id, matter.message_partner_ids)
        self.assertFalse(matter.message_partner_ids.filtered("partner_share"))

    def test_a_letter_without_subject_gets_one(self):
        matter = self.receive(self.alias_a1, "")
        self.assertReceivedBy(matter, self.county_a1, self.staff_a1b)
        self.assertEqual(matter.subject, "Letter without subject")

    # ------------------------------------------------------------------
    # replies
    # ------------------------------------------------------------------

    def test_a_reply_is_appended_to_its_matter_and_creates_none(self):
        matter = self.receive(
            self.alias_a1, "理赔款未到账", msg_id="<first-letter@customer.example.com>"
        )
        messages, logs, state = matter.message_ids, matter.log_ids, matter.state
        reply = self.receive(
            self.alias_a1,
            "Re: 理赔款未到账",
            msg_id="<second-letter@customer.example.com>",
            extra="In-Reply-To: <first-letter@customer.example.com>\n"
            "References: <first-letter@customer.example.com>",
            body="补充材料见附件。",
        )
        self.assertFalse(reply, "a reply must not become a new matter")
        new = matter.message_ids - messages
        self.assertEqual(len(new), 1)
        self.assertIn("补充材料见附件", new.body)
        self.assertEqual(new.attachment_ids.mapped("name"), ["policy.pdf"])
        self.assertEqual(matter.log_ids, logs)
        self.assertEqual(matter.state, state)
        self.assertEqual(matter.subject, "理赔款未到账")

    def test_a_reply_to_a_closed_matter_is_appended_too(self):
        matter = self.receive(
            self.alias_a1, "已办结的来信", msg_id="<closed-letter@customer.example.com>"
        )
        receiver = matter.with_user(self.staff_a1b)
        receiver.answer("已电话答复", "phone")
        receiver.action_close()
        reply = self.receive(
            self.alias_a1,
            "Re: 已办结的来信",
            extra="References: <closed-letter@customer.example.com>",
            body="谢谢，已收到。",
        )
        self.assertFalse(reply)
        self.assertIn("谢谢，已收到", matter.message_ids[0].body)
        self.assertEqual(matter.state, "closed")

    # ------------------------------------------------------------------
    # bad input
    # ------------------------------------------------------------------

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_a_letter_without_a_sender_address_is_bounced_and_registers_nothing(
        self,
    ):
        """Nobody could be answered: the letter goes back to its Return-Path
        (and to whoever set up the alias), and the alias stays valid."""
        for email_from in ("", "王五", "not an address"):
            with self.subTest(email_from=email_from):
                matters = self.receive(
                    self.alias_a1,
                    f"无发件地址 {email_from}",
                    email_from=email_from,
                    return_path="<bounces@relay.example.com>",
                )
                self.assertFalse(matters)
                self.assertEqual(
                    [mail["email_to"] for mail in self._mails],
                    [["bounces@relay.example.com"]],
                )
                self.assertNotEqual(self.county_a1.alias_id.alias_status, "invalid")

    def test_a_unit_nobody_can_receive_for_refuses_the_letter_whole(self):
        """Neither a receiver nor a supervisor up the tree: the gateway is
        refused (it bounces), and nothing of a matter is left."""
        Matter = self.env["shouwen.matter"].with_user(SUPERUSER_ID)
        count = Matter.search_count([])
        msg_dict = {
            "email_from": CUSTOMER,
            "to": "letters@example.com",
            "subject": "外省的来信",
            "body": BODY,
        }
        with self.assertRaises(UserError):
            Matter.message_new(msg_dict, {"unit_id": self.other_province.id})
        with self.assertRaises(UserError):
            Matter.message_new(msg_dict, {"unit_id": 0})
        self.assertEqual(Matter.search_count([]), count)

    def test_a_failure_while_registering_leaves_no_half_matter(self):
        """fetchmail commits after a message that failed: the registration
        undoes itself."""
        Matter = self.env["shouwen.matter"].with_user(SUPERUSER_ID)
        Log = self.env["shouwen.matter.log"]
        counts = Matter.search_count([]), Log.search_count([])
        msg_dict = {"email_from": CUSTOMER, "to": self.alias_a1, "subject": "x"}
        with (
            patch.object(
                ShouwenMatterLetter,
                "_letter_received",
                side_effect=UserError("mail server down"),
            ),
            self.assertRaises(UserError),
        ):
            Matter.message_new(msg_dict, {"unit_id": self.county_a1.id})
        self.assertEqual((Matter.search_count([]), Log.search_count([])), counts)

    def test_letters_come_through_the_gateway_only(self):
        """Over RPC, as staff or as a supervisor: refused, nothing written."""
        matter = self.receive(self.alias_a1, "来信")
        count = self.env["shouwen.matter"].search_count([])
        msg_dict = {"email_from": CUSTOMER, "to": self.alias_a1, "subject": "x"}
        for user in (self.staff_a1b, self.sup_a1, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["shouwen.matter"].with_user(user).message_new(
                        msg_dict, {"unit_id": self.county_a1.id}
                    )
                with self.assertRaises(AccessError):
                    matter.with_user(user).message_update(
                        msg_dict, {"receiver_fallback": True}
                    )
        self.assertEqual(self.env["shouwen.matter"].search_count([]), count)
        self.assertFalse(matter.receiver_fallback)

    # ------------------------------------------------------------------
    # the unit's alias, personal data
    # ------------------------------------------------------------------

    def test_the_letter_address_is_set_by_managers(self):
        self.assertEqual(self.alias_a1, f"swt-a1-letters@{self.alias_domain}")
        alias = self.county_a1.alias_id
        self.assertEqual(alias.alias_model_id.model, "shouwen.matter")
        self.assertEqual(alias.alias_defaults, repr({"unit_id": self.county_a1.id}))
        for user in (self.staff_a1, self.sup_a1, self.sup_province):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.county_a1.with_user(user).alias_name = "mine"
        self.assertEqual(self.county_a1.alias_name, "swt-a1-letters")
        self.county_a2.with_user(self.manager).alias_name = False
        self.assertFalse(self.county_a2.alias_email)

    def test_personal_data_of_a_letter_stay_with_those_who_handle_it(self):
        matter = self.receive(self.alias_a1, "来信附电话")
        matter.with_user(self.staff_a1b).customer_phone = PHONE
        for user, phone in (
            (self.staff_a1b, PHONE),
            (self.sup_a1, PHONE),
            (self.inspector, PHONE_MASKED),
        ):
            with self.subTest(user=user.login):
                self.assertEqual(
                    matter.with_user(user).read(["customer_phone"])[0][
                        "customer_phone"
                    ],
                    phone,
                )
        self.assertFalse(
            self.env["shouwen.matter"]
            .with_user(self.staff_a1)
            .search([("id", "=", matter.id)]),
            "a colleague who does not handle the letter does not see it",
        )

    def test_subject_codes_doctests(self):
        result = doctest.testmod(letters, optionflags=doctest.ELLIPSIS)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)
