# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class MailTrackingValue(models.Model):
    """Tracked values of a matter belong to its audit trail, like its
    messages."""

    _inherit = "mail.tracking.value"

    def write(self, vals):
        self.mail_message_id._check_audit_trail()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_trail(self):
        self.mail_message_id._check_audit_trail()
