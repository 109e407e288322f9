# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.catalogue import BUSINESS_DOMAINS, KINDS


class ShouwenNoticeTemplate(models.Model):
    """A one-time notice template (一次性告知模板): for a business domain and a
    kind of request, the materials customers usually lack and the usual
    answer.  The receiver picks one in the action dialog and adapts it; what
    was told is stored on the matter."""

    _name = "shouwen.notice.template"
    _description = "One-time notice template"
    _order = "business_domain, sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    business_domain = fields.Selection(BUSINESS_DOMAINS, required=True, index=True)
    kind = fields.Selection(KINDS, help="Leave empty: every kind of request.")
    materials = fields.Text(
        string="Required materials",
        help="The materials the customer must bring, one per line: the complete "
        "list, told once.",
    )
    answer_text = fields.Text(
        string="Usual answer", help="The usual answer to the customer."
    )
    note = fields.Text(
        string="Internal note", help="For the staff only; never told to the customer."
    )

    @api.constrains("materials", "answer_text")
    def _check_content(self):
        for template in self:
            if (
                not (template.materials or "").strip()
                and not (template.answer_text or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Template %(name)s: give the required materials or the "
                        "usual answer.",
                        name=template.name,
                    )
                )

    def _check_applies_to(self, matter):
        """Refuse a template that is not meant for ``matter``: another
        business domain, another kind, or no longer in use."""
        self.ensure_one()
        if not self.active:
            raise UserError(
                self.env._(
                    "The one-time notice template %(template)s is archived: "
                    "choose another one.",
                    template=self.name,
                )
            )
        if self.business_domain != matter.business_domain or self.kind not in (
            False,
            matter.kind,
        ):
            raise UserError(
                self.env._(
                    "The one-time notice template %(template)s is not meant for "
                    "matter %(number)s: choose one of its business domain and "
                    "kind of request.",
                    template=self.name,
                    number=matter.name,
                )
            )
