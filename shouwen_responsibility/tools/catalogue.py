# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The vocabulary of 首问责任制, written once: channels, kinds, business domains,
service posts, organisation levels.  Labels are English source strings; the
Chinese labels come from ``i18n/zh_CN.po``."""

UNIT_LEVELS = [
    ("province", "Provincial branch"),
    ("city", "City branch"),
    ("county", "County branch"),
]

#: the level a unit's parent must have (``None``: no parent at all)
PARENT_LEVEL = {"province": None, "city": "province", "county": "city"}

CHANNELS = [
    ("counter", "Counter"),
    ("in_person", "Handed over in person"),
    ("letter", "Incoming letter"),
    ("visit", "Visit"),
    ("phone", "Incoming call"),
    ("online", "Online submission"),
]

KINDS = [
    ("consult", "Consultation"),
    ("query", "Status query"),
    ("business", "Business"),
    ("complaint", "Complaint"),
    ("coordinate", "Coordination"),
]

BUSINESS_DOMAINS = [
    ("product", "Product"),
    ("underwriting", "Underwriting"),
    ("endorsement", "Endorsement"),
    ("claims", "Claims"),
    ("payment", "Payments"),
    ("survey", "Survey and loss assessment"),
    ("rescue", "Rescue"),
    ("claim_report", "Claim report"),
    ("dispatch", "Dispatch and urging"),
    ("complaint", "Complaint"),
    ("other", "Other"),
]

POST_TYPES = [
    ("service_center", "Customer service centre"),
    ("service_hall", "Customer service hall"),
    ("service_station", "Customer service station"),
    ("loss_center", "Loss-assessment centre or point"),
    ("call_center", "Call centre"),
    ("back_office", "Back office (business, finance)"),
    ("other", "Other service post"),
]

CUSTOMER_TYPES = [
    ("external", "External customer"),
    ("internal", "Internal customer"),
]

TOLD_METHODS = [
    ("on_the_spot", "On the spot"),
    ("phone", "Phone"),
    ("sms", "SMS"),
    ("letter", "Letter"),
    ("email", "Email"),
    ("online", "Online"),
]
