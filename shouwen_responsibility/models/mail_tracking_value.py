# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError

from .mail_message import AUDITED_MODELS, is_system


class MailTrackingValue(models.Model):
    """Tracked values of a matter belong to its audit trail, like its
    messages: the ORM's tracking writes them, nobody adds one later."""

    _inherit = "mail.tracking.value"

    @api.model_create_multi
    def create(self, vals_list):
        if not is_system(self.env):
            messages = self.env["mail.message"].browse(
                {vals.get("mail_message_id") for vals in vals_list} - {None, False}
            )
            # sudo: only the model of each message is read, to refuse the values
            if any(message.model in AUDITED_MODELS for message in messages.sudo()):
                raise UserError(
                    self.env._(
                        "Tracked changes are recorded by the system when a field "
                        "changes; they cannot be posted."
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        self.mail_message_id._check_audit_trail()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_trail(self):
        self.mail_message_id._check_audit_trail()
