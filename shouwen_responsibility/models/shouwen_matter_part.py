# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

PART_STATES = [
    ("open", "Open"),
    ("done", "Done"),
    ("cancelled", "Closed by the first responsible"),
]


class ShouwenMatterPart(models.Model):
    """A part of a matter given to another staff member (协办): they do their
    part, the first responsible stays responsible and answers the customer."""

    _name = "shouwen.matter.part"
    _inherit = ["shouwen.undeletable.mixin"]
    _description = "Co-handling part"
    _order = "matter_id, id"

    #: what the assignee may write themselves; the rest moves by actions
    _ASSIGNEE_FIELDS = {"result"}

    name = fields.Char(string="Task", required=True, readonly=True)
    matter_id = fields.Many2one(
        "shouwen.matter", required=True, index=True, ondelete="restrict", readonly=True
    )
    assignee_id = fields.Many2one("res.users", required=True, index=True, readonly=True)
    unit_id = fields.Many2one(
        "shouwen.unit", related="assignee_id.shouwen_unit_id", store=True
    )
    requested_by_id = fields.Many2one("res.users", string="Requested by", readonly=True)
    state = fields.Selection(
        PART_STATES, default="open", required=True, readonly=True, index=True
    )
    result = fields.Text()
    cancel_reason = fields.Text(string="Reason for closing", readonly=True)
    date_done = fields.Datetime(string="Finished on", readonly=True)
    signed_date = fields.Datetime(string="Signed on", readonly=True)
    urge_count = fields.Integer(string="Times urged", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Parts are given from the matter (Coordinate) only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) - self._ASSIGNEE_FIELDS:
            raise UserError(
                self.env._("Only the part's result can be edited; use its buttons.")
            )
        return super().write(vals)

    def _raise_undeletable(self):
        raise UserError(self.env._("Parts of a matter cannot be deleted."))

    def _check_assignee(self, message):
        self.matter_id._lock()
        if self.state != "open":
            raise UserError(self.env._("This part is already finished."))
        if self.assignee_id != self.env.user and not self.env.su:
            raise UserError(message)

    def action_sign(self):
        """The assignee signs for their part (签收): their own clock starts."""
        self.ensure_one()
        self._check_assignee(self.env._("Only the assignee can sign for this part."))
        if self.signed_date:
            raise UserError(self.env._("This part is already signed for."))
        self._sign()
        self.matter_id._log(
            "sign",
            from_user=self.requested_by_id,
            to_user=self.assignee_id,
            reason=self.name,
        )
        self.matter_id._activities_done(
            "accept", self.assignee_id, feedback=self.env._("Signed for")
        )
        return True

    def _sign(self):
        # the assignee's own part, checked by the caller
        self.sudo().write({"signed_date": fields.Datetime.now()})
        self.env["shouwen.handover"].sudo().search(
            [("part_id", "=", self.id), ("state", "=", "pending")]
        )._sign(self.assignee_id)

    def action_done(self):
        """The assignee reports their part done (its result is required); a
        part finished without signing for it is signed for now."""
        self.ensure_one()
        self._check_assignee(self.env._("Only the assignee can finish this part."))
        if not (self.result or "").strip():
            raise UserError(
                self.env._("Write the result of your part before finishing it.")
            )
        if not self.signed_date:
            self._sign()
        self._finish("done", "part_done", reason=self.result)

    def urge(self, message):
        """The first responsible (or a supervisor of the matter) urges the
        assignee of an open part (催办)."""
        self.ensure_one()
        matter = self.matter_id
        matter._lock()
        if self.state != "open":
            raise UserError(self.env._("This part is already finished."))
        if (
            matter.first_responsible_id != self.env.user
            and not matter._is_supervised_by(self.env.user)
            and not self.env.su
        ):
            raise UserError(
                self.env._(
                    "Only the first responsible or a supervisor of the matter "
                    "can urge a part."
                )
            )
        message = matter._required_text(
            message, self.env._("Write the urging message.")
        )
        if self.assignee_id == self.env.user:
            raise UserError(self.env._("You cannot urge yourself."))
        # sudo: the urge counter, written by the urge checked above
        self.sudo().write({"urge_count": self.urge_count + 1})
        matter._urge(self.assignee_id, message, part=self)
        return True

    def cancel(self, reason):
        """The first responsible closes an open part, with a reason."""
        self.ensure_one()
        self.matter_id._lock()
        if self.state != "open":
            raise UserError(self.env._("This part is already finished."))
        if self.matter_id.first_responsible_id != self.env.user and not self.env.su:
            raise UserError(self.env._("Only the first responsible can close a part."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for closing the part."))
        self._finish("cancelled", "part_cancel", reason=reason, cancel_reason=reason)

    def _finish(self, state, log_action, reason, **extra):
        # the caller's right to this part was checked above; the part's state
        # and the matter's log are the consequences of that action
        self.sudo().write(dict(extra, state=state, date_done=fields.Datetime.now()))
        self.env["shouwen.handover"].sudo().search(
            [("part_id", "=", self.id), ("state", "=", "pending")]
        )._finish_pending("cancelled")
        # the part is finished: neither its sign-for nor its part to-do is left
        self.matter_id._activities_done("part", self.assignee_id, feedback=reason)
        self.matter_id._activities_done("accept", self.assignee_id, feedback=reason)
        self.matter_id._log(
            log_action,
            from_user=self.assignee_id,
            to_user=self.matter_id.first_responsible_id,
            reason=f"{self.name}: {reason}",
        )
        # the assignee's own clock stops with their part
        self.matter_id._plan_followups()
        self.matter_id._on_part_finished()
