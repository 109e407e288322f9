# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from ..tools.workflow import STATES

LOG_ACTIONS = [
    ("register", "Registered"),
    ("handle", "Handled directly"),
    ("guide", "Guided"),
    ("accept", "Accepted"),
    ("return", "Returned"),
    ("coordinate", "Part given"),
    ("part_done", "Part done"),
    ("part_cancel", "Part closed"),
    ("parts_done", "All parts done"),
    ("notify_materials", "Missing materials told"),
    ("answer", "Answered"),
    ("close", "Closed"),
    ("reopen", "Reopened"),
    ("resume_clock", "Clock resumed"),
    ("request_extension", "Extension requested"),
    ("approve_extension", "Extension approved"),
    ("refuse_extension", "Extension refused"),
    ("escalate", "Escalated (overdue)"),
    ("propose_assignment", "Handler proposed"),
    ("approval_granted", "Assignment approved"),
    ("approval_rejected", "Assignment rejected"),
    ("sign", "Signed for"),
    ("submit_reply", "Reply submitted"),
    ("review_accept", "Reply accepted"),
    ("review_send_back", "Reply sent back"),
    ("tell_complainant", "Complainant told"),
    ("callback", "Callback"),
    ("withdraw", "Withdrawn"),
    ("sign_alert", "Not signed for: alerted"),
    ("dispute_return", "Return disputed"),
    ("decide_return", "Disputed return decided"),
    ("urge", "Urged"),
    ("supervise", "Supervised one level up"),
    ("approve_closure", "Closure approved"),
]


class ShouwenMatterLog(models.Model):
    """The responsibility log: one line for every change of responsibility or
    handling.  Append-only: written by the matter's own methods, never edited
    nor deleted except by the superuser."""

    _name = "shouwen.matter.log"
    _description = "Responsibility log line"
    _order = "date desc, id desc"
    _log_access = True

    matter_id = fields.Many2one(
        "shouwen.matter", required=True, index=True, ondelete="restrict", readonly=True
    )
    action = fields.Selection(LOG_ACTIONS, required=True, readonly=True)
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one("res.users", string="By", required=True, readonly=True)
    from_user_id = fields.Many2one("res.users", string="From", readonly=True)
    to_user_id = fields.Many2one("res.users", string="To", readonly=True)
    state_from = fields.Selection(STATES, readonly=True)
    state_to = fields.Selection(STATES, readonly=True)
    reason = fields.Text(readonly=True)
    unit_id = fields.Many2one(
        related="matter_id.unit_id", string="Unit", store=False, readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Log lines are written by the matter's own actions only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            self._raise_immutable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self.env.uid != SUPERUSER_ID:
            self._raise_immutable()

    def _raise_immutable(self):
        raise UserError(
            self.env._(
                "The responsibility log cannot be changed or deleted: it is the "
                "record of who was accountable when."
            )
        )
