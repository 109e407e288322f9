# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

#: the addon's chain of roles, lowest first: each group implies the one before
ROLES = [
    ("staff", "Front-line staff"),
    ("unit_supervisor", "Unit supervisor"),
    ("city_supervisor", "City supervisor"),
    ("province_supervisor", "Provincial supervisor"),
    ("manager", "Administrator"),
]
ROLE_GROUP = "shouwen_responsibility.group_shouwen_%s"
STAFF_GROUP = "shouwen_responsibility.group_shouwen_staff"
INSPECTOR_GROUP = "shouwen_responsibility.group_shouwen_inspector"
MANAGER_GROUP = "shouwen_responsibility.group_shouwen_manager"

#: context key of the person pickers of the matter dialogs: people are shown
#: as "name · unit · posts", found by their unit and posts too, only those who
#: may receive a matter, nearest first
PICKER = "shouwen_picker"
#: context key: the unit (id) the picker measures nearness from, the matter's
PICKER_UNIT = "shouwen_picker_unit_id"

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

    @api.depends_context(PICKER)
    @api.depends("name", "shouwen_unit_id.name", "shouwen_post_ids.name")
    def _compute_display_name(self):
        super()._compute_display_name()
        if not self.env.context.get(PICKER):
            return
        # in a picker: "张三 · 杭州市分公司 · 客服专员", to tell namesakes apart
        for user in self:
            posts = "、".join(user.shouwen_post_ids.mapped("name"))
            user.display_name = " · ".join(
                filter(None, [user.display_name, user.shouwen_unit_id.name, posts])
            )

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if (
            not self.env.context.get(PICKER)
            or not value
            or operator in expression.NEGATIVE_TERM_OPERATORS
        ):
            return domain
        # in a picker, a person is also found by their unit (name or code)
        # and their posts, under the caller's own rules
        return expression.OR(
            [
                domain,
                [("shouwen_unit_id.name", operator, value)],
                [("shouwen_unit_id.code", operator, value)],
                [("shouwen_post_ids.name", operator, value)],
            ]
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

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """In a person picker of the matter dialogs (context ``shouwen_picker``):
        only the people who may receive the matter, found by name, unit or
        post, those nearest the matter's unit first; elsewhere as usual."""
        if not self.env.context.get(PICKER):
            return super().name_search(name, args, operator, limit)
        unit = self._shouwen_picker_unit()
        domain = expression.AND(
            [
                self._shouwen_handler_domain(unit),
                args or [],
                [("display_name", operator, name)],
            ]
        )
        users = self._shouwen_nearest_first(domain, unit, limit=limit)
        return [(user.id, user.display_name) for user in users]

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
            return expression.FALSE_DOMAIN
        if self.has_group("shouwen_responsibility.group_shouwen_city_supervisor"):
            return [("id", "child_of", self.shouwen_unit_id.id)]
        if self.has_group("shouwen_responsibility.group_shouwen_unit_supervisor"):
            return [("id", "=", self.shouwen_unit_id.id)]
        return expression.FALSE_DOMAIN

    def _shouwen_supervises(self, unit):
        """Whether this user's scope covers ``unit``: they supervise it, as a
        supervisor of that unit or of a unit above it."""
        self.ensure_one()
        # sudo: the user's groups and unit, and the unit's place in the tree,
        # to answer yes or no
        scope = self.sudo()._shouwen_scope_domain()
        return not scope or bool(unit.sudo().filtered_domain(scope))

    # ------------------------------------------------------------------
    # who may receive a matter, nearest first
    # ------------------------------------------------------------------

    @api.model
    def _shouwen_handler_domain(self, unit=None):
        """Domain of the people who may receive a matter of ``unit`` (be guided
        to, given a part, proposed as its handler): active internal
        first-inquiry staff with a unit, of ``unit``'s organisation when given;
        not the inspectors, not the addon's administrators, not the current
        user.  The one rule of the person pickers, of the suggested handlers
        and of the server's check when an action is submitted."""
        # the groups' ids, from the cache of xmlids (``env.ref`` asks
        # PostgreSQL whether each still exists)
        group_id = self.env["ir.model.data"]._xmlid_to_res_id
        domain = [
            ("active", "=", True),
            ("share", "=", False),
            ("groups_id", "in", [group_id(STAFF_GROUP, raise_if_not_found=True)]),
            (
                "groups_id",
                "not in",
                [
                    group_id(INSPECTOR_GROUP, raise_if_not_found=True),
                    group_id(MANAGER_GROUP, raise_if_not_found=True),
                ],
            ),
            ("shouwen_unit_id", "!=", False),
            ("id", "!=", self.env.uid),
        ]
        if unit and unit.parent_path:
            root = unit.parent_path.split("/")[0]
            domain.append(("shouwen_unit_id.parent_path", "=like", f"{root}/%"))
        return domain

    @api.model
    def _shouwen_picker_unit(self):
        """The unit a picker measures nearness from (context
        ``shouwen_picker_unit_id``), if it exists."""
        Unit = self.env["shouwen.unit"]
        try:
            return Unit.browse(int(self.env.context.get(PICKER_UNIT) or 0)).exists()
        except (TypeError, ValueError):
            return Unit

    @api.model
    def _shouwen_nearest_first(self, domain, unit, limit=None):
        """The users of ``domain`` the caller may read, ordered by the steps
        through the organisation tree between their unit and ``unit`` (its own
        staff first, then its parent's and its sub-units', then farther), then
        by name.  The steps are read in SQL from the units' ``parent_path``."""
        query = self._search(domain, limit=limit, order=self._order)
        if query.is_empty():
            return self.browse()
        if unit and unit.parent_path:
            unit_alias = query.left_join(
                self._table, "shouwen_unit_id", "shouwen_unit", "id", "shouwen_unit_id"
            )
            path = SQL.identifier(unit_alias, "parent_path")
            ancestors = unit.parent_path.split("/")[:-1]
            # the depth of the deepest unit above both (0: none)
            shared = SQL(
                "CASE %s ELSE 0 END",
                SQL(" ").join(
                    SQL(
                        "WHEN %s LIKE %s THEN %s",
                        path,
                        "/".join(ancestors[:depth]) + "/%",
                        depth,
                    )
                    for depth in range(len(ancestors), 0, -1)
                ),
            )
            # a unit's depth is the number of slashes of its path
            steps = SQL(
                "length(%s) - length(replace(%s, '/', '')) + %s - 2 * (%s)",
                path,
                path,
                len(ancestors),
                shared,
            )
            query.order = SQL("%s, %s", steps, query.order)
        return self.browse(query.get_result_ids())
