# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import UserError

#: what a message says, and about what: frozen once posted on a matter
CONTENT_FIELDS = frozenset(
    {
        "body",
        "subject",
        "attachment_ids",
        "tracking_value_ids",
        "author_id",
        "email_from",
        "date",
        "model",
        "res_id",
        "message_type",
        "subtype_id",
    }
)

AUDITED_MODELS = ("shouwen.matter", "shouwen.finding")

#: key of the transaction-local set of messages being notified by email (not
#: the context: a client sets the context)
NOTIFYING = "shouwen_responsibility.notifying_message_ids"


class MailMessage(models.Model):
    """The chatter of a matter is part of its audit trail: nobody but the
    superuser edits or deletes what was posted there."""

    _inherit = "mail.message"

    def _check_audit_trail(self):
        if self.env.uid == SUPERUSER_ID:
            return
        # sudo: only the model of each message is read, to refuse changing it
        if any(message.model in AUDITED_MODELS for message in self.sudo()):
            raise UserError(
                self.env._(
                    "Messages of a matter are part of its record: they cannot be "
                    "changed or deleted."
                )
            )

    def write(self, vals):
        content = CONTENT_FIELDS & set(vals)
        notifying = self.env.cr.precommit.data.get(NOTIFYING, ())
        if content == {"subject"} and set(self.ids) <= set(notifying):
            # mail.mail inherits mail.message: the notification email of a
            # message being posted gives it its subject; not a rewrite
            content = set()
        if content:
            self._check_audit_trail()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_trail(self):
        self._check_audit_trail()
