# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The online channel (网上投诉), written once: what a customer may file, the
default limits, which files they may attach, and how a matter's state reads
for the customer.  Pure Python, no ORM.

>>> customer_stage("guiding"), customer_stage("review"), customer_stage("callback")
('received', 'in_progress', 'answered')
>>> sorted({customer_stage(state) for state, _label in STATE_STAGES.items()})
['answered', 'closed', 'in_progress', 'received', 'withdrawn']
>>> subject_from("  车辆被追尾后\\n理赔款迟迟未到账 ")
'车辆被追尾后'
>>> subject = subject_from("保" * 50)
>>> len(subject), subject[-1]
(40, '…')
>>> subject_from(None)
''
>>> allowed_file("事故照片.JPG"), allowed_file("invoice.pdf"), allowed_file("x.html")
(True, True, False)
>>> allowed_file("noextension")
False
"""

import os

#: the kinds of matter (catalogue.KINDS) a customer may file online
ONLINE_KINDS = ("complaint", "consult")

#: the business domain a new online matter starts with, by kind (the first
#: receiver reclassifies it)
ONLINE_DOMAINS = {"complaint": "complaint", "consult": "other"}

#: maximum lengths of the customer's texts
MAX_LENGTHS = {
    "customer_name": 50,
    "policy_number": 40,
    "description": 2000,
    "customer_request": 1000,
}

SUBJECT_LENGTH = 40

#: files a customer may attach: photos, scans, office documents; never a
#: file a browser would run (HTML, SVG, scripts)
ALLOWED_EXTENSIONS = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".bmp",
        ".pdf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".txt",
    }
)

#: how the customer reads a matter's state: (stage, label)
CUSTOMER_STAGES = [
    ("received", "Received, being assigned"),
    ("in_progress", "Being handled"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("withdrawn", "Withdrawn"),
]

#: every state of a matter (tools/workflow.py) and the stage it shows as
STATE_STAGES = {
    "registered": "received",
    "approval": "received",
    "assigned": "received",
    "guiding": "received",
    "returned": "received",
    "disputed": "received",
    "in_progress": "in_progress",
    "coordinating": "in_progress",
    "review": "in_progress",
    "reopened": "in_progress",
    "feedback": "answered",
    "callback": "answered",
    "answered": "answered",
    "closed": "closed",
    "withdrawn": "withdrawn",
}


def customer_stage(state):
    """The customer's stage of a matter in ``state``."""
    return STATE_STAGES[state]


def subject_from(text):
    """A matter's subject from what the customer wrote: its first line,
    shortened."""
    lines = (text or "").strip().splitlines()
    first = lines[0].strip() if lines else ""
    if len(first) > SUBJECT_LENGTH:
        return first[: SUBJECT_LENGTH - 1] + "…"
    return first


def allowed_file(filename):
    """Whether a file of this name may be attached."""
    return os.path.splitext(filename or "")[1].lower() in ALLOWED_EXTENSIONS
