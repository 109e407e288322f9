# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..tools import personal_data


class ShouwenComplaintRepresentative(models.Model):
    """A representative of a group complaint (at most five per complaint)."""

    _name = "shouwen.complaint.representative"
    _description = "Representative of a group complaint"
    _order = "matter_id, sequence, id"

    matter_id = fields.Many2one(
        "shouwen.matter", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    phone = fields.Char()

    # a representative is part of its complaint: read with it, changed by who
    # may change it
    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self:
            return result
        matters = self.sudo().matter_id.with_env(self.env)
        forbidden = matters._check_access("read" if operation == "read" else "write")
        if forbidden:
            # sudo: the matters of records the caller holds, to refuse some
            records = self.filtered(lambda r: r.sudo().matter_id in forbidden[0])
            return records, forbidden[1]
        return None

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([personal_data.normalized(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(personal_data.normalized(vals))

    @api.model
    def _search(self, domain, *args, **kwargs):
        if not self.env.su:
            domain = expression.AND([domain, [("matter_id", "any", [])]])
        return super()._search(domain, *args, **kwargs)

    @api.constrains("matter_id")
    def _check_at_most_five(self):
        for matter in self.matter_id:
            if len(matter.representative_ids) > 5:
                raise ValidationError(matter._representatives_message())

    @api.constrains("phone")
    def _check_phone(self):
        for representative in self:
            if representative.phone and not personal_data.is_valid_phone(
                representative.phone
            ):
                raise ValidationError(
                    self.env._(
                        "%(phone)s is not a valid phone number.",
                        phone=representative.phone,
                    )
                )
