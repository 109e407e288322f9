# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools import thresholds

#: the settings field of each threshold (``tools/thresholds.py``)
FIELD_PREFIX = "shouwen_"


class ResConfigSettings(models.TransientModel):
    """Settings → First inquiry: the addon's thresholds, for the Settings
    administrators.  The addon's own administrator, who has no Settings
    rights, edits the same system parameters in *Configuration →
    Thresholds*.

    The fields are not ``config_parameter=`` fields: Odoo stores an integer 0
    of those as "no parameter", which would bring the default back (0 switches
    the supervision of repeat complaints off).  Each is computed from the one
    accessor (its default included) and written back as its number when the
    Settings are saved; only the Settings administrators may create or write
    settings (access rights), and no public method is added."""

    _inherit = "res.config.settings"

    shouwen_sign_alert_hours = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Alert after an unsigned handover (working hours)",
        help="Working hours after a handover's sign-for deadline when its "
        "dispatcher and the recipient's unit supervisors are alerted.",
    )
    shouwen_urge_days = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Urging due in (working days)",
        help="The due date of the to-do an urging gives.",
    )
    shouwen_supervise_after_reopens = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Supervise after reopens",
        help="A matter reopened this many times is supervised one level up (0: never).",
    )
    shouwen_supervise_after_transfers = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Supervise after transfers",
        help="A matter transferred this many times is supervised one level up "
        "(0: never).",
    )
    shouwen_supervise_repeat_complaints = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Supervise repeat complaints",
        help="1: a repeat complaint is supervised one level up; 0: it is not.",
    )
    shouwen_repeat_window_days = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Repeat complaint window (days)",
        help="A complaint from the same customer or on the same policy within "
        "this many days of an earlier one is a repeat complaint.",
    )
    shouwen_callback_attempts = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Callback attempts",
        help="Unreachable callbacks after which a complaint is closed.",
    )
    shouwen_online_limit_ip = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Online submissions per IP address",
        help="Submissions of the online form accepted per IP address in the window.",
    )
    shouwen_online_limit_phone = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Online submissions per phone number",
        help="Submissions of the online form accepted per phone number in the window.",
    )
    shouwen_online_window_minutes = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Online form window (minutes)",
        help="The sliding window of the online form's limits.",
    )
    shouwen_online_max_files = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Online attachments per submission",
    )
    shouwen_online_max_file_mb = fields.Integer(
        compute="_compute_shouwen_thresholds",
        inverse="_inverse_shouwen_thresholds",
        readonly=False,
        string="Online attachment size (MB)",
    )

    @api.model
    def _shouwen_thresholds(self):
        """``{settings field: threshold name}``."""
        return {FIELD_PREFIX + name: name for name in thresholds.DEFAULTS}

    def _compute_shouwen_thresholds(self):
        Params = self.env["ir.config_parameter"]
        fields_names = self._shouwen_thresholds()
        for settings in self:
            for fname, name in fields_names.items():
                settings[fname] = Params._shouwen_threshold(name)

    def _inverse_shouwen_thresholds(self):
        # sudo: the settings are created and written by the Settings
        # administrators only (access rights of res.config.settings)
        Params = self.env["ir.config_parameter"].sudo()
        for settings in self:
            for fname, name in self._shouwen_thresholds().items():
                value = str(max(settings[fname], 0))
                if Params.get_param(thresholds.key(name)) != value:
                    Params.set_param(thresholds.key(name), value)
