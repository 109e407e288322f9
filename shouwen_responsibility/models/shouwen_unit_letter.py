# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Letters by email (来信来函): each unit can have a mail alias; who becomes
the first receiver of a letter that reaches it."""

import ast

from odoo import models
from odoo.exceptions import UserError
from odoo.tools.mail import email_normalize, email_split

from odoo.addons.mail.tools.alias_error import AliasError

from ..tools.letters import subject_codes

STAFF_GROUP = "shouwen_responsibility.group_shouwen_staff"


class ShouwenUnitLetter(models.Model):
    # letters are a channel of their own, beside the organisation tree
    _name = "shouwen.unit"
    _inherit = ["shouwen.unit", "mail.alias.mixin"]

    def write(self, vals):
        # the alias is written with sudo by the mixin, and silently skipped
        # for whoever may not write the unit: refuse them instead
        if set(vals) & set(self.ALIAS_WRITEABLE_FIELDS):
            self.check_access("write")
        return super().write(vals)

    def _alias_get_creation_values(self):
        """Letters to the unit's alias become matters of the unit."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("shouwen.matter")
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            values["alias_defaults"] = repr({**defaults, "unit_id": self.id})
        return values

    def _alias_get_error(self, message, message_dict, alias):
        """A new letter needs a sender address to answer: without one it is
        bounced (to its Return-Path, if any, and to whoever set up the
        alias) and no matter is registered."""
        error = super()._alias_get_error(message, message_dict, alias)
        if error or email_normalize(message_dict.get("email_from") or ""):
            return error
        return AliasError(
            "shouwen_letter_no_sender",
            self.env._("a letter needs a sender email address to be answered"),
        )

    # ------------------------------------------------------------------
    # who receives a letter
    # ------------------------------------------------------------------

    def _organisation_root(self):
        self.ensure_one()
        return self.parent_path.split("/")[0]

    def _organisation_domain(self):
        """Units of the same organisation tree as this one."""
        return [("parent_path", "=like", f"{self._organisation_root()}/%")]

    def _letter_named_staff(self, addresses):
        """The first active staff member of this organisation whose email is
        one of ``addresses`` (in their order), or an empty recordset."""
        self.ensure_one()
        emails = [email for email in map(email_normalize, addresses) if email]
        if not emails:
            return self.env["res.users"]
        staff = self.env["res.users"].search(
            [
                ("email_normalized", "in", emails),
                ("active", "=", True),
                ("share", "=", False),
                ("groups_id", "in", self.env.ref(STAFF_GROUP).ids),
                ("shouwen_unit_id", "!=", False),
            ]
        )
        root = self._organisation_root()
        staff = staff.filtered(
            lambda u: (
                u.shouwen_unit_id.active
                and u.shouwen_unit_id._organisation_root() == root
            )
        )
        return staff.sorted(lambda u: emails.index(u.email_normalized))[:1]

    def _letter_named_unit(self, subject):
        """The active unit of this organisation whose code the subject names
        (a bracketed code first), or an empty recordset."""
        self.ensure_one()
        codes = subject_codes(subject)
        if not codes:
            return self.browse()
        units = self.search([*self._organisation_domain(), ("active", "=", True)])
        by_code = {unit.code.upper(): unit for unit in units}
        return next((by_code[code] for code in codes if code in by_code), self.browse())

    def _letter_receiver(self, msg_dict):
        """Who receives a letter that reached this unit's alias, and for which
        unit: ``(unit, user, fallback)``.

        A staff member of the organisation among the recipients (To, then
        Cc) receives it for their unit; else a unit whose code the subject
        names, else this unit, receives it through its approved designated
        receiver; without one (``fallback``), through its first supervisor,
        or the nearest unit above's."""
        self.ensure_one()
        addresses = email_split(msg_dict.get("to") or "") + email_split(
            msg_dict.get("cc") or ""
        )
        person = self._letter_named_staff(addresses)
        if person:
            return person.shouwen_unit_id, person, False
        unit = self._letter_named_unit(msg_dict.get("subject")) or self
        if not unit._receiver_fallback_reason():
            return unit, unit.designated_receiver_id, False
        supervisor = unit._first_active_supervisor()
        if not supervisor:
            raise UserError(
                self.env._(
                    "Nobody can receive letters for %(unit)s: it has no approved "
                    "designated receiver and neither it nor a unit above it has a "
                    "supervisor.",
                    unit=unit.display_name,
                )
            )
        return unit, supervisor, True

    def _receiver_fallback_reason(self):
        """Why letters of this unit cannot go to its designated receiver, or
        ``False`` when they can: one is set, approved and active staff."""
        self.ensure_one()
        receiver = self.designated_receiver_id
        if not receiver:
            return self.env._(
                "%(unit)s has no designated receiver", unit=self.display_name
            )
        if not self.designated_receiver_approved_date:
            return self.env._(
                "the designated receiver of %(unit)s (%(user)s) is not approved",
                unit=self.display_name,
                user=receiver.name,
            )
        if not (
            receiver.active and not receiver.share and receiver.has_group(STAFF_GROUP)
        ):
            return self.env._(
                "the designated receiver of %(unit)s (%(user)s) is no longer "
                "active staff",
                unit=self.display_name,
                user=receiver.name,
            )
        return False

    def _first_active_supervisor(self):
        """The first active supervisor of this unit, else of the nearest unit
        above it that has one."""
        self.ensure_one()
        for _unit, supervisors in self._supervisors_upwards():
            active = supervisors.filtered("active")
            if active:
                return active[:1]
        return self.env["res.users"]
