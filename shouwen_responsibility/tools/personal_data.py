# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Customer personal data: normalisation, validation and masking, pure Python.

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

Digits typed in any Unicode form (full-width, Arabic-Indic, mathematical …)
are ASCII digits once normalised; before that they are no digits at all:

>>> ascii_digits("1391１１１２２２２"), ascii_digits("١٣٨١٢٣٤٥٦٧٨")
('13911112222', '13812345678')
>>> normalize_phone("１３８－１２３４－５６７８")
'13812345678'
>>> is_valid_phone("1391１１１２２２２"), is_valid_phone("١٣٨١٢٣٤٥٦٧٨")
(True, True)
>>> bool(_PHONE_RE.fullmatch("1391１１１２２２２"))
False
>>> normalize_id_number(" ４１０１０２１９９００３０７１２３ｘ ")
'41010219900307123X'
>>> normalized({"customer_phone": "１３８ １２３４ ５６７８", "subject": "１"})
{'customer_phone': '13812345678', 'subject': '１'}
>>> unstorable("a\\x00b"), unstorable("\\ud800"), unstorable("保单１")
(True, True, False)
"""

import re
import unicodedata

from stdnum.cn import ric

MASK = "*"

# mobile 1[3-9]xxxxxxxxx, landline 0xx(x)-xxxxxxx(x), or a 5-digit service
# number such as 95519 (ASCII digits only: normalise first)
_PHONE_RE = re.compile(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|9[0-9]{4}")
_MOBILE_RE = re.compile(r"1[0-9]{10}")
#: what PostgreSQL cannot store in a text: NUL, and UTF-16 surrogates alone
_UNSTORABLE_RE = re.compile("[\x00\ud800-\udfff]")


def ascii_digits(value):
    """``value`` in Unicode normal form NFKC (full-width letters, digits and
    dashes become ASCII), with any decimal digit left in another script
    (Arabic-Indic, Devanagari …) replaced by its ASCII digit."""
    if not isinstance(value, str) or not value:
        return value
    value = unicodedata.normalize("NFKC", value)
    if value.isascii():
        return value
    return "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() else char for char in value
    )


def normalize_phone(value):
    """ASCII digits; no spaces; no dashes inside a mobile number."""
    if not value:
        return value
    value = re.sub(r"\s+", "", ascii_digits(value))
    digits = value.replace("-", "")
    if _MOBILE_RE.fullmatch(digits):
        return digits
    return value


def normalize_id_number(value):
    """ASCII digits, no spaces, the check character X in capitals."""
    if not value:
        return value
    return re.sub(r"\s+", "", ascii_digits(value)).upper()


def normalize_reference(value):
    """A policy or claim number: ASCII digits and letters, trimmed."""
    if not value:
        return value
    return ascii_digits(value).strip()


#: the identifiers a customer gives, and how each is normalised before it is
#: validated and stored
IDENTIFIERS = {
    "customer_phone": normalize_phone,
    "phone": normalize_phone,
    "customer_id_number": normalize_id_number,
    "policy_number": normalize_reference,
    "claim_number": normalize_reference,
}


def normalized(vals):
    """``vals`` with the identifiers it gives (phone numbers, ID, policy and
    claim numbers) in their normal form; other values as they are."""
    return {
        fname: IDENTIFIERS[fname](value)
        if fname in IDENTIFIERS and isinstance(value, str)
        else value
        for fname, value in vals.items()
    }


def unstorable(text):
    """Whether ``text`` holds a character no database text can: NUL, or an
    unpaired UTF-16 surrogate."""
    return bool(_UNSTORABLE_RE.search(text))


def is_valid_phone(value):
    return bool(_PHONE_RE.fullmatch(normalize_phone(value) or ""))


def is_valid_id_number(value):
    """A mainland resident identity card number (GB 11643, with checksum)."""
    return ric.is_valid(normalize_id_number(value) or "")


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
