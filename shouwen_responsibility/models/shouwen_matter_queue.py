# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The buttons' last word: the actions the transition table allows, less
those the action's own method refuses now."""

from odoo import api, models


class ShouwenMatter(models.Model):
    _inherit = "shouwen.matter"

    # ------------------------------------------------------------------
    # the buttons: what the server accepts, and nothing else
    # ------------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends("can_review", "handover_ids.binding", "handover_ids.state")
    def _compute_user_view(self):
        """The actions the table allows, less those the action's own method
        refuses now, plus the assignment approval of the tier validation."""
        result = super()._compute_user_view()
        user = self.env.user
        for matter in self:
            actions = set(matter.available_actions or ())
            if "urge" in actions and matter._who_must_act() in (user, user.browse()):
                # nobody else to urge: urge() refuses "You cannot urge yourself"
                actions.discard("urge")
            if "return" in actions and matter._pending_handovers().filtered(
                lambda h, user=user: h.binding and h.user_id == user
            ):
                # given by a decision: return_guide() refuses without a new one
                actions.discard("return")
            if matter.state == "approval" and matter.can_review:
                actions.add("approve_assignment")
                actions.add("reject_assignment")
            matter.available_actions = sorted(actions)
        return result
