# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import AccessError

from .res_users import MANAGER_GROUP

#: what the addon's administrators change on its follow-up rules without
#: Settings rights: whether a rule runs, and its delay.  Never the filter nor
#: the actions: both are code the server runs (a filter is evaluated with the
#: user's record at hand), which is for Settings administrators only.
FOLLOWUP_RULE_FIELDS = frozenset({"active", "trg_date_range", "trg_date_range_type"})


class BaseAutomation(models.Model):
    _inherit = "base.automation"

    def write(self, vals):
        if self._is_shouwen_administrator():
            self._check_followup_rule_setting(vals)
            # sudo: only the switch and the delay of the addon's own follow-up
            # rules, by the addon's administrator (checked above)
            return super(BaseAutomation, self.sudo()).write(vals)
        return super().write(vals)

    def _is_shouwen_administrator(self):
        """The addon's administrator without Settings rights: their access
        to automation rules is this switch and delay, nothing else."""
        user = self.env.user
        return (
            not self.env.su
            and user.has_group(MANAGER_GROUP)
            and not user.has_group("base.group_system")
        )

    def _check_followup_rule_setting(self, vals):
        if set(vals) - FOLLOWUP_RULE_FIELDS:
            raise AccessError(
                self.env._(
                    "Here a follow-up rule can only be switched on or off and "
                    "given another delay; its filter and its actions are for "
                    "Settings administrators."
                )
            )
        self.check_access("write")
        # sudo: which module made each rule, to keep to the addon's own
        ours = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("module", "=", "shouwen_responsibility"),
                ]
            )
            .mapped("res_id")
        )
        if set(self.ids) - set(ours):
            raise AccessError(
                self.env._(
                    "Only the first-inquiry follow-up rules can be switched or "
                    "delayed here; other automation rules are for Settings "
                    "administrators."
                )
            )
