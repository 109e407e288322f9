# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError

#: the addon's chain of roles, lowest first: each group implies the one before
ROLES = [
    ("staff", "Front-line staff"),
    ("unit_supervisor", "Unit supervisor"),
    ("city_supervisor", "City supervisor"),
    ("province_supervisor", "Provincial supervisor"),
    ("manager", "Administrator"),
]
ROLE_GROUP = "shouwen_responsibility.group_shouwen_%s"
INSPECTOR_GROUP = "shouwen_responsibility.group_shouwen_inspector"
MANAGER_GROUP = "shouwen_responsibility.group_shouwen_manager"

#: what the addon's administrators set on staff, without Settings rights
STAFF_FIELDS = frozenset(
    {"shouwen_unit_id", "shouwen_post_ids", "shouwen_role", "shouwen_inspector"}
)


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
    shouwen_role = fields.Selection(
        ROLES,
        string="First-inquiry role",
        compute="_compute_shouwen_role",
        inverse="_inverse_shouwen_role",
        help="Each role includes the ones above it in the list.",
    )
    shouwen_inspector = fields.Boolean(
        string="First-inquiry inspector",
        compute="_compute_shouwen_role",
        inverse="_inverse_shouwen_inspector",
        help="Reads every matter; writes only accountability findings.",
    )

    @api.depends("groups_id")
    def _compute_shouwen_role(self):
        groups = {key: self.env.ref(ROLE_GROUP % key) for key, _label in ROLES}
        inspector = self.env.ref(INSPECTOR_GROUP)
        for user in self:
            mine = user.groups_id
            user.shouwen_role = next(
                (key for key, _label in reversed(ROLES) if groups[key] in mine), False
            )
            user.shouwen_inspector = inspector in mine

    def _inverse_shouwen_role(self):
        chain = [self.env.ref(ROLE_GROUP % key).id for key, _label in ROLES]
        for user in self:
            commands = [Command.unlink(group_id) for group_id in chain]
            if user.shouwen_role:
                group = self.env.ref(ROLE_GROUP % user.shouwen_role)
                commands.append(Command.link(group.id))
            user.groups_id = commands

    def _inverse_shouwen_inspector(self):
        inspector = self.env.ref(INSPECTOR_GROUP)
        for user in self:
            user.groups_id = [
                Command.link(inspector.id)
                if user.shouwen_inspector
                else Command.unlink(inspector.id)
            ]

    def write(self, vals):
        if self._is_staff_configuration(vals):
            # sudo: only the addon's own fields of internal users who have no
            # Settings rights, by the addon's administrator (checked above)
            return super(ResUsers, self.sudo()).write(vals)
        return super().write(vals)

    def _is_staff_configuration(self, vals):
        """Whether ``vals`` is the addon's administrator giving staff their
        unit, posts and role: what they may do without Settings rights (any
        other change of a user is for Settings)."""
        if (
            self.env.su
            or not vals
            or set(vals) - STAFF_FIELDS
            or not self.env.user.has_group(MANAGER_GROUP)
            or self.env.user.has_group("base.group_erp_manager")
        ):
            return False
        self.check_access("read")
        settings = self.env.ref("base.group_erp_manager")
        # sudo: the targets' groups are only tested (staff or Settings user)
        for user in self.sudo():
            if user.share or user._is_superuser() or settings in user.groups_id:
                raise AccessError(
                    self.env._(
                        "%(user)s is not first-inquiry staff: only Settings "
                        "administrators change their account.",
                        user=user.name,
                    )
                )
        return True

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
