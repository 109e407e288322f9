# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools import personal_data
from .shouwen_personal_data_mixin import clear_field, shown_field

PERSONAL_FIELDS = {
    "phone": (
        "phone_clear",
        personal_data.mask_phone,
        personal_data.normalize_phone,
        "representative_phone",
    ),
}


class ShouwenComplaintRepresentative(models.Model):
    """A representative of a group complaint (at most five per complaint).
    Their phone is the complaint's personal data: masked like the
    customer's; every change is noted in the complaint's chatter."""

    _name = "shouwen.complaint.representative"
    _inherit = ["shouwen.personal.data.mixin"]
    _description = "Representative of a group complaint"
    _order = "matter_id, sequence, id"
    _personal_fields = PERSONAL_FIELDS

    matter_id = fields.Many2one(
        "shouwen.matter", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    phone_clear = clear_field("Phone (stored)")
    phone = shown_field("Phone", "phone_clear", "_search_phone")

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

    @api.model
    def _search(self, domain, *args, **kwargs):
        if not self.env.su:
            domain = expression.AND([domain, [("matter_id", "any", [])]])
        return super()._search(domain, *args, **kwargs)

    # ------------------------------------------------------------------
    # personal data (shouwen.personal.data.mixin): those of the complaint
    # ------------------------------------------------------------------

    def _personal_data_domain(self):
        matters = self.env["shouwen.matter"]._personal_data_domain()
        return matters and [("matter_id", "any", matters)]

    def _personal_view_matters(self):
        # sudo: the complaint of each representative the caller was shown
        return {rep.id: rep.sudo().matter_id.id for rep in self}

    def _search_phone(self, operator, value):
        return self._search_personal("phone", operator, value)

    # ------------------------------------------------------------------
    # changes: noted in the complaint, which changes version
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        representatives = super().create(vals_list)
        representatives._note_change(
            representatives._lang_env()._("Representative added")
        )
        return representatives

    def write(self, vals):
        self._check_open_complaint()
        result = super().write(vals)
        if set(vals) - {"sequence"}:
            self._note_change(self._lang_env()._("Representative changed"))
        return result

    def unlink(self):
        self.check_access("unlink")
        self._check_open_complaint()
        self._note_change(self._lang_env()._("Representative removed"))
        return super().unlink()

    def _lang_env(self):
        """The environment of the complaint's notes: the system writes them
        in the insurer's language (see ``mail.thread._fallback_lang``)."""
        return self.env["shouwen.matter"]._fallback_lang().env

    def _check_open_complaint(self):
        # sudo: the state of the complaints of records the caller holds
        if not self.env.su and any(not r.sudo().matter_id.is_open for r in self):
            raise UserError(
                self.env._(
                    "The representatives of a finished complaint cannot be changed."
                )
            )

    def _note_change(self, what):
        """One note per complaint naming the representatives changed (their
        phone masked: the note is read by everyone who reads the complaint),
        and a new version of the complaint, so that a form read before is
        stale."""
        if not self or self.env.su:
            return  # the system's own changes (registration, data files)
        clear = self._personal_clear_values()
        by_matter = {}
        for rep in self:
            phone = personal_data.mask_phone(clear[rep.id]["phone_clear"])
            by_matter.setdefault(rep.sudo().matter_id, []).append(
                f"{rep.name} {phone}" if phone else rep.name
            )
        for matter, names in by_matter.items():
            matter._bump_version()
            # the change was allowed on the complaint (record rules of the
            # representatives follow it): its note says who made it
            matter.with_env(self.env).message_post(
                body=Markup("%s: %s") % (what, "、".join(names)),
                subtype_xmlid="mail.mt_note",
            )

    @api.constrains("matter_id")
    def _check_at_most_five(self):
        for matter in self.matter_id:
            if len(matter.representative_ids) > 5:
                raise ValidationError(matter._representatives_message())

    @api.constrains("phone_clear")
    def _check_phone(self):
        for values in self._personal_clear_values().values():
            phone = values["phone_clear"]
            if phone and not personal_data.is_valid_phone(phone):
                raise ValidationError(
                    self.env._("%(phone)s is not a valid phone number.", phone=phone)
                )
