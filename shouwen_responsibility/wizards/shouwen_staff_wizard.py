# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models

from ..models.res_users import ROLES


class ShouwenStaffWizard(models.TransientModel):
    """The addon's administrator gives a staff member their unit, posts and
    role (*Configuration → Staff*), without Settings rights: the dialog writes
    the user's first-inquiry fields, which ``res.users.write`` lets them
    change and nothing else."""

    _name = "shouwen.staff.wizard"
    _description = "Unit, posts and role of a staff member"

    user_id = fields.Many2one(
        "res.users", string="Staff member", required=True, readonly=True
    )
    unit_id = fields.Many2one(
        "shouwen.unit",
        compute="_compute_from_user",
        store=True,
        readonly=False,
    )
    post_ids = fields.Many2many(
        "shouwen.post",
        string="Service posts",
        compute="_compute_from_user",
        store=True,
        readonly=False,
    )
    role = fields.Selection(
        ROLES,
        string="First-inquiry role",
        compute="_compute_from_user",
        store=True,
        readonly=False,
    )
    inspector = fields.Boolean(
        string="First-inquiry inspector",
        compute="_compute_from_user",
        store=True,
        readonly=False,
    )

    @api.depends("user_id")
    def _compute_from_user(self):
        for wizard in self:
            user = wizard.user_id
            wizard.unit_id = user.shouwen_unit_id
            wizard.post_ids = user.shouwen_post_ids
            wizard.role = user.shouwen_role
            wizard.inspector = user.shouwen_inspector

    def action_apply(self):
        self.ensure_one()
        self.check_access("write")
        self.user_id.write(
            {
                "shouwen_unit_id": self.unit_id.id,
                "shouwen_post_ids": [Command.set(self.post_ids.ids)],
                "shouwen_role": self.role,
                "shouwen_inspector": self.inspector,
            }
        )
        return {"type": "ir.actions.act_window_close"}
