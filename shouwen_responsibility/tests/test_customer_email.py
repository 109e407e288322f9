# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer hears back (#21 §6): an answer given "by email" and the
private status link are emailed to the matter's customer and to nobody else,
through the matter's chatter; a letter's answer is the reply in its own
thread.  What was stored is checked: the message, its notified contacts, the
outgoing mail rows and what left (outgoing mail is mocked)."""

import itertools

from odoo import SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tests.common import MailCommon

from .common import ID_NUMBER, ID_NUMBER_MASKED, PHONE, PHONE_MASKED, ShouwenCase
from .test_complaints import REPLY, ComplaintCase
from .test_letters import BODY, CUSTOMER, LETTER

CUSTOMER_EMAIL = "wangwu@customer.example.com"
MESSAGE_NUMBERS = itertools.count(1)
#: AccessError is a UserError: either refusal
REFUSED = UserError


@tagged("post_install", "-at_install")
class TestCustomerEmail(ShouwenCase, MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.county_a1.designated_receiver_id = cls.staff_a1b
        cls.county_a1.with_user(cls.sup_a1).action_approve_designated_receiver()
        cls.county_a1.with_user(cls.manager).alias_name = "swt-a1-letters"
        cls.subtype = cls.env.ref("shouwen_responsibility.mt_shouwen_customer_email")

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def receive(self, subject, msg_id=None):
        """A letter from CUSTOMER to county A1's alias; its matter."""
        Matter = self.env["shouwen.matter"].with_context(active_test=False)
        before = Matter.search([])
        mail = self.format(
            LETTER,
            to=self.county_a1.alias_email,
            subject=subject,
            email_from=CUSTOMER,
            cc="",
            extra="",
            body=BODY,
            msg_id=msg_id or f"<email-{next(MESSAGE_NUMBERS)}@customer.example.com>",
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].with_user(SUPERUSER_ID).message_process(None, mail)
        self.env.invalidate_all()
        matter = Matter.search([]) - before
        self.assertEqual(len(matter), 1)
        return matter

    def customer_messages(self, matter):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "shouwen.matter"),
                    ("res_id", "=", matter.id),
                    ("subtype_id", "=", self.subtype.id),
                ]
            )
        )

    def customer_text(self, matter, source):
        """``source`` as the customer reads it: in their language."""
        return matter._customer_lang_env(matter.partner_id)._(
            source, number=matter.name
        )

    def assertSentToCustomerOnly(self, matter, partner, author, subject):
        """One message to the customer on ``matter``: by ``author``, with
        ``subject``, notified and mailed to ``partner`` only; returns it and
        the email that left."""
        message = self.customer_messages(matter)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subject, subject)
        self.assertEqual(message.author_id, author.partner_id)
        self.assertEqual(message.message_type, "comment")
        self.assertFalse(message.is_internal)
        self.assertEqual(message.partner_ids, partner)
        self.assertEqual(message.notification_ids.res_partner_id, partner)
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertTrue(mails)
        self.assertEqual(mails.recipient_ids, partner)
        self.assertEqual(set(mails.mapped("subject")), {subject})
        sent = [mail for mail in self._mails if mail["subject"] == subject]
        self.assertEqual(len(sent), 1, [m["email_to"] for m in self._mails])
        self.assertEqual(len(sent[0]["email_to"]), 1)
        self.assertIn(partner.email_normalized, sent[0]["email_to"][0])
        # nobody else got any email of it
        for mail in self._mails:
            if mail["subject"] == subject:
                continue
            self.assertNotIn(matter.result or "-", mail["body"])
        return message, sent[0]

    def counter_matter(self, user, **values):
        return self.register(
            user, customer_email="zhangsan@customer.example.com", **values
        )

    # ------------------------------------------------------------------
    # a letter answered by email
    # ------------------------------------------------------------------

    def test_a_letter_answered_by_email_is_the_reply_in_its_thread(self):
        matter = self.receive(
            "理赔款未到账", msg_id="<first-letter@customer.example.com>"
        )
        self.assertEqual(matter.customer_email, CUSTOMER_EMAIL)
        self.assertFalse(matter.partner_id, "the sender is nobody's contact yet")
        # staff follow the matter: they must not receive the customer's email
        matter.message_subscribe(
            partner_ids=(self.sup_a1 | self.staff_a1).partner_id.ids
        )
        receiver = matter.with_user(self.staff_a1b)
        with self.mock_mail_gateway():
            receiver.answer("理赔款已于今日到账，请查收。", "email")
        self.assertEqual(matter.state, "answered")
        self.assertEqual(matter.told_method, "email")
        # the customer's contact was made from the letter: name and email only
        partner = matter.partner_id
        self.assertEqual(partner.email_normalized, CUSTOMER_EMAIL)
        self.assertEqual(partner.name, "王五")
        self.assertFalse(partner.phone)
        message, sent = self.assertSentToCustomerOnly(
            matter, partner, self.staff_a1b, "Re: 理赔款未到账"
        )
        self.assertIn("理赔款已于今日到账", message.body)
        self.assertIn("理赔款已于今日到账", sent["body"])
        # the customer's mail client threads it under their letter
        self.assertIn("<first-letter@customer.example.com>", sent["references"])
        # no private link was made on the way (the mail's "view" button)
        self.assertFalse(matter.sudo().access_token)
        self.assertNotIn("access_token", sent["body"])
        self.assertFalse(
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "=", message.id),
                    (
                        "res_partner_id",
                        "in",
                        (self.sup_a1 | self.staff_a1).partner_id.ids,
                    ),
                ]
            )
        )

    def test_the_answer_carries_the_status_link_when_one_exists(self):
        matter = self.receive("保单批改进度")
        receiver = matter.with_user(self.staff_a1b)
        receiver.action_make_status_link()
        link = receiver.status_url
        self.assertTrue(link)
        with self.mock_mail_gateway():
            receiver.answer("批改已完成。", "email")
        message, sent = self.assertSentToCustomerOnly(
            matter, matter.partner_id, self.staff_a1b, "Re: 保单批改进度"
        )
        self.assertIn(link, message.body)
        self.assertIn(link, sent["body"])

    def test_the_answer_never_carries_the_customers_phone_or_id_in_clear(self):
        matter = self.counter_matter(self.staff_a1)
        matter.action_handle()
        with self.mock_mail_gateway():
            matter.answer(
                f"已核实：手机 {PHONE}，身份证 {ID_NUMBER} 名下保单已续保。", "email"
            )
        message, sent = self.assertSentToCustomerOnly(
            matter,
            matter.partner_id,
            self.staff_a1,
            self.customer_text(matter, "Answer to your matter %(number)s"),
        )
        for text in (message.body, sent["body"]):
            self.assertNotIn(PHONE, text)
            self.assertNotIn(ID_NUMBER, text)
            self.assertIn(PHONE_MASKED, text)
            self.assertIn(ID_NUMBER_MASKED, text)
        # the result itself, recorded on the matter, is unchanged
        self.assertIn(PHONE, matter.result)
        self.assertFalse(matter.partner_id.phone)

    def test_answering_by_email_is_refused_without_the_customers_email(self):
        matter = self.register(self.staff_a1)
        matter.action_handle()
        with self.mock_mail_gateway():
            with self.assertRefused(matter) as catcher:
                matter.answer("已答复", "email")
        self.assertIn("email", str(catcher.exception))
        self.assertFalse(self.customer_messages(matter))
        self.assertFalse(self._mails)
        # by phone it is recorded as ever, and nothing is emailed
        with self.mock_mail_gateway():
            matter.answer("已电话答复", "phone")
        self.assertEqual(matter.state, "answered")
        self.assertFalse(self.customer_messages(matter))

    def test_only_who_may_answer_sends_the_answer(self):
        matter = self.receive("车险续保咨询")
        for user in (self.inspector, self.staff_b1, self.staff_a2, self.sup_city_b):
            with self.mock_mail_gateway():
                with self.assertRefused(matter, REFUSED):
                    matter.with_user(user).answer("越权答复", "email")
            self.assertFalse(self.customer_messages(matter), user.login)
            self.assertFalse(self._mails, user.login)
            self.assertFalse(matter.partner_id)

    # ------------------------------------------------------------------
    # the status link by email
    # ------------------------------------------------------------------

    def test_the_first_responsible_emails_the_status_link(self):
        matter = self.counter_matter(self.staff_a1)
        matter.message_subscribe(partner_ids=self.sup_a1.partner_id.ids)
        self.assertIn("send_status_link", matter.available_actions)
        self.assertIn("make_status_link", matter.available_actions)
        with self.mock_mail_gateway():
            with self.assertLogged(
                matter, {"action": "status_link", "user_id": self.staff_a1}
            ):
                matter.action_send_status_link()
        link = matter.status_url
        self.assertTrue(link)
        partner = matter.partner_id
        self.assertEqual(partner.email_normalized, "zhangsan@customer.example.com")
        self.assertEqual(partner.name, "张三")
        self.assertFalse(partner.phone)
        message, sent = self.assertSentToCustomerOnly(
            matter,
            partner,
            self.staff_a1,
            self.customer_text(matter, "Status link of your matter %(number)s"),
        )
        self.assertIn(link, message.body)
        self.assertIn(link, sent["body"])
        for text in (message.body, sent["body"]):
            self.assertNotIn(PHONE, text)
            self.assertNotIn(ID_NUMBER, text)
        # the button stays: emailing it again sends the same link, made once
        self.assertIn("send_status_link", matter.available_actions)
        self.assertNotIn("make_status_link", matter.available_actions)
        with self.mock_mail_gateway():
            with self.assertLogged(matter):
                matter.action_send_status_link()
        self.assertEqual(matter.status_url, link)
        self.assertEqual(len(self.customer_messages(matter)), 2)

    def test_the_status_link_of_a_closed_matter_is_emailed_too(self):
        matter = self.counter_matter(self.staff_a1)
        matter.action_handle()
        matter.answer("已当面答复", "on_the_spot")
        matter.action_close()
        self.assertEqual(matter.state, "closed")
        self.assertIn("send_status_link", matter.available_actions)
        with self.mock_mail_gateway():
            matter.action_send_status_link()
        self.assertTrue(matter.partner_id)
        self.assertSentToCustomerOnly(
            matter,
            matter.partner_id,
            self.staff_a1,
            self.customer_text(matter, "Status link of your matter %(number)s"),
        )

    def test_a_letters_status_link_is_sent_in_its_thread(self):
        matter = self.receive("理赔进度", msg_id="<link-letter@customer.example.com>")
        with self.mock_mail_gateway():
            matter.with_user(self.staff_a1b).action_send_status_link()
        _message, sent = self.assertSentToCustomerOnly(
            matter, matter.partner_id, self.staff_a1b, "Re: 理赔进度"
        )
        self.assertIn("<link-letter@customer.example.com>", sent["references"])
        self.assertIn(matter.status_url, sent["body"])

    def test_the_status_link_is_not_emailed_without_the_customers_email(self):
        matter = self.register(self.staff_a1)
        self.assertNotIn("send_status_link", matter.available_actions)
        with self.mock_mail_gateway():
            with self.assertRaises(UserError):
                matter.action_send_status_link()
        self.assertFalse(matter.sudo().access_token)
        self.assertFalse(self.customer_messages(matter))
        self.assertFalse(self._mails)

    def test_only_the_first_responsible_emails_the_status_link(self):
        matter = self.counter_matter(self.staff_a1)
        for user in (
            self.inspector,
            self.staff_a1b,
            self.staff_b1,
            self.sup_a1,
            self.sup_province,
        ):
            mine = matter.with_user(user)
            if mine._filtered_access("read"):
                self.assertNotIn(
                    "send_status_link", mine.available_actions or [], user.login
                )
            with self.mock_mail_gateway():
                with self.assertRaises(REFUSED):
                    mine.action_send_status_link()
            self.assertFalse(matter.sudo().access_token, user.login)
            self.assertFalse(self.customer_messages(matter), user.login)
            self.assertFalse(self._mails, user.login)
            self.assertFalse(matter.partner_id, user.login)

    def test_a_contact_hidden_from_the_user_is_never_linked(self):
        """Another matter's customer with the same email is hidden from the
        user: they get a contact of their own, never that one (whose phone
        they would then read)."""
        other = self.register(self.staff_b1)
        hidden = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": "李四",
                    "email": "zhangsan@customer.example.com",
                    "phone": PHONE,
                }
            )
        )
        other.sudo().partner_id = hidden
        self.assertFalse(hidden.with_user(self.staff_a1)._filtered_access("read"))
        matter = self.counter_matter(self.staff_a1)
        with self.mock_mail_gateway():
            matter.action_send_status_link()
        self.assertTrue(matter.partner_id)
        self.assertNotEqual(matter.partner_id, hidden)
        self.assertFalse(matter.partner_id.phone)
        self.assertSentToCustomerOnly(
            matter,
            matter.partner_id,
            self.staff_a1,
            self.customer_text(matter, "Status link of your matter %(number)s"),
        )

    # ------------------------------------------------------------------
    # the chatter
    # ------------------------------------------------------------------

    def test_the_chatter_suggests_the_customer_only(self):
        matter = self.counter_matter(self.staff_a1)
        matter.message_subscribe(partner_ids=self.sup_a1.partner_id.ids)
        suggested = matter._message_get_suggested_recipients()
        self.assertEqual(len(suggested), 1)
        self.assertIn("zhangsan@customer.example.com", suggested[0]["email"])
        self.assertFalse(suggested[0].get("partner_id"))
        self.assertEqual(suggested[0]["create_values"], {"name": "张三"})
        # once the customer has a contact, it is the one suggested
        with self.mock_mail_gateway():
            matter.action_send_status_link()
        suggested = matter._message_get_suggested_recipients()
        self.assertEqual(len(suggested), 1)
        self.assertEqual(suggested[0]["partner_id"], matter.partner_id.id)
        # a reader who may not post is offered nobody
        self.assertEqual(
            matter.with_user(self.inspector)._message_get_suggested_recipients(), []
        )

    def test_the_customer_reads_what_was_emailed_to_them(self):
        """Not internal: the customer's portal shows the email (not the staff's
        notes)."""
        matter = self.receive("理赔款未到账")
        with self.mock_mail_gateway():
            matter.with_user(self.staff_a1b).answer("已到账。", "email")
        message = self.customer_messages(matter)
        self.assertFalse(self.subtype.internal)
        self.assertFalse(message.is_internal)
        # the customer with a portal account reads it, not the staff's notes
        portal = new_test_user(
            self.env,
            login="sw_letter_customer",
            groups="base.group_portal",
            email=CUSTOMER_EMAIL,
        )
        matter.sudo().partner_id = portal.partner_id
        with self.mock_mail_gateway():
            matter.with_user(self.staff_a1b).action_send_status_link()
        sent = self.customer_messages(matter)
        self.assertEqual(len(sent), 2)
        self.assertEqual(sent[0].notification_ids.res_partner_id, portal.partner_id)
        sent.with_user(portal).check_access("read")
        note = matter.with_user(self.staff_a1b).message_post(
            body="内部备注：客户来电两次", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(note.notification_ids)
        with self.assertRaises(UserError):
            note.with_user(portal).check_access("read")


@tagged("post_install", "-at_install")
class TestComplainantEmail(ComplaintCase, MailCommon):
    def test_the_complainant_told_by_email_receives_the_reviewed_reply(self):
        matter = self.in_feedback(customer_email="zhaoliu@customer.example.com")
        matter.message_subscribe(partner_ids=self.sup_a1.partner_id.ids)
        with self.mock_mail_gateway():
            matter.tell_complainant("email")
        self.assertEqual(matter.state, "callback")
        partner = matter.partner_id
        self.assertEqual(partner.email_normalized, "zhaoliu@customer.example.com")
        message = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "shouwen.matter"),
                    ("res_id", "=", matter.id),
                    (
                        "subtype_id",
                        "=",
                        self.env.ref(
                            "shouwen_responsibility.mt_shouwen_customer_email"
                        ).id,
                    ),
                ]
            )
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.staff_a1.partner_id)
        self.assertEqual(message.notification_ids.res_partner_id, partner)
        self.assertIn(REPLY, message.body)
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertEqual(mails.recipient_ids, partner)
        self.assertEqual(
            [mail["email_to"] for mail in self._mails if REPLY in mail["body"]],
            [[partner.email_formatted]],
        )

    def test_the_complainant_is_not_told_by_email_without_one(self):
        matter = self.in_feedback()
        with self.mock_mail_gateway():
            with self.assertRaises(UserError):
                matter.tell_complainant("email")
        self.assertEqual(matter.state, "feedback")
        self.assertFalse(self._mails)
