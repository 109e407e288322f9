# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The addon's thresholds, each a whole number kept as the system parameter
``shouwen_responsibility.<name>``, with its default: the one place the
defaults are written.  The code reads them through
``ir.config_parameter._shouwen_threshold(name)``; Settings → First inquiry
(``res.config.settings``) and the addon's own *Thresholds* list (for its
administrator, who has no Settings rights) edit them.

>>> key("urge_days")
'shouwen_responsibility.urge_days'
>>> DEFAULTS["callback_attempts"]
3
"""

PREFIX = "shouwen_responsibility."

#: name → default value
DEFAULTS = {
    # work-order discipline
    "sign_alert_hours": 2,  # alert after an unsigned handover's deadline (h)
    "urge_days": 1,  # an urging is due in so many working days
    "supervise_after_reopens": 3,  # supervised one level up after N reopens
    "supervise_after_transfers": 3,  # … after N transfers
    "supervise_repeat_complaints": 1,  # 1: repeat complaints are supervised
    # complaints
    "repeat_window_days": 90,  # a complaint repeats an earlier one within
    "callback_attempts": 3,  # unreachable callbacks before closing
    # the online form
    "online_limit_ip": 5,  # submissions per IP address and window
    "online_limit_phone": 3,  # submissions per phone number and window
    "online_window_minutes": 60,  # the sliding window
    "online_max_files": 5,  # attachments per submission
    "online_max_file_mb": 10,  # size of one attachment
}

#: the system parameters of the thresholds
KEYS = frozenset(PREFIX + name for name in DEFAULTS)


def key(name):
    """The system parameter of threshold ``name``."""
    if name not in DEFAULTS:
        raise KeyError(f"{name} is not a threshold")
    return PREFIX + name


def parse(name, value):
    """The threshold ``name`` from its stored text (its default when unset).

    >>> parse("urge_days", "4"), parse("urge_days", None), parse("urge_days", "")
    (4, 1, 1)
    """
    value = (value or "").strip()
    return int(value) if value else DEFAULTS[name]
