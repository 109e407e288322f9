# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

EXTENSION_STATES = [
    ("pending", "Waiting for approval"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]


class ShouwenExtension(models.Model):
    """A request to extend the closure deadline of a matter (延期), and its
    decision.  Created and decided by the matter's actions only."""

    _name = "shouwen.extension"
    _inherit = ["shouwen.undeletable.mixin"]
    _description = "Extension of a closure deadline"
    _order = "id desc"

    matter_id = fields.Many2one(
        "shouwen.matter", required=True, index=True, ondelete="restrict", readonly=True
    )
    requested_by_id = fields.Many2one("res.users", readonly=True, required=True)
    reason = fields.Text(required=True, readonly=True)
    old_deadline = fields.Datetime(string="Deadline before", readonly=True)
    new_deadline = fields.Datetime(string="Proposed deadline", readonly=True)
    needs_senior = fields.Boolean(
        string="Needs the superior unit",
        readonly=True,
        help="Beyond the limit of the policy: the superior unit's senior manager "
        "approves.",
    )
    state = fields.Selection(
        EXTENSION_STATES, default="pending", required=True, readonly=True, index=True
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(readonly=True)
    decision_note = fields.Text(readonly=True)
    customer_notice = fields.Text(
        string="Notice to the complainant",
        readonly=True,
        help="For complaints: what the complainant was told of the extension.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Extensions are requested from the matter only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("Extensions are decided from the matter only."))
        return super().write(vals)

    def _raise_undeletable(self):
        raise UserError(self.env._("Extension requests cannot be deleted."))
