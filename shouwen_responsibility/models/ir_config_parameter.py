# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import ValidationError

#: the addon's system parameters: thresholds, each a whole number.  Its
#: administrators read and write exactly the parameters of this namespace
#: (record rule on the prefix), so nothing else may ever be kept under it.
PREFIX = "shouwen_responsibility."
THRESHOLDS = frozenset(
    PREFIX + name
    for name in (
        "sign_alert_hours",
        "urge_days",
        "supervise_after_reopens",
        "supervise_after_transfers",
        "supervise_repeat_complaints",
        "repeat_window_days",
        "callback_attempts",
        "online_limit_ip",
        "online_limit_phone",
        "online_window_minutes",
        "online_max_files",
        "online_max_file_mb",
    )
)


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

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
