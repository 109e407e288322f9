# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools.catalogue import BUSINESS_DOMAINS, KINDS, POST_TYPES


class ShouwenPost(models.Model):
    """A service post (服务岗位) and its duty catalogue (Art. 11): the kinds of
    request and business domains its holders handle themselves."""

    _name = "shouwen.post"
    _description = "Service post"
    _order = "sequence, name"

    name = fields.Char(required=True)
    post_type = fields.Selection(POST_TYPES, required=True, default="service_center")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    duty_ids = fields.One2many("shouwen.post.duty", "post_id", string="Duty catalogue")
    description = fields.Text(help="The post's duties in the rules' own words.")
    user_ids = fields.Many2many(
        "res.users",
        "shouwen_post_user_rel",
        "post_id",
        "user_id",
        string="Staff",
    )

    def _handles(self, kind, business_domain):
        """Whether one of these posts handles ``kind`` × ``business_domain``."""
        return any(
            duty.kind == kind and duty.business_domain in (business_domain, False)
            for duty in self.duty_ids
        )


class ShouwenPostDuty(models.Model):
    _name = "shouwen.post.duty"
    _description = "Duty of a service post"
    _order = "post_id, kind, business_domain"

    post_id = fields.Many2one(
        "shouwen.post", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(KINDS, required=True)
    business_domain = fields.Selection(
        BUSINESS_DOMAINS, help="Leave empty: every business domain."
    )

    _sql_constraints = [
        (
            "duty_unique",
            "unique(post_id, kind, business_domain)",
            "This duty is already in the post's catalogue.",
        ),
    ]

    @api.depends("kind", "business_domain")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        domains = dict(self._fields["business_domain"]._description_selection(self.env))
        for duty in self:
            duty.display_name = " / ".join(
                filter(
                    None,
                    [kinds.get(duty.kind), domains.get(duty.business_domain)],
                )
            )
