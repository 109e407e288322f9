# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Customer personal data: validation and masking, pure Python.

>>> normalize_phone(" 138-1234-5678 ")
'13812345678'
>>> normalize_id_number(" 41010219900307123x ")
'41010219900307123X'
>>> is_valid_phone("13812345678"), is_valid_phone("0371-65551234")
(True, True)
>>> is_valid_phone("12345"), is_valid_phone("95519")
(False, True)
>>> mask_phone("13812345678")
'138****5678'
>>> mask_phone("0371-65551234")
'037******1234'
>>> mask_id_number("410102199003071234")
'4101**********1234'
>>> mask_phone(False)
False
"""

import re

from stdnum.cn import ric

MASK = "*"

# mobile 1[3-9]xxxxxxxxx, landline 0xx(x)-xxxxxxx(x), or a 5-digit service
# number such as 95519
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|9\d{4})$")


def normalize_phone(value):
    """Strip spaces and the dashes inside a mobile number."""
    if not value:
        return value
    value = re.sub(r"\s+", "", value)
    digits = value.replace("-", "")
    if re.fullmatch(r"1\d{10}", digits):
        return digits
    return value


def normalize_id_number(value):
    """Strip spaces; the check character X in capitals."""
    if not value:
        return value
    return re.sub(r"\s+", "", value).upper()


def is_valid_phone(value):
    return bool(_PHONE_RE.match(normalize_phone(value) or ""))


def is_valid_id_number(value):
    """A mainland resident identity card number (GB 11643, with checksum)."""
    return ric.is_valid(value or "")


def _mask(value, keep_start, keep_end):
    if not value:
        return value
    if len(value) <= keep_start + keep_end:
        return MASK * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + MASK * hidden + value[len(value) - keep_end :]


def mask_phone(value):
    return _mask(value, 3, 4)


def mask_id_number(value):
    return _mask(value, 4, 4)
