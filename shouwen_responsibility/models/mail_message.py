# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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

    def _get_forbidden_access(self, operation):
        """A customer reads of a matter's chatter only what was sent to them:
        Odoo hides internal messages from portal users for comments only, so
        that an internal note posted as a notification (the addon's notes,
        urgings, activity feedback) would be readable by its id."""
        forbidden = super()._get_forbidden_access(operation)
        if self.env.user._is_internal() or self.env.su:
            return forbidden
        rest = self - forbidden
        if not rest:
            return forbidden
        rows = self.env.execute_query(
            SQL(
                """SELECT message.id
                     FROM mail_message AS message
                LEFT JOIN mail_message_subtype AS subtype
                       ON message.subtype_id = subtype.id
                    WHERE message.id = ANY(%s)
                      AND message.model IN %s
                      AND message.author_id IS DISTINCT FROM %s
                      AND (message.is_internal IS TRUE
                           OR message.subtype_id IS NULL
                           OR subtype.internal IS TRUE)""",
                rest.ids,
                AUDITED_MODELS,
                self.env.user.partner_id.id,
            )
        )
        return forbidden + self.browse(id_ for (id_,) in rows)
