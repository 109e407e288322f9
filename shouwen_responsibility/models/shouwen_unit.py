# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.catalogue import PARENT_LEVEL, UNIT_LEVELS


class ShouwenUnit(models.Model):
    """An organisation unit: provincial branch 省公司, city branch 市公司 /
    中心支公司, county branch 支公司 / 营销服务部."""

    _name = "shouwen.unit"
    _description = "Organisation unit"
    _parent_store = True
    _parent_name = "parent_id"
    _order = "parent_path, sequence, code"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=False)
    code = fields.Char(
        required=True,
        help="Short unique code, used in matter numbers and in letter subjects.",
    )
    level = fields.Selection(UNIT_LEVELS, required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    parent_id = fields.Many2one(
        "shouwen.unit",
        string="Parent unit",
        index=True,
        ondelete="restrict",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("shouwen.unit", "parent_id", string="Sub-units")
    company_id = fields.Many2one("res.company")
    supervisor_ids = fields.Many2many(
        "res.users",
        "shouwen_unit_supervisor_rel",
        "unit_id",
        "user_id",
        string="Supervisors",
        help="Unit supervisors (机构负责人): alerted when a matter of the unit "
        "is overdue.",
    )
    member_ids = fields.One2many("res.users", "shouwen_unit_id", string="Staff")
    designated_receiver_id = fields.Many2one(
        "res.users",
        string="Designated receiver",
        help="First receiver of letters and online complaints that name no "
        "department or person (Art. 10).",
    )
    designated_receiver_approved_by_id = fields.Many2one(
        "res.users", string="Receiver approved by", readonly=True
    )
    designated_receiver_approved_date = fields.Datetime(
        string="Receiver approved on", readonly=True
    )
    online_listed = fields.Boolean(
        string="Offered on the online form",
        help="Customers can address their online complaints and consultations "
        "to this unit; its approved designated receiver (else its first "
        "supervisor) becomes their first receiver.",
    )
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Numbering",
        readonly=True,
        copy=False,
        help="Sequence giving the numbers of the unit's matters.",
    )
    city_unit_id = fields.Many2one(
        "shouwen.unit",
        string="City unit",
        compute="_compute_level_units",
        store=True,
        recursive=True,
        help="The city-level unit this unit belongs to (itself for a city).",
    )
    province_unit_id = fields.Many2one(
        "shouwen.unit",
        string="Province unit",
        compute="_compute_level_units",
        store=True,
        recursive=True,
    )
    phone = fields.Char(help="Printed for customers: how to reach the unit.")
    address = fields.Char()

    _sql_constraints = [
        ("code_unique", "unique(code)", "The unit code must be unique."),
    ]

    @api.depends("name", "code")
    def _compute_display_name(self):
        for unit in self:
            unit.display_name = (
                f"[{unit.code}] {unit.name}" if unit.code else unit.name or ""
            )

    @api.constrains("parent_id", "level")
    def _check_level_tree(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A unit cannot be placed under itself or its sub-units.")
            )
        labels = dict(self._fields["level"]._description_selection(self.env))
        for unit in self:
            expected = PARENT_LEVEL[unit.level]
            if not expected and unit.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(unit)s: a provincial branch has no parent unit.",
                        unit=unit.display_name,
                    )
                )
            if expected and unit.parent_id.level != expected:
                raise ValidationError(
                    self.env._(
                        "%(unit)s: a %(level)s must sit under a %(parent_level)s.",
                        unit=unit.display_name,
                        level=labels[unit.level],
                        parent_level=labels[expected],
                    )
                )
        for unit in self.child_ids:
            if PARENT_LEVEL[unit.level] != unit.parent_id.level:
                raise ValidationError(
                    self.env._(
                        "%(unit)s cannot keep its sub-unit %(child)s at this level.",
                        unit=unit.parent_id.display_name,
                        child=unit.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        units = super().create(vals_list)
        units._create_sequences()
        return units

    def write(self, vals):
        if "designated_receiver_id" in vals:
            vals = dict(
                vals,
                designated_receiver_approved_by_id=False,
                designated_receiver_approved_date=False,
            )
        return super().write(vals)

    def action_approve_designated_receiver(self):
        """The leader in charge approves the proposed designated receiver."""
        self._check_can_approve_receiver()
        # a supervisor of the unit (or above) approves without the right to
        # configure units; only the two approval fields are written
        self.sudo().write(
            {
                "designated_receiver_approved_by_id": self.env.uid,
                "designated_receiver_approved_date": fields.Datetime.now(),
            }
        )

    def _check_can_approve_receiver(self):
        self.check_access("read")
        is_manager = self.env.user.has_group(
            "shouwen_responsibility.group_shouwen_manager"
        )
        for unit in self:
            if not unit.designated_receiver_id:
                raise UserError(
                    self.env._(
                        "%(unit)s has no designated receiver to approve.",
                        unit=unit.display_name,
                    )
                )
            leaders = unit._supervisors_upwards()
            if not (
                self.env.su
                or is_manager
                or any(self.env.user in users for _unit, users in leaders)
            ):
                raise UserError(
                    self.env._(
                        "Only a supervisor of %(unit)s or of a unit above it may "
                        "approve its designated receiver.",
                        unit=unit.display_name,
                    )
                )

    def _online_receiver(self):
        """The first receiver of an online submission to this unit: its
        approved designated receiver, else its first active supervisor."""
        self.ensure_one()
        receiver = self.designated_receiver_id
        if receiver.active and self.designated_receiver_approved_date:
            return receiver
        return self.supervisor_ids.filtered("active")[:1]

    def _create_sequences(self):
        # sequences are technical records the unit owns; creating them is part
        # of creating the unit, which the caller was allowed to do
        Sequence = self.env["ir.sequence"].sudo()
        for unit in self.filtered(lambda u: not u.sequence_id):
            unit.sequence_id = Sequence.create(
                {
                    "name": self.env._("Matters of %(unit)s", unit=unit.name),
                    "code": "shouwen.matter.unit",
                    "prefix": f"{unit.code}-%(year)s-",
                    "padding": 6,
                    "company_id": False,
                }
            )

    def _next_matter_numbers(self, count):
        """``count`` new matter numbers of this unit."""
        self.ensure_one()
        if not self.sequence_id:
            self._create_sequences()
        # sudo: numbers from the unit's sequence, for a registration already allowed
        sequence = self.sequence_id.sudo()
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.next_by_id() for _i in range(count)]
        # the numbers of a batch in one query from the sequence's own
        # PostgreSQL sequence, as next_by_id takes them one at a time
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        # get_next_char's prefix and suffix once for the batch, not per number
        prefix, suffix = sequence._get_prefix_suffix()
        pattern = f"%0{sequence.padding}d"
        return [
            prefix + pattern % number + suffix for (number,) in self.env.cr.fetchall()
        ]

    def _supervisors_upwards(self):
        """Supervisors of this unit, then of each unit above it, nearest first:
        the escalation ladder's recipients."""
        self.ensure_one()
        ancestors = self.browse(
            [int(unit_id) for unit_id in reversed(self.parent_path.split("/")[:-1])]
        )
        return [(unit, unit.supervisor_ids) for unit in ancestors]

    @api.depends(
        "level", "parent_id", "parent_id.city_unit_id", "parent_id.province_unit_id"
    )
    def _compute_level_units(self):
        """The units of the figures' roll-up: county → city → province."""
        for unit in self:
            parent = unit.parent_id
            unit.city_unit_id = unit if unit.level == "city" else parent.city_unit_id
            unit.province_unit_id = (
                unit if unit.level == "province" else parent.province_unit_id
            )

    def _lowest_common(self):
        """The lowest unit above (or equal to) every unit of ``self``."""
        paths = [unit.parent_path.split("/")[:-1] for unit in self if unit.parent_path]
        if not paths:
            return self.browse()
        common = paths[0]
        for path in paths[1:]:
            common = [a for a, b in zip(common, path, strict=False) if a == b]
        return self.browse(int(common[-1])) if common else self.browse()
