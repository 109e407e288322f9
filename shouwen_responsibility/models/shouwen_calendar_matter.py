# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Whether the deadlines of a matter rest on a known statutory calendar."""

from odoo import api, fields, models


class ShouwenMatterProvisional(models.Model):
    # whether the deadlines of a matter rest on a known statutory calendar
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    deadline_provisional = fields.Boolean(
        string="Provisional deadline",
        compute="_compute_deadline_provisional",
        help="A deadline falls in a year whose statutory holidays and make-up "
        "working days are not known yet (neither the chinese-calendar library "
        "nor the administrator's days): it counts Monday to Friday without "
        "the fixed-date holidays only, and will be recomputed once they are "
        "entered.",
    )

    @api.depends("response_deadline", "closure_deadline")
    def _compute_deadline_provisional(self):
        calendar = self.env["shouwen.work.calendar"]
        for matter in self:
            matter.deadline_provisional = calendar._provisional(
                [matter.response_deadline, matter.closure_deadline]
            )
