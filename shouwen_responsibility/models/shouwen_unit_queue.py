# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A proposed designated receiver waits for the leader in charge: a to-do for
the nearest supervisors above the unit, and a list in their work queue."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class ShouwenUnit(models.Model):
    _name = "shouwen.unit"
    _inherit = ["shouwen.unit", "mail.thread", "mail.activity.mixin"]

    receiver_to_approve = fields.Boolean(
        string="Receiver waiting for my approval",
        compute="_compute_receiver_to_approve",
        search="_search_receiver_to_approve",
    )

    @api.depends_context("uid")
    @api.depends("designated_receiver_id", "designated_receiver_approved_date")
    def _compute_receiver_to_approve(self):
        for unit in self:
            unit.receiver_to_approve = unit._receiver_approvable()

    def _search_receiver_to_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        candidates = self.search(
            [
                ("designated_receiver_id", "!=", False),
                ("designated_receiver_approved_date", "=", False),
            ]
        )
        ids = candidates.filtered(lambda u: u._receiver_approvable()).ids
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    def _receiver_approvable(self):
        """Whether the current user may approve the unit's proposed receiver
        now: what action_approve_designated_receiver() accepts."""
        self.ensure_one()
        if self.designated_receiver_approved_date:
            return False
        try:
            self._check_can_approve_receiver()
        except UserError:
            return False
        return True

    @api.model_create_multi
    def create(self, vals_list):
        # the thread only carries the to-dos: no creation note, no follower
        quiet = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        units = super(ShouwenUnit, quiet).create(vals_list).with_env(self.env)
        units.filtered("designated_receiver_id")._ask_receiver_approval()
        return units

    def write(self, vals):
        result = super().write(vals)
        if "designated_receiver_id" in vals:
            self._ask_receiver_approval()
        return result

    def action_approve_designated_receiver(self):
        result = super().action_approve_designated_receiver()
        # the approval answers the to-do, whoever of the leaders gave it
        self.sudo().activity_feedback(
            ["shouwen_responsibility.mail_activity_type_shouwen_receiver"]
        )
        return result

    def _ask_receiver_approval(self):
        """A to-do for the nearest supervisors above the unit (its own
        first), replacing the one of an earlier proposal."""
        activity_type = "shouwen_responsibility.mail_activity_type_shouwen_receiver"
        # sudo: the to-do follows from setting the receiver, which the
        # caller was allowed; the leaders get it whatever the caller reads.
        for unit in self.sudo():
            unit.activity_unlink([activity_type])
            if not unit.designated_receiver_id:
                continue
            leaders = next(
                (users for _unit, users in unit._supervisors_upwards() if users),
                self.env["res.users"],
            )
            for leader in leaders.filtered("active"):
                unit.activity_schedule(
                    activity_type,
                    user_id=leader.id,
                    summary=unit.with_context(lang=leader.lang).env._(
                        "Approve %(user)s as the designated receiver of %(unit)s",
                        user=unit.designated_receiver_id.name,
                        unit=unit.display_name,
                    ),
                )

    @api.model
    def _work_queue_card(self):
        return {
            "key": "receivers",
            "label": self.env._("Receivers to approve"),
            "help": self.env._("Designated receivers of letters and online matters"),
            "model": self._name,
            "action": "shouwen_responsibility.shouwen_unit_action",
            "filter": "receiver_to_approve",
        }
