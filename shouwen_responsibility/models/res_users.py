# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    shouwen_unit_id = fields.Many2one(
        "shouwen.unit",
        string="Unit",
        index="btree_not_null",
        help="The organisation unit the staff member belongs to.",
    )
    shouwen_post_ids = fields.Many2many(
        "shouwen.post",
        "shouwen_post_user_rel",
        "user_id",
        "post_id",
        string="Service posts",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "shouwen_unit_id", "shouwen_post_ids"]

    def _shouwen_scope_domain(self):
        """Domain on ``shouwen.unit`` of the units this user supervises:
        none for staff, their unit for a unit supervisor, the subtree for a city
        supervisor, every unit for the province."""
        self.ensure_one()
        if self.has_group("shouwen_responsibility.group_shouwen_province_supervisor"):
            return []
        if not self.shouwen_unit_id:
            return [("id", "=", False)]
        if self.has_group("shouwen_responsibility.group_shouwen_city_supervisor"):
            return [("id", "child_of", self.shouwen_unit_id.id)]
        if self.has_group("shouwen_responsibility.group_shouwen_unit_supervisor"):
            return [("id", "=", self.shouwen_unit_id.id)]
        return [("id", "=", False)]

    def _shouwen_supervises(self, unit):
        """Whether this user's scope covers ``unit``: they supervise it, as a
        supervisor of that unit or of a unit above it."""
        self.ensure_one()
        # sudo: the user's groups and unit, and the unit's place in the tree,
        # to answer yes or no
        scope = self.sudo()._shouwen_scope_domain()
        return not scope or bool(unit.sudo().filtered_domain(scope))
