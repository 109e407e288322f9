# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.catalogue import TOLD_METHODS
from ..tools.workflow import ACTIONS


class ShouwenMatterWizard(models.TransientModel):
    """One dialog for every action that needs input: whom to guide to, the
    reason of a return, the answer and how the customer was told …  It only
    collects the input; the matter's own method checks and acts."""

    _name = "shouwen.matter.wizard"
    _description = "Matter action"

    matter_id = fields.Many2one("shouwen.matter", required=True, ondelete="cascade")
    action = fields.Selection(
        [*ACTIONS, ("finish_part", "Finish my part"), ("cancel_part", "Close a part")],
        required=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Staff member",
        domain="[('share', '=', False), ('shouwen_unit_id', '!=', False), "
        "('id', '!=', uid)]",
    )
    suggested_handler_ids = fields.Many2many(
        related="matter_id.suggested_handler_ids", string="Suggested handlers"
    )
    part_id = fields.Many2one(
        "shouwen.matter.part",
        domain="[('matter_id', '=', matter_id), ('state', '=', 'open')]",
    )
    text = fields.Text()
    told_method = fields.Selection(TOLD_METHODS, string="Customer told by")
    told_date = fields.Datetime(string="Customer told on", default=fields.Datetime.now)
    told_note = fields.Text(string="What the customer was told")
    pause = fields.Boolean(
        string="Stop the clock until the materials are brought",
        help="Not for complaints: their clock never stops.",
    )
    new_deadline = fields.Datetime(string="New closure deadline")
    decision = fields.Selection(
        [("approve", "Approve"), ("refuse", "Refuse")], default="approve"
    )
    customer_notice = fields.Text(string="Notice to the complainant")
    is_complaint = fields.Boolean(compute="_compute_is_complaint")

    @api.depends("matter_id")
    def _compute_is_complaint(self):
        for wizard in self:
            wizard.is_complaint = wizard.matter_id.kind == "complaint"

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        matter_id = values.get("matter_id") or self.env.context.get("active_id")
        if matter_id and self.env.context.get("active_model") == "shouwen.matter":
            values["matter_id"] = matter_id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # a dialog acts on a matter its user may read
        wizards.matter_id.check_access("read")
        return wizards

    def action_confirm(self):
        self.ensure_one()
        matter = self.matter_id
        action = self.action
        if action in ("guide", "coordinate") and not self.user_id:
            raise UserError(self.env._("Choose the staff member."))
        if action == "guide":
            matter.guide(self.user_id, note=self.text)
        elif action == "return":
            matter.return_guide(self.text)
        elif action == "coordinate":
            matter.coordinate(self.user_id, self.text)
        elif action == "notify_materials":
            matter.notify_materials(self.text, pause=self.pause)
        elif action == "request_extension":
            matter.request_extension(self.new_deadline, self.text)
        elif action == "decide_extension":
            if self.decision == "refuse":
                matter.refuse_extension(self.text)
            else:
                matter.approve_extension(
                    note=self.text, customer_notice=self.customer_notice
                )
        elif action == "answer":
            matter.answer(
                self.text,
                self.told_method,
                told_date=self.told_date,
                told_note=self.told_note,
            )
        elif action == "reopen":
            matter.reopen(self.text)
        elif action == "finish_part":
            part = (
                self.part_id
                or matter.part_ids.filtered(
                    lambda p: p.state == "open" and p.assignee_id == self.env.user
                )[:1]
            )
            if not part:
                raise UserError(self.env._("You have no open part on this matter."))
            part.write({"result": self.text})
            part.action_done()
        elif action == "cancel_part":
            if not self.part_id:
                raise UserError(self.env._("Choose the part to close."))
            self.part_id.cancel(self.text)
        else:
            raise UserError(self.env._("This action needs no dialog."))
        return {"type": "ir.actions.act_window_close"}
