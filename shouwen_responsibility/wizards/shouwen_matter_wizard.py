# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.shouwen_handover import RETURN_CATEGORIES
from ..models.shouwen_matter_complaint import CALLBACK_OUTCOMES
from ..tools.catalogue import BUSINESS_DOMAINS, CHANNELS, KINDS, TOLD_METHODS
from ..tools.workflow import ACTIONS


class ShouwenMatterWizard(models.TransientModel):
    """One dialog for every action that needs input: whom to guide to, the
    reason of a return, the answer and how the customer was told …  It only
    collects the input; the matter's own method checks and acts."""

    _name = "shouwen.matter.wizard"
    _description = "Matter action"

    matter_id = fields.Many2one("shouwen.matter", required=True, ondelete="cascade")
    action = fields.Selection(
        [
            *ACTIONS,
            ("finish_part", "Finish my part"),
            ("cancel_part", "Close a part"),
            ("reject_assignment", "Reject the assignment"),
            ("urge_part", "Urge the part"),
        ],
        required=True,
    )
    matter_unit_id = fields.Many2one(related="matter_id.unit_id", string="Matter unit")
    # the people who may receive the matter (res.users._shouwen_handler_domain)
    user_domain = fields.Binary(
        string="Who may receive the matter", compute="_compute_user_domain"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Staff member",
        domain="user_domain",
    )
    suggested_handler_ids = fields.Many2many(
        related="matter_id.suggested_handler_ids", string="Suggested handlers"
    )
    part_id = fields.Many2one(
        "shouwen.matter.part",
        domain="[('matter_id', '=', matter_id), ('state', '=', 'open')]",
    )
    text = fields.Text()
    matter_business_domain = fields.Selection(related="matter_id.business_domain")
    matter_kind = fields.Selection(related="matter_id.kind")
    notice_template_id = fields.Many2one(
        "shouwen.notice.template",
        string="One-time notice template",
        domain="[('active', '=', True), "
        "('business_domain', '=', matter_business_domain), "
        "('kind', 'in', [matter_kind, False])]",
        help="Fills the text below with the template's materials or answer; "
        "adapt it to the customer before confirming.",
    )
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
    unit_id = fields.Many2one(
        "shouwen.unit",
        help="Leave the staff member empty to let any staff of the unit sign.",
    )
    callback_outcome = fields.Selection(CALLBACK_OUTCOMES, string="Outcome")
    withdrawal_date = fields.Date(
        string="Withdrawal received on", default=fields.Date.context_today
    )
    is_complaint = fields.Boolean(compute="_compute_is_complaint")
    return_category = fields.Selection(RETURN_CATEGORIES, string="Why returned")
    return_judgement = fields.Selection(
        [
            ("justified", "The return was justified"),
            ("unjustified", "The return was not justified"),
        ],
        string="Judgement",
    )

    new_kind = fields.Selection(
        KINDS,
        string="New kind",
        compute="_compute_new_class",
        store=True,
        readonly=False,
    )
    new_business_domain = fields.Selection(
        BUSINESS_DOMAINS,
        string="New business domain",
        compute="_compute_new_class",
        store=True,
        readonly=False,
    )
    new_priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent")],
        string="New priority",
        compute="_compute_new_class",
        store=True,
        readonly=False,
    )
    new_channel = fields.Selection(
        CHANNELS,
        string="New channel",
        compute="_compute_new_class",
        store=True,
        readonly=False,
    )

    @api.depends("matter_id")
    @api.depends_context("uid")
    def _compute_user_domain(self):
        # the server checks the same rule when the dialog is confirmed
        Users = self.env["res.users"]
        for wizard in self:
            wizard.user_domain = Users._shouwen_handler_domain(wizard.matter_unit_id)

    @api.depends("matter_id")
    def _compute_is_complaint(self):
        for wizard in self:
            wizard.is_complaint = wizard.matter_id.kind == "complaint"

    @api.depends("matter_id")
    def _compute_new_class(self):
        # the dialog starts from the matter's present class
        for wizard in self:
            matter = wizard.matter_id
            wizard.new_kind = matter.kind
            wizard.new_business_domain = matter.business_domain
            wizard.new_priority = matter.priority
            wizard.new_channel = matter.channel

    @api.onchange("notice_template_id")
    def _onchange_notice_template_id(self):
        """Start the text from the chosen template: its materials for a
        materials notice, its usual answer for an answer."""
        template = self.notice_template_id
        source = {"notify_materials": "materials", "answer": "answer_text"}.get(
            self.action
        )
        if template and source and template[source]:
            self.text = template[source]

    @api.onchange("user_id")
    def _onchange_user_id(self):
        """A complaint proposed to a person goes to their own unit: the unit
        follows the person chosen."""
        if self.action == "propose_assignment" and self.user_id:
            self.unit_id = self.user_id.shouwen_unit_id

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
        run = getattr(self, f"_confirm_{self.action}", None)
        if run is None:
            raise UserError(self.env._("This action needs no dialog."))
        run(self.matter_id)
        return {"type": "ir.actions.act_window_close"}

    # one small method per action: collect the input, let the matter act

    def _staff_member(self):
        if not self.user_id:
            raise UserError(self.env._("Choose the staff member."))
        return self.user_id

    def _confirm_guide(self, matter):
        matter.guide(self._staff_member(), note=self.text)

    def _confirm_return(self, matter):
        if not self.return_category:
            raise UserError(self.env._("Choose why the matter is returned."))
        matter.return_guide(self.text, category=self.return_category)

    def _confirm_dispute_return(self, matter):
        matter.dispute_return(self.text)

    def _confirm_decide_return(self, matter):
        if not self.return_judgement:
            raise UserError(self.env._("Say whether the return was justified."))
        matter.decide_return(
            self.return_judgement == "justified", self._staff_member(), self.text
        )

    def _confirm_urge(self, matter):
        matter.urge(self.text)

    def _confirm_urge_part(self, matter):
        if not self.part_id:
            raise UserError(self.env._("Choose the part to urge."))
        self.part_id.urge(self.text)

    def _confirm_approve_closure(self, matter):
        matter.approve_closure(self.text)

    def _confirm_coordinate(self, matter):
        matter.coordinate(self._staff_member(), self.text)

    def _confirm_notify_materials(self, matter):
        matter.notify_materials(
            self.text, pause=self.pause, template=self.notice_template_id
        )

    def _confirm_request_extension(self, matter):
        matter.request_extension(self.new_deadline, self.text)

    def _confirm_decide_extension(self, matter):
        if self.decision == "refuse":
            matter.refuse_extension(self.text)
        else:
            matter.approve_extension(
                note=self.text, customer_notice=self.customer_notice
            )

    def _confirm_answer(self, matter):
        matter.answer(
            self.text,
            self.told_method,
            told_date=self.told_date,
            told_note=self.told_note,
            template=self.notice_template_id,
        )

    def _confirm_reopen(self, matter):
        matter.reopen(self.text)

    def _confirm_finish_part(self, matter):
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

    def _confirm_cancel_part(self, matter):
        if not self.part_id:
            raise UserError(self.env._("Choose the part to close."))
        self.part_id.cancel(self.text)

    def _confirm_propose_assignment(self, matter):
        matter.propose_assignment(
            user=self.user_id.id, unit=self.unit_id.id, note=self.text
        )

    def _confirm_reject_assignment(self, matter):
        matter.reject_tier(self.text)

    def _confirm_submit_reply(self, matter):
        matter.submit_reply(self.text)

    def _confirm_review_accept(self, matter):
        matter.review_accept(self.text)

    def _confirm_review_send_back(self, matter):
        matter.review_send_back(self.text)

    def _confirm_tell_complainant(self, matter):
        matter.tell_complainant(
            self.told_method, told_date=self.told_date, told_note=self.text
        )

    def _confirm_callback(self, matter):
        matter.record_callback(self.callback_outcome, note=self.text)

    def _confirm_reclassify(self, matter):
        matter.reclassify(
            self.text,
            kind=self.new_kind,
            business_domain=self.new_business_domain,
            priority=self.new_priority,
            channel=self.new_channel,
        )

    def _confirm_withdraw(self, matter):
        matter.withdraw(self.text, date=self.withdrawal_date)
