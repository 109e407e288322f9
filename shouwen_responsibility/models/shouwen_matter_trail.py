# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class ShouwenMatter(models.Model):
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    def action_verify_trail(self):
        """*Verify the trail* of this matter (inspectors, administrators):
        the report of its log's hash chain."""
        self.ensure_one()
        self.check_access("read")
        verification = self.env["shouwen.trail.verify"].create(
            {"scope": "matter", "matter_id": self.id}
        )
        return verification.action_verify()
