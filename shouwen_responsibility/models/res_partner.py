# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    shouwen_matter_ids = fields.One2many(
        "shouwen.matter",
        "partner_id",
        string="Matters as customer",
        groups="base.group_system",
        help="The matters this contact is the customer of: the contact's phone "
        "and email are the customer's personal data, read by the staff who "
        "may read that of one of these matters (record rules).",
    )
