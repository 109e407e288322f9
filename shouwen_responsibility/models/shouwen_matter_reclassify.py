# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reclassification: the kind, business domain, priority or channel of a
matter decide its time limits; they change only through an action with a
reason, logged (old → new) and tracked, which never moves a deadline that
has already passed."""

from odoo import fields, models
from odoo.exceptions import UserError

from .shouwen_matter_followup import CLOCK_STATES

#: what says which time limits apply to a matter (its policy's criteria)
CLASS_FIELDS = ("kind", "business_domain", "priority", "channel")


class ShouwenMatterReclassify(models.Model):
    # reclassification is a concern of its own, beside the clock
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    kind = fields.Selection(tracking=True)
    business_domain = fields.Selection(tracking=True)
    priority = fields.Selection(tracking=True)
    channel = fields.Selection(tracking=True)

    def write(self, vals):
        if not self.env.su:
            # a value outside the choices is told as such first
            self._check_choices({f: vals[f] for f in CLASS_FIELDS if f in vals})
            changed = [
                fname
                for fname in CLASS_FIELDS
                if fname in vals
                and any(matter[fname] != vals[fname] for matter in self)
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "Use the button Reclassify, with a reason, to change: "
                        "%(fields)s",
                        fields=", ".join(
                            self._fields[fname].get_description(self.env)["string"]
                            for fname in changed
                        ),
                    )
                )
        return super().write(vals)

    def reclassify(
        self, reason, kind=None, business_domain=None, priority=None, channel=None
    ):
        """Correct how the matter is classified, for ``reason``: its kind,
        business domain, priority or channel (those given).  The deadlines
        follow the new class, but one that has already passed stays (an
        overdue matter stays overdue: that takes an extension).  A complaint
        stays a complaint once its path has started, and nothing becomes a
        complaint then (withdrawal and closure are its exits)."""
        self.ensure_one()
        reason = self._required_text(
            reason, self.env._("Give the reason for reclassifying the matter.")
        )
        self._check_action("reclassify")
        wanted = {
            fname: value
            for fname, value in zip(
                CLASS_FIELDS, (kind, business_domain, priority, channel), strict=True
            )
            if value
        }
        self._check_choices(wanted)
        changes = {
            fname: value for fname, value in wanted.items() if self[fname] != value
        }
        if not changes:
            raise UserError(
                self.env._("Choose a new kind, business domain, priority or channel.")
            )
        if (
            "kind" in changes
            and "complaint" in (self.kind, changes["kind"])
            and self.state != "registered"
        ):
            raise UserError(
                self.env._(
                    "Matter %(number)s is past its registration: a complaint stays "
                    "a complaint (it ends by withdrawal or closure), and another "
                    "matter does not become one; register a new complaint instead.",
                    number=self.name,
                )
            )
        described = self._describe_class_changes(changes)
        self._workflow_write(changes)
        if self.state in CLOCK_STATES:
            self._set_deadlines(keep_passed=True)
        self._log(
            "reclassify",
            from_user=self.env.user,
            reason=self.env._(
                "%(changes)s. Reason: %(reason)s", changes=described, reason=reason
            ),
        )
        if changes.get("kind") == "complaint":
            self._detect_repeats()
        return True

    def _describe_class_changes(self, changes):
        """``Kind: Consultation → Business; …`` in the user's language."""
        parts = []
        for fname, value in changes.items():
            field = self._fields[fname]
            labels = dict(field._description_selection(self.env))
            parts.append(
                f"{field._description_string(self.env)}: "
                f"{labels.get(self[fname], self[fname])} → {labels.get(value, value)}"
            )
        return "; ".join(parts)
