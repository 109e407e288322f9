# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Handovers (交办): every time a matter, a complaint's assignment or a part
is given to somebody, they must sign for it (签收) within the response limit
of the matter's policy — or return it with a reason (退单), which the
dispatcher may accept or dispute.  One row per handover: the sign-for rate,
the time to sign and the returns of each person and unit are read from here."""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import clock as clocks

_logger = logging.getLogger(__name__)

HANDOVER_KINDS = [
    ("guide", "Guided"),
    ("assign", "Assigned (complaint)"),
    ("part", "Part"),
    ("decision", "By a decision on a disputed return"),
]

HANDOVER_STATES = [
    ("pending", "Awaiting sign-for"),
    ("signed", "Signed for"),
    ("returned", "Returned"),
    ("cancelled", "Withdrawn by the dispatcher"),
]

RETURN_CATEGORIES = [
    ("not_our_remit", "Not our remit"),
    ("wrong_unit", "Wrong unit"),
    ("missing_information", "Missing information"),
    ("other", "Other"),
]

DISPUTE_STATES = [
    ("open", "Awaiting the dispatcher"),
    ("accepted", "Return accepted"),
    ("disputed", "Disputed, awaiting the decision"),
    ("justified", "Return judged justified"),
    ("unjustified", "Return judged unjustified"),
]


class ShouwenHandover(models.Model):
    _name = "shouwen.handover"
    _inherit = ["shouwen.undeletable.mixin"]
    _description = "Handover to sign for"
    _order = "sent_date desc, id desc"

    matter_id = fields.Many2one(
        "shouwen.matter", required=True, index=True, ondelete="restrict", readonly=True
    )
    part_id = fields.Many2one(
        "shouwen.matter.part",
        index="btree_not_null",
        readonly=True,
        ondelete="restrict",
    )
    kind = fields.Selection(HANDOVER_KINDS, required=True, readonly=True)
    from_user_id = fields.Many2one(
        "res.users", string="Dispatcher", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recipient",
        readonly=True,
        index=True,
        help="The person it was given to; for a complaint assigned to a unit, "
        "whoever of the unit signed for it or returned it.",
    )
    unit_id = fields.Many2one(
        "shouwen.unit", string="Recipient's unit", readonly=True, index=True
    )
    state = fields.Selection(
        HANDOVER_STATES, default="pending", required=True, readonly=True, index=True
    )
    sent_date = fields.Datetime(
        string="Given on", required=True, readonly=True, default=fields.Datetime.now
    )
    sign_deadline = fields.Datetime(string="Sign for by", readonly=True)
    signed_date = fields.Datetime(string="Signed on", readonly=True)
    sign_hours = fields.Float(
        string="Time to sign (working hours)", readonly=True, aggregator="avg"
    )
    signed_count = fields.Integer(
        string="Signed", readonly=True, help="1 once signed for: sums to a count."
    )
    on_time_count = fields.Integer(
        string="Signed in time", readonly=True, help="1 if signed by the deadline."
    )
    returned_count = fields.Integer(string="Returned", readonly=True)
    unjustified_count = fields.Integer(
        string="Returns judged unjustified", readonly=True
    )
    own_deadline = fields.Datetime(
        string="Own deadline",
        readonly=True,
        help="The recipient's own clock starts at signing; the matter's clock "
        "(a complaint's from its receipt) never restarts.",
    )
    # the return and its dispute
    return_date = fields.Datetime(string="Returned on", readonly=True)
    return_category = fields.Selection(RETURN_CATEGORIES, readonly=True)
    return_reason = fields.Text(readonly=True)
    dispute_state = fields.Selection(DISPUTE_STATES, readonly=True, index=True)
    dispute_reason = fields.Text(string="Why the return is disputed", readonly=True)
    decision_unit_id = fields.Many2one(
        "shouwen.unit",
        readonly=True,
        help="The lowest unit above both parties: its supervisors decide.",
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)
    decision_note = fields.Text(readonly=True)
    decided_user_id = fields.Many2one(
        "res.users", string="Given by the decision to", readonly=True
    )
    binding = fields.Boolean(
        readonly=True,
        help="Given by a decision: it cannot be returned without a new decision.",
    )
    # the sign-for follow-up
    reminded_date = fields.Datetime(readonly=True)
    alerted_date = fields.Datetime(readonly=True)
    next_check_date = fields.Datetime(readonly=True, index="btree_not_null")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Handovers are recorded by the matter's actions only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._("Handovers are recorded by the matter's actions only.")
            )
        return super().write(vals)

    def _raise_undeletable(self):
        raise UserError(self.env._("Handovers cannot be deleted."))

    # ------------------------------------------------------------------
    # recording, called by the matter's actions after their checks
    # ------------------------------------------------------------------

    @api.model
    def _record(
        self,
        matter,
        kind,
        user=None,
        unit=None,
        part=None,
        binding=False,
        dispatcher=None,
    ):
        """A handover of ``matter`` to ``user`` (or to any staff of ``unit``),
        from ``dispatcher`` (the current user by default), with its sign-for
        deadline.  Earlier pending handovers of the same matter (not of a
        part) are superseded."""
        calendar = self.env["shouwen.work.calendar"]._calendar()
        now = fields.Datetime.now()
        policy = matter.policy_id
        deadline = (
            clocks.response_deadline(calendar, policy._terms(), now)
            if policy
            else False
        )
        if not part:
            # sudo: the matter's bookkeeping, by an action the caller was allowed
            superseded = matter._pending_handovers().sudo()
            superseded._finish_pending("cancelled")
            # whoever it was given to before has nothing left to sign for
            superseded._close_todos(
                self.env._("Given to somebody else"), keep=user or None
            )
        return (
            # sudo: as above; returned in the caller's environment (rules apply)
            self.sudo()
            .create(
                {
                    "matter_id": matter.id,
                    "part_id": part.id if part else False,
                    "kind": kind,
                    "from_user_id": (dispatcher or self.env.user).id,
                    "user_id": user.id if user else False,
                    "unit_id": (unit or (user and user.shouwen_unit_id)).id
                    if (unit or user)
                    else False,
                    "sent_date": now,
                    "sign_deadline": deadline,
                    "next_check_date": deadline,
                    "binding": binding,
                }
            )
            .with_env(self.env)
        )

    def _finish_pending(self, state):
        self.write({"state": state, "next_check_date": False})

    def _close_todos(self, feedback, keep=None):
        """Mark done the sign-for to-dos (受理或退回) of these handovers'
        recipients on their matters, but those of ``keep``."""
        for handover in self:
            for user in handover._recipients() - (keep or self.env["res.users"]):
                handover.matter_id._activities_done("accept", user, feedback=feedback)

    def _sign(self, user):
        """``user`` signed for these handovers now."""
        calendar = self.env["shouwen.work.calendar"]._calendar()
        now = fields.Datetime.now()
        # sudo: writes the handovers the action checked the caller may sign
        for handover in self.sudo():
            policy = handover.matter_id.policy_id
            handover.write(
                {
                    "state": "signed",
                    "user_id": user.id,
                    "unit_id": handover.unit_id.id or user.shouwen_unit_id.id,
                    "signed_date": now,
                    "sign_hours": round(
                        calendar.working_hours_between(handover.sent_date, now), 2
                    ),
                    "signed_count": 1,
                    "on_time_count": int(
                        not handover.sign_deadline or now <= handover.sign_deadline
                    ),
                    "own_deadline": clocks.closure_from(calendar, policy._terms(), now)
                    if policy
                    else False,
                    "next_check_date": False,
                }
            )
        # the recipient's own clock starts: its reminder and overdue steps
        self.sudo().matter_id._plan_followups()

    def _return(self, user, category, reason):
        """``user`` returned these handovers now, the dispatcher to decide."""
        # sudo: writes the handovers the action checked the caller may return
        self.sudo().write(
            {
                "state": "returned",
                "user_id": user.id,
                "unit_id": self.unit_id.id or user.shouwen_unit_id.id,
                "return_date": fields.Datetime.now(),
                "return_category": category,
                "return_reason": reason,
                "returned_count": 1,
                "dispute_state": "open",
                "next_check_date": False,
            }
        )

    # ------------------------------------------------------------------
    # figures
    # ------------------------------------------------------------------

    @api.model
    def _sign_figures(self, domain, groupby):
        """Sign-for and return figures of the handovers of ``domain`` the user
        may read, per ``groupby`` (``user_id`` or ``unit_id``), as defined
        once by ``shouwen.handover.report`` (签收率, 退单率)."""
        ids = self._search(domain)
        return self.env["shouwen.handover.report"]._figures(
            [("handover_id", "in", ids)], groupby
        )

    # ------------------------------------------------------------------
    # the sign-for follow-up, run by the follow-up sweep
    # ------------------------------------------------------------------

    @api.model
    def _sign_alert_hours(self):
        return self.env["ir.config_parameter"]._shouwen_threshold("sign_alert_hours")

    @api.model
    def _sweep_unsigned(self, now, batch_size):
        """Remind the recipients of the handovers not signed by their
        deadline, then alert the dispatcher and the recipient's unit
        supervisors.  Each row is locked while it is handled (another sweep
        skips it) and each step is written on the row: done once."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM shouwen_handover WHERE next_check_date <= %s "
                "AND state = 'pending' ORDER BY next_check_date LIMIT %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                now,
                batch_size,
            )
        )
        # sudo: the sweep (cron) works on the due handovers, returns nothing
        handovers = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        calendar = self.env["shouwen.work.calendar"]._calendar()
        alert_hours = self._sign_alert_hours()
        for handover in handovers:
            try:
                with self.env.cr.savepoint():
                    if not handover.reminded_date:
                        handover._remind_unsigned()
                        handover.write(
                            {
                                "reminded_date": now,
                                "next_check_date": clocks.after_working_hours(
                                    calendar, handover.sign_deadline, alert_hours
                                ),
                            }
                        )
                    else:
                        handover._alert_unsigned()
                        handover.write({"alerted_date": now, "next_check_date": False})
            except Exception:
                _logger.exception(
                    "Sign-for follow-up of handover %s failed", handover.id
                )
        return len(handovers)

    def _recipients(self):
        self.ensure_one()
        if self.user_id:
            return self.user_id
        return self.unit_id.supervisor_ids - self.matter_id.complained_person_id

    def _remind_unsigned(self):
        matter = self.matter_id
        for user in self._recipients():
            matter._schedule(
                "accept",
                user,
                matter.with_context(lang=user.lang).env._(
                    "Sign for matter %(number)s: it was due by %(deadline)s",
                    number=matter.name,
                    deadline=matter._format_datetime(self.sign_deadline),
                ),
                date_deadline=fields.Date.context_today(self),
            )

    def _alert_unsigned(self):
        matter = self.matter_id
        recipients = self.user_id or self.unit_id.supervisor_ids
        alerted = (self.from_user_id | self.unit_id.supervisor_ids) - recipients
        for user in alerted:
            matter._schedule(
                "escalation",
                user,
                matter.with_context(lang=user.lang).env._(
                    "Not signed for: matter %(number)s given to %(who)s on %(date)s",
                    number=matter.name,
                    who=self.user_id.name or self.unit_id.name,
                    date=matter._format_datetime(self.sent_date),
                ),
                date_deadline=fields.Date.context_today(self),
            )
        matter._log(
            "sign_alert",
            to_user=self.user_id or None,
            reason=matter.with_context(lang=matter.first_responsible_id.lang).env._(
                "Not signed for by %(deadline)s: %(users)s alerted",
                deadline=matter._format_datetime(self.sign_deadline),
                users=", ".join(alerted.mapped("name")),
            ),
        )
