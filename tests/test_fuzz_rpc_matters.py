"""RPC ``create`` and ``write`` of matters fuzzed (issue 20): generated values
sent over JSON-RPC as a staff member — fields that exist and fields that do
not, texts of any character (NUL and lone surrogates included), numbers
beyond any integer, dates that are no dates, lists and objects nested where a
text is expected, x2many commands of any shape, values that are no mapping.
Whatever comes, the server either does it or refuses it with a
``UserError``, ``ValidationError`` or ``AccessError`` (a clear message, never
a server error), and a refusal changes nothing: no matter, log line, message
or attachment more, the matter written to as it was.

Deterministic (``derandomize``), with a fixed budget of examples; each failure
hypothesis found is kept as an ``@example``."""

import itertools
import json

import pytest
from fuzzing import FUZZ, own_matter
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

STAFF = "zz01_staff1"
MATTER = "shouwen.matter"
COUNTED = ("shouwen.matter", "shouwen.matter.log", "mail.message", "ir.attachment")
REFUSALS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
}
#: what a refused write must leave as it was
SNAPSHOT = (
    "subject",
    "description",
    "customer_name",
    "customer_phone",
    "customer_id_number",
    "policy_number",
    "claim_number",
    "kind",
    "channel",
    "priority",
    "state",
    "active",
    "version",
    "write_date",
)
#: the fields generated values go to: the form's, the system's, x2many ones,
#: and a few a matter does not have
FIELDS = (
    "subject",
    "description",
    "channel",
    "kind",
    "business_domain",
    "priority",
    "customer_type",
    "partner_id",
    "customer_name",
    "customer_phone",
    "customer_id_number",
    "customer_email",
    "policy_number",
    "claim_number",
    "unit_id",
    "post_id",
    "registered_date",
    "customer_request",
    "rectification_due",
    "rectification_done",
    "complained_person_id",
    "representative_ids",
    "message_follower_ids",
    "state",
    "name",
    "version",
    "closure_deadline",
    "active",
    "id",
    "display_name",
    "no_such_field",
)
#: examples per test: about 20 s for both (idle machine)
CREATES, WRITES = 120, 120

# ----------------------------------------------------------------------
# strategies
# ----------------------------------------------------------------------

#: texts of any character; one in eight holds one of the troublesome ones
PLAIN = st.text(max_size=30)
ODD = st.sampled_from(["\x00", "\ud800", "\udfff", "\x1b", "１", "٣", "Ⅻ"])
TEXT = st.one_of(*[PLAIN] * 7, st.tuples(PLAIN, ODD, PLAIN).map("".join))
NUMBERS = st.integers() | st.sampled_from(
    [2**31, -(2**31) - 1, 2**63, 10**30, 0, -1, 1, 2, 3]
)
SCALARS = st.none() | st.booleans() | NUMBERS | st.floats() | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=3)
    ),
    max_leaves=10,
)
DATES = st.sampled_from(
    ["2026-01-01", "2026-02-30", "0001-01-01", "9999-12-31", "２０２６-０１-０１", "x"]
)
DATETIMES = st.sampled_from(
    [
        "2026-01-01 08:00:00",
        "2026-01-01",
        "0001-01-01 00:00:00",
        "9999-12-31 23:59:59",
        "2026-13-01 00:00:00",
        "2026-01-01T08:00:00",
    ]
)
#: values that may well be right, by field (any other field takes VALUES)
GOOD_VALUES = {
    "subject": TEXT,
    "description": TEXT,
    "customer_name": TEXT,
    "customer_request": TEXT,
    "channel": st.sampled_from(["counter", "phone", "visit", "fax"]),
    "kind": st.sampled_from(["consult", "query", "business", "complaint", "x"]),
    "business_domain": st.sampled_from(["claims", "product", "other", "x"]),
    "priority": st.sampled_from(["0", "1", "9"]),
    "customer_type": st.sampled_from(["external", "internal", "x"]),
    "customer_phone": st.sampled_from(
        [
            "13812345678",
            "１３８１２３４５６７８",
            "١٣٨١٢٣٤٥٦٧٨",
            "0371-65551234",
            "12345",
        ]
    )
    | TEXT,
    "customer_id_number": st.sampled_from(
        [
            "11010519491231002X",
            "１１０１０５１９４９１２３１００２ｘ",
            "110105194912310021",
        ]
    )
    | TEXT,
    "customer_email": st.sampled_from(["wang@example.com", "x"]) | TEXT,
    "policy_number": st.sampled_from(["PDAA2026", "ＰＤＡＡ２０２６"]) | TEXT,
    "claim_number": st.sampled_from(["CL-2026", "ＣＬ٢٠٢٦"]) | TEXT,
    "unit_id": NUMBERS,
    "post_id": NUMBERS,
    "partner_id": NUMBERS,
    "complained_person_id": NUMBERS,
    "registered_date": DATETIMES,
    "closure_deadline": DATETIMES,
    "rectification_due": DATES,
    "rectification_done": st.booleans(),
    "active": st.booleans(),
    "version": NUMBERS,
}
COMMANDS = st.lists(
    st.one_of(
        st.tuples(
            st.just(0),
            st.just(0),
            st.fixed_dictionaries(
                {"name": TEXT},
                optional={"phone": GOOD_VALUES["customer_phone"], "x": VALUES},
            ),
        ),
        st.tuples(st.integers(0, 6), VALUES),
        st.tuples(st.integers(-1, 7), VALUES, VALUES),
        st.lists(VALUES, max_size=3),
    ).map(list),
    max_size=3,
)
FIELD_VALUES = {
    name: st.one_of(*[GOOD_VALUES.get(name, VALUES)] * 3, VALUES, COMMANDS)
    for name in FIELDS
}
#: values by field, most of them of a kind the field may take
VALS = st.lists(
    st.sampled_from(FIELDS).flatmap(
        lambda name: st.tuples(st.just(name), FIELD_VALUES[name])
    )
    | st.tuples(TEXT, VALUES),
    max_size=3,
).map(dict)
#: a registration that may well be valid, with some values gone wrong
REGISTRATION = st.builds(
    lambda extra: {
        "subject": "模糊测试",
        "customer_name": "王",
        "customer_phone": "13812345678",
        **extra,
    },
    VALS,
)

# ----------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def rpc(odoo_server, orm):
    """``rpc(method, args)``: ``execute_kw`` on matters as the staff member
    over JSON-RPC; the answer's ``result`` or ``error``.  Matters created
    through it are deleted when the module ends."""
    import requests

    uid = orm(STAFF, lambda env: env.uid)
    session = requests.Session()
    ids = itertools.count(1)

    def call(method, args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(ids),
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [odoo_server.db, uid, STAFF, MATTER, method, args, {}],
            },
        }
        answer = session.post(
            odoo_server.url("/jsonrpc"),
            data=json.dumps(payload, allow_nan=True),
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
        assert answer.status_code == 200, (answer.status_code, answer.text[:500])
        return answer.json()

    return call


@pytest.fixture(scope="module")
def matter(orm):
    return own_matter(orm, STAFF)


def _snapshot(orm, matter_id):
    def read(env):
        return env[MATTER].sudo().browse(matter_id).read(list(SNAPSHOT))

    return orm("admin", read)


def _refused_or_done(answer, label):
    """The error of a refusal (a clear one), or ``None`` when it was done."""
    if "result" in answer:
        event("done")
        return None
    error = answer["error"]
    event(f"{error['data']['name']}: {error['data']['message'][:25]}")
    assert error["data"]["name"] in REFUSALS, (label, error["data"]["name"], error)
    assert error["data"]["message"].strip(), label
    return error


# ----------------------------------------------------------------------
# the tests
# ----------------------------------------------------------------------


@settings(FUZZ, max_examples=CREATES)
@given(vals=st.one_of(REGISTRATION, REGISTRATION, VALS, VALUES))
# found by hypothesis: values that are no mapping (a TypeError)
@example(vals=None)
@example(vals={"subject": "a\x00b", "customer_name": "王"})
@example(vals={"subject": "\ud800", "customer_name": "王"})
@example(vals={"subject": ["x"], "customer_name": "王"})
@example(vals={"subject": "x", "customer_name": "王", "unit_id": 10**30})
@example(vals={"subject": "x", "customer_name": "王", "unit_id": "ZZ01"})
@example(vals={"subject": "x", "customer_name": "王", "registered_date": "x"})
@example(vals={"subject": "x", "customer_name": "王", "no_such_field": 1})
@example(vals={"subject": "x", "customer_name": "王", "customer_phone": 138})
@example(vals={"subject": "x", "customer_name": "王", "channel": ["phone"]})
@example(vals=[["subject", "x"]])
@example(
    vals={"subject": "x", "customer_name": "王", "representative_ids": [[0, 0, "x"]]}
)
@example(
    vals={
        "subject": "x",
        "customer_name": "王",
        "representative_ids": [[0, 0, {"name": "\x00"}]],
    }
)
def test_any_values_at_registration_are_done_or_refused_clearly(rpc, counts, vals):
    before = counts()
    answer = rpc("create", [vals])
    error = _refused_or_done(answer, vals)
    after = counts()
    if error:
        assert after == before, vals
    else:
        created = answer["result"]
        created = created if isinstance(created, list) else [created]
        assert after["shouwen.matter"] == before["shouwen.matter"] + len(created)


@settings(FUZZ, max_examples=WRITES)
@given(vals=st.one_of(VALS, VALS, VALS, VALUES))
# found by hypothesis: values that are no mapping (a TypeError)
@example(vals=None)
@example(vals={"description": "a\x00b"})
@example(vals={"description": "\udfff"})
@example(vals={"version": float("inf")})
@example(vals={"customer_phone": ["13812345678"]})
@example(vals={"priority": {"1": 1}})
@example(vals={"post_id": 2**40})
@example(vals={"rectification_due": "2026-02-30"})
@example(vals="subject")
def test_any_values_of_a_change_are_done_or_refused_clearly(
    rpc, counts, matter, orm, vals
):
    before = counts(), _snapshot(orm, matter)
    answer = rpc("write", [[matter], vals])
    if _refused_or_done(answer, vals):
        assert (counts(), _snapshot(orm, matter)) == before, vals
