# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer hears back by email: an answer given "by email" and the
private status link are sent to the matter's customer, and to nobody else,
through the matter's chatter (a letter's answer in the letter's own thread,
so that the customer's mail client shows it as the reply)."""

from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import formataddr
from odoo.tools.mail import email_normalize, plaintext2html

from ..tools import personal_data

#: the subtype of the emails to the customer: no follower is subscribed to it
#: (not a default one, hidden from the choices), so they reach the customer only
CUSTOMER_EMAIL_SUBTYPE = "shouwen_responsibility.mt_shouwen_customer_email"


class ShouwenMatterCustomerEmail(models.Model):
    # the emails to the customer are a concern of their own, beside the workflow
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def answer(
        self, result, told_method, told_date=None, told_note=None, template=None
    ):
        """Answered "by email": the result is sent to the customer."""
        if told_method == "email":
            self._customer_email_address()
        done = super().answer(
            result,
            told_method,
            told_date=told_date,
            told_note=told_note,
            template=template,
        )
        if told_method == "email":
            self._email_answer()
        return done

    def tell_complainant(self, told_method, told_date=None, told_note=None):
        """The complainant told "by email": the reply is sent to them."""
        if told_method == "email":
            self._customer_email_address()
        done = super().tell_complainant(
            told_method, told_date=told_date, told_note=told_note
        )
        if told_method == "email":
            self._email_answer()
        return done

    def action_send_status_link(self):
        """Email the customer their private status link (发送查询链接), made
        first if there is none yet (the same logged action as
        :meth:`action_make_status_link`): by whoever may make it."""
        self.ensure_one()
        self._check_action("make_status_link")
        self._customer_email_address()
        self._make_status_link()
        partner = self._customer_email_partner()
        env = self._customer_lang_env(partner)
        body = Markup("<p>%s</p><p>%s</p><p>%s</p>") % (
            env._("Dear %(name)s,", name=self.customer_name),
            env._(
                "You can follow the status of your matter %(number)s (%(subject)s) "
                "at any time on this page:",
                number=self.name,
                subject=self.subject,
            ),
            Markup('<a href="%s">%s</a>') % (self.status_url, self.status_url),
        ) + Markup("<p>%s</p>") % env._(
            "Anyone holding this link sees the status of the matter: keep it "
            "to yourself."
        )
        self._post_to_customer(
            partner,
            self._customer_email_subject(
                env._("Status link of your matter %(number)s", number=self.name)
            ),
            body,
        )
        return True

    # ------------------------------------------------------------------
    # the chatter: the customer is the one suggested recipient
    # ------------------------------------------------------------------

    def _message_get_suggested_recipients(self):
        """The customer only, to those who may post on the matter: never its
        followers (staff), whom the chatter would otherwise offer."""
        self.ensure_one()
        result = []
        if self not in self._shouwen_posters():
            return result
        partner = self.partner_id._filtered_access("read")
        reason = self.env._("Customer")
        if partner:
            self._message_add_suggested_recipient(
                result, partner=partner, reason=reason
            )
        elif email_normalize(self.customer_email or ""):
            self._message_add_suggested_recipient(
                result,
                email=formataddr((self.customer_name or "", self.customer_email)),
                reason=reason,
            )
        return result

    def _get_customer_information(self):
        # a contact made from the suggestion has the customer's name and
        # email, never their phone or ID number
        info = super()._get_customer_information()
        for matter in self:
            email = email_normalize(matter.customer_email or "")
            if email:
                info.setdefault(email, {"name": matter.customer_name or email})
        return info

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """An email to the customer has no "view" button: the private link,
        when the customer has one, is in its text (the button's link would
        be made on the way, see ``_portal_ensure_token``)."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        subtype_id = (msg_vals or {}).get("subtype_id") or message.subtype_id.id
        if subtype_id == self.env["ir.model.data"]._xmlid_to_res_id(
            CUSTOMER_EMAIL_SUBTYPE
        ):
            for _name, _matches, data in groups:
                data["has_button_access"] = False
        return groups

    def _notify_by_email_get_base_mail_values(self, message, additional_values=None):
        """The customer's mail client threads an email to them under their
        letter: its References name the letter's Message-ID first."""
        values = super()._notify_by_email_get_base_mail_values(
            message, additional_values=additional_values
        )
        # sudo: the subtype of the message being sent, and below the
        # Message-ID of this matter's letter, for the header
        if len(self) != 1 or message.sudo().subtype_id != self.env.ref(
            CUSTOMER_EMAIL_SUBTYPE
        ):
            return values
        letter = self._customer_letter()
        if letter.message_id:
            references = values.get("references") or ""
            if letter.message_id not in references.split():
                values["references"] = f"{letter.message_id} {references}".strip()
        return values

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _customer_email_address(self):
        """The customer's email address, normalised; refused without one."""
        self.ensure_one()
        email = email_normalize(self.customer_email or "")
        if not email:
            raise UserError(
                self.env._(
                    "Matter %(number)s has no valid customer email: enter the "
                    "customer's email address first.",
                    number=self.name,
                )
            )
        return email

    def _customer_email_partner(self):
        """The contact the email goes to: the matter's customer contact when
        it has the customer's email; else a contact of that email the user
        may read; else a new one, with the customer's name and email only
        (no phone, no ID number).  A matter without a contact gets it."""
        self.ensure_one()
        email = self._customer_email_address()
        partner = self.partner_id._filtered_access("read")
        if partner and partner.email_normalized == email:
            return partner
        # searched as the user: a contact hidden from them (another matter's
        # customer) is never linked here, which would show it to them
        found = self._mail_find_partner_from_emails([email], records=self)[0]
        if not found:
            # sudo: staff may not create contacts; this one holds only what
            # the matter already shows them (the customer's name and email)
            found = (
                self.env["res.partner"]
                .sudo()
                .create({"name": self.customer_name or email, "email": email})
                .with_env(self.env)
            )
        if not self.partner_id:
            # the customer's contact, found or made from the matter's own email
            self.partner_id = found
        return found

    def _customer_lang_env(self, partner):
        """The environment the customer is written to in: their language."""
        # sudo: only the language of the contact the email goes to
        lang = partner.sudo().lang or self.env.company._shouwen_lang()
        return self.with_context(lang=lang).env

    def _customer_letter(self):
        """The letter (the first email received) that made this matter, or
        nothing for other channels."""
        self.ensure_one()
        if self.channel != "letter":
            return self.env["mail.message"]
        # sudo: the first email of a matter the user reads, for its subject
        # and Message-ID (the headers of the reply)
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "=", "email"),
                ],
                order="id",
                limit=1,
            )
        )

    def _customer_email_subject(self, default):
        """A letter's answer says "Re: " and the letter's own subject."""
        letter = self._customer_letter()
        if not letter:
            return default
        subject = (letter.subject or self.subject or "").strip()
        if subject.lower().startswith("re:"):
            return subject
        return f"Re: {subject}"

    def _masked_personal_data(self, text):
        """``text`` with the customer's phone and ID numbers masked: they
        never leave in an email."""
        clear = self._personal_clear_values()[self.id]
        for value, mask in (
            (clear.get("customer_phone_clear"), personal_data.mask_phone),
            (clear.get("customer_id_number_clear"), personal_data.mask_id_number),
        ):
            if value and len(value) >= 5:
                text = text.replace(value, mask(value))
        return text

    def _email_answer(self):
        """Send the recorded answer to the customer."""
        self.ensure_one()
        partner = self._customer_email_partner()
        env = self._customer_lang_env(partner)
        body = Markup("<p>%s</p><p>%s</p>%s") % (
            env._("Dear %(name)s,", name=self.customer_name),
            env._(
                "Here is the answer to your matter %(number)s (%(subject)s):",
                number=self.name,
                subject=self.subject,
            ),
            plaintext2html(self._masked_personal_data(self.result or "")),
        )
        if self.status_url:
            body += Markup('<p>%s <a href="%s">%s</a></p>') % (
                env._("Follow its status here:"),
                self.status_url,
                self.status_url,
            )
        self._post_to_customer(
            partner,
            self._customer_email_subject(
                env._("Answer to your matter %(number)s", number=self.name)
            ),
            body,
        )

    def _post_to_customer(self, partner, subject, body):
        """Post ``body`` in the matter's chatter, sent by email to
        ``partner`` only: no follower is subscribed to its subtype."""
        return self.message_post(
            body=body,
            subject=subject,
            partner_ids=partner.ids,
            message_type="comment",
            subtype_xmlid=CUSTOMER_EMAIL_SUBTYPE,
            email_layout_xmlid="mail.mail_notification_light",
        )
