# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Letters by email (来信来函): what a letter's subject names.  Pure Python."""

import re

#: a unit code named in a subject: ``[ZZ01]``, or a bare word such as ``ZZ01``
BRACKETED_CODE = re.compile(r"\[\s*([A-Za-z0-9][A-Za-z0-9_-]*)\s*\]")
BARE_CODE = re.compile(r"(?<![A-Za-z0-9_-])([A-Za-z0-9][A-Za-z0-9_-]*)")


def subject_codes(subject):
    """The words of ``subject`` that may be unit codes, in upper case: the
    bracketed ones first, then the bare words, each once, in their order.
    Chinese text around a code separates it like a space.

    >>> subject_codes("关于理赔的投诉 [zz01] 请转LY02处理")
    ['ZZ01', 'LY02']
    >>> subject_codes("Re: 保单 P-2025 [SWT-A1]")
    ['SWT-A1', 'RE', 'P-2025']
    >>> subject_codes("[ ZZ02 ] 与 ZZ02")
    ['ZZ02']
    >>> subject_codes(None)
    []
    """
    subject = subject or ""
    codes = BRACKETED_CODE.findall(subject) + BARE_CODE.findall(subject)
    return list(dict.fromkeys(code.upper() for code in codes))
