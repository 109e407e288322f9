# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Letters by email (来信来函): an email to a unit's alias becomes a matter
with the channel ``letter``; replies in its thread are appended to it."""

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.mail import email_normalize, html2plaintext, parse_contact_from_email

#: what a unit's alias may preset on the letters it receives
LETTER_DEFAULTS = ("unit_id", "kind", "business_domain", "priority")


class ShouwenMatterLetter(models.Model):
    # the email channel is a concern of its own, beside the workflow
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    receiver_fallback = fields.Boolean(
        string="Given to a supervisor",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The letter's unit had no approved designated receiver: it was "
        "given to a supervisor, who should see that one is approved.",
    )

    def _workflow_fields(self):
        return super()._workflow_fields() | {"receiver_fallback"}

    # ------------------------------------------------------------------
    # the mail gateway
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A letter reached a unit's alias: register it as a matter whose
        first receiver is the staff member it names, else the designated
        receiver of the unit it names or reached (see
        ``shouwen.unit._letter_receiver``).  All or nothing."""
        self = self._fallback_lang()  # the system's language
        self._check_mail_gateway()
        defaults = {
            fname: value
            for fname, value in (custom_values or {}).items()
            if fname in LETTER_DEFAULTS
        }
        unit_id = defaults.pop("unit_id", None)
        unit = self.env["shouwen.unit"].browse(
            unit_id if isinstance(unit_id, int) else []
        )
        if not unit.exists() or not unit.active:
            raise UserError(
                self.env._(
                    "The letter reached no active unit: send it to a unit's "
                    "letter address."
                )
            )
        # a failure leaves nothing behind, even where the caller (fetchmail)
        # commits after a failed message
        with self.env.cr.savepoint():
            unit, receiver, fallback = unit._letter_receiver(msg_dict)
            # the system registers the letter: its log line, its numbering and
            # its defaults are nobody's, whoever sent it; the caller is the
            # gateway, already the superuser (checked above), so this widens
            # nothing
            matter = (
                self.with_user(SUPERUSER_ID)
                .with_context(lang=receiver.lang)
                .create(
                    [
                        {
                            **defaults,
                            **self._letter_values(msg_dict, receiver),
                            "unit_id": unit.id,
                            "receiver_fallback": fallback,
                        }
                    ]
                )
            )
            matter._letter_received(receiver)
        return matter.with_env(self.env)

    def message_update(self, msg_dict, update_vals=None):
        """A reply in the thread of a matter: the mail gateway appends it to
        the matter's messages (and notifies its followers); nothing of the
        matter changes and no matter is created."""
        self._check_mail_gateway()
        return super().message_update(msg_dict, update_vals=None)

    def _check_mail_gateway(self):
        """Only the mail gateway (running as the superuser) delivers
        letters; nobody calls these methods over RPC."""
        if not self.env.su:
            raise AccessError(
                self.env._("Letters are received through the mail gateway only.")
            )

    @api.model
    def _letter_values(self, msg_dict, receiver):
        """The matter's values read from the letter: channel, subject, the
        plain text of its body, the sender as the customer."""
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        email = email_normalize(email) or False
        Users = self.env["res.users"]
        colleague = (
            Users.search(
                [
                    ("email_normalized", "=", email),
                    ("share", "=", False),
                    ("shouwen_unit_id", "!=", False),
                ],
                limit=1,
            )
            if email
            else Users
        )
        subject = (msg_dict.get("subject") or "").strip() or self.with_context(
            lang=receiver.lang
        ).env._("Letter without subject")
        return {
            "channel": "letter",
            "subject": subject,
            "description": html2plaintext(msg_dict.get("body") or "").strip() or False,
            "customer_type": "internal" if colleague else "external",
            "customer_name": (name or "").strip() or email or subject,
            "customer_email": email,
            "partner_id": msg_dict.get("author_id") or False,
            "first_receiver_id": receiver.id,
        }

    def _letter_received(self, receiver):
        """Ask the first receiver to register the letter's handling; when it
        went to a supervisor, say why in the chatter."""
        self.ensure_one()
        env = self.with_context(lang=receiver.lang).env
        if self.receiver_fallback:
            reason = self.unit_id.with_env(env)._receiver_fallback_reason()
            self.message_post(
                body=Markup("<p>%s</p>")
                % env._(
                    "Letter given to %(user)s, a supervisor, because %(reason)s. "
                    "Approve a designated receiver for the unit.",
                    user=receiver.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._schedule(
            "letter",
            receiver,
            env._("A letter was received: register its handling"),
        )
