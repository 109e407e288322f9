# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools import thresholds

#: the addon's system parameters are its thresholds, each a whole number.  Its
#: administrators read and write exactly the parameters of this namespace
#: (record rule on the prefix), so nothing else may ever be kept under it.
PREFIX = thresholds.PREFIX
THRESHOLDS = thresholds.KEYS


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def _shouwen_threshold(self, name):
        """The threshold ``name`` of ``tools/thresholds.py``: its system
        parameter, else its default."""
        # sudo: a configuration value (a threshold), whoever acts
        return thresholds.parse(name, self.sudo().get_param(thresholds.key(name)))

    @api.constrains("key", "value")
    def _check_shouwen_threshold(self):
        for param in self:
            if not param.key.startswith(PREFIX):
                continue
            if param.key not in THRESHOLDS:
                raise ValidationError(
                    self.env._(
                        "%(key)s is not a threshold of the first-inquiry system.",
                        key=param.key,
                    )
                )
            value = (param.value or "").strip()
            if not (value.isascii() and value.isdigit()):
                raise ValidationError(
                    self.env._(
                        "The threshold %(key)s must be a whole number (0 or more), "
                        "not “%(value)s”.",
                        key=param.key,
                        value=param.value,
                    )
                )
