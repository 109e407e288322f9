"""The phone API fuzzed (issue 20): generated requests — bodies of arbitrary
JSON, raw bytes, keys given twice, numbers of thousands of digits, nesting
thousands of levels deep, texts with control characters, NUL and lone
surrogates; query strings; headers — against the running server.  Whatever
comes, the answer is a success (2xx) or a JSON refusal (4xx) in Chinese and
English, never a server error, and a refusal writes nothing.

Deterministic (``derandomize``), with a fixed budget of examples; each failure
hypothesis found is kept as an ``@example``."""

import json
import re
from datetime import datetime, timedelta

import pytest
from fuzzing import FUZZ, own_matter
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

API = "/shouwen/api/v1"
STAFF = "zz01_staff1"
CJK = re.compile(r"[\u4e00-\u9fff]")
COUNTED = ("shouwen.matter", "shouwen.matter.log", "mail.message", "ir.attachment")
REGISTER_FIELDS = (
    "subject",
    "description",
    "kind",
    "business_domain",
    "urgent",
    "customer_type",
    "customer_name",
    "customer_phone",
    "customer_id_number",
    "customer_email",
    "policy_number",
    "claim_number",
)
#: examples per test: the three tests together run in about 25 s (idle machine)
BODIES, QUERIES, HEADERS = 200, 100, 80

# ----------------------------------------------------------------------
# strategies
# ----------------------------------------------------------------------

#: texts of any character; one in eight holds one of the troublesome ones
PLAIN = st.text(max_size=30)
ODD = st.sampled_from(["\x00", "\ud800", "\udfff", "\x1b", "\u2028", "１", "٣", "ⅻ"])
TEXT = st.one_of(*[PLAIN] * 7, st.tuples(PLAIN, ODD, PLAIN).map("".join))
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
PHONES = st.sampled_from(
    [
        "13812345678",
        "138-1234-5678",
        "１３８１２３４５６７８",
        "١٣٨١٢٣٤٥٦٧٨",
        "0371-65551234",
        "95519",
        "12345",
        "1381234567８",
    ]
)
#: values that may well be right, by field
GOOD_VALUES = {
    "subject": st.just("来电咨询") | TEXT,
    "customer_name": st.just("王女士") | TEXT,
    "description": TEXT,
    "kind": st.sampled_from(["consult", "query", "business", "complaint", "gossip"]),
    "business_domain": st.sampled_from(["claims", "product", "other", "x"]),
    "customer_type": st.sampled_from(["external", "internal", "alien"]),
    "urgent": st.booleans(),
    "customer_phone": PHONES | TEXT,
    "customer_id_number": st.sampled_from(
        [
            "11010519491231002X",
            "１１０１０５１９４９１２３１００２ｘ",
            "110105194912310021",
        ]
    )
    | TEXT,
    "customer_email": st.sampled_from(["wang@example.com", "not an address"]) | TEXT,
    "policy_number": st.sampled_from(["PDAA2026", "ＰＤＡＡ２０２６"]) | TEXT,
    "claim_number": st.sampled_from(["CL-2026-001", "ＣＬ٢٠٢٦"]) | TEXT,
}
#: a registration that may well be valid, some of its values gone wrong
REGISTRATION = st.fixed_dictionaries(
    {"subject": GOOD_VALUES["subject"], "customer_name": GOOD_VALUES["customer_name"]},
    optional={
        name: st.one_of(values, values, values, JSON)
        for name, values in GOOD_VALUES.items()
        if name not in ("subject", "customer_name")
    },
)


def _pairs_text(pairs):
    """A JSON object written with these ``(key, value)`` pairs, keys given
    twice included."""
    return "{%s}" % ", ".join(
        f"{json.dumps(key)}: {json.dumps(value, allow_nan=True)}"
        for key, value in pairs
    )


def _encoded(value):
    return json.dumps(value, allow_nan=True).encode()


REGISTRATION_BODIES = REGISTRATION.map(_encoded)
NOTE_BODIES = st.fixed_dictionaries({"note": TEXT}).map(_encoded)
RAW_BODIES = st.one_of(
    REGISTRATION_BODIES,
    NOTE_BODIES,
    # a body of any JSON value, of any field name
    JSON.map(_encoded),
    st.dictionaries(st.sampled_from(list(GOOD_VALUES)) | TEXT, JSON).map(_encoded),
    # a key given twice
    st.lists(
        st.tuples(st.sampled_from(["subject", "customer_name", "note"]), JSON),
        min_size=2,
        max_size=5,
    ).map(lambda pairs: _pairs_text(pairs).encode()),
    # nesting thousands of levels deep
    st.integers(min_value=1, max_value=30000).map(
        lambda depth: ("[" * depth + "]" * depth).encode()
    ),
    st.integers(min_value=1, max_value=30000).map(
        lambda depth: (
            '{"subject": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
        ).encode()
    ),
    # numbers of thousands of digits
    st.integers(min_value=1, max_value=6000).map(
        lambda digits: ('{"subject": ' + "9" * digits + ', "note": 1}').encode()
    ),
    # anything at all
    st.binary(max_size=200),
)
#: (path, body): mostly what the path takes, sometimes anything
REQUESTS = st.one_of(
    st.tuples(st.just("/matters"), REGISTRATION_BODIES),
    st.tuples(st.just("/matters"), REGISTRATION_BODIES),
    st.tuples(st.just("/matters/{id}/notes"), NOTE_BODIES),
    st.tuples(
        st.sampled_from(["/matters", "/matters/{id}/notes"])
        | st.integers().map(lambda i: f"/matters/{i}/notes")
        | TEXT.map(lambda t: "/" + t.replace("\x00", "")),
        RAW_BODIES,
    ),
)
JSON_TYPE = "application/json"
CONTENT_TYPES = st.sampled_from(
    [
        *[JSON_TYPE] * 8,
        "application/json; charset=utf-8",
        "application/json; charset=latin-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json\x00",
        "",
    ]
)
#: header values as an HTTP client may send them (latin-1, no line breaks)
HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=255).filter(
        lambda c: c not in "\r\n"
    ),
    max_size=40,
).map(str.strip)
HEADER_NAMES = st.sampled_from(
    ["Accept", "Accept-Language", "X-Forwarded-For", "Cookie", "X-Openerp-Session-Id"]
) | st.from_regex(r"X-[A-Za-z0-9-]{1,12}", fullmatch=True)

# ----------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(odoo_server, orm):
    """``api(method, path, **kwargs)``: one request to the phone API with the
    staff member's key (unless headers say otherwise)."""
    import requests

    key = orm(
        STAFF,
        lambda env: env["res.users.apikeys"]._generate(
            "rpc", "fuzz", datetime.now() + timedelta(hours=1)
        ),
        commit=True,
    )
    session = requests.Session()

    def call(method, path, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {key}", **(headers or {})}
        return session.request(
            method,
            odoo_server.url(API + path),
            headers=headers,
            timeout=120,
            **kwargs,
        )

    call.key = key
    return call


@pytest.fixture(scope="module")
def readable_matter(orm):
    """A matter the staff member may read (their own registration)."""
    return own_matter(orm, STAFF)


def _check(answer, counts_before, counts_after, label):
    """Never a server error; a refusal is JSON in both languages and wrote
    nothing; a success wrote what it says."""
    assert answer.status_code < 500, (label, answer.status_code, answer.text[:500])
    event(f"{answer.status_code}")
    if answer.status_code >= 400:
        assert counts_after == counts_before, label
        if answer.request.method == "HEAD":
            return
        error = answer.json()["error"]
        assert error["code"], label
        event(f"{answer.status_code} {error['code']}")
        zh, _sep, en = error["message"].partition(" / ")
        assert CJK.search(zh) and en, (label, error)
        return
    assert answer.status_code in (200, 201), label
    payload = answer.json()
    if answer.status_code == 201 and "number" in payload and "matter_id" not in payload:
        # a registration: exactly one matter more
        assert counts_after["shouwen.matter"] == counts_before["shouwen.matter"] + 1, (
            label
        )
    elif answer.request.method == "GET":
        assert counts_after == counts_before, label


# ----------------------------------------------------------------------
# the tests
# ----------------------------------------------------------------------


@settings(FUZZ, max_examples=BODIES)
@given(request=REQUESTS, content_type=CONTENT_TYPES)
@example(request=("/matters", b"[" * 20000 + b"]" * 20000), content_type=JSON_TYPE)
@example(
    request=("/matters", b'{"subject": "\\ud800", "customer_name": "x"}'),
    content_type=JSON_TYPE,
)
@example(
    request=("/matters", b'{"subject": "a\\u0000", "customer_name": "x"}'),
    content_type=JSON_TYPE,
)
@example(
    request=("/matters", b'{"subject": "a", "subject": "b", "customer_name": "x"}'),
    content_type=JSON_TYPE,
)
@example(
    request=("/matters/99999999999999999999/notes", b'{"note": "x"}'),
    content_type=JSON_TYPE,
)
@example(request=("/matters", b'{"\\ud800": 1}'), content_type=JSON_TYPE)
# found by hypothesis: a form body that is no UTF-8, refused by werkzeug in
# HTML (413) before the API could answer in JSON
@example(
    request=("/matters", b"\x80"), content_type="application/x-www-form-urlencoded"
)
# found by hypothesis: a NUL in a text (500 from the database)
@example(
    request=("/matters", b'{"subject": "\\u0000", "customer_name": "x"}'),
    content_type=JSON_TYPE,
)
def test_any_body_gets_a_json_answer_and_a_refusal_writes_nothing(
    api, counts, readable_matter, request, content_type
):
    path, body = request
    path = path.replace("{id}", str(readable_matter))
    before = counts()
    answer = api("POST", path, data=body, headers={"Content-Type": content_type})
    _check(answer, before, counts(), (path, body[:200]))


#: a text in a query string: its UTF-8 bytes (a lone surrogate as the bytes
#: it would have, which are no UTF-8)
QUERY_TEXT = TEXT.map(lambda text: text.encode("utf-8", "surrogatepass"))
#: the phone to look up (mostly there), then more parameters
QUERY = st.tuples(
    st.one_of(
        *[st.tuples(st.just("phone"), PHONES)] * 4,
        st.tuples(st.just("phone"), QUERY_TEXT),
        st.tuples(st.just("nothing"), st.just("")),
    ),
    st.lists(
        st.one_of(
            st.tuples(
                st.just("limit"),
                st.integers(min_value=-5, max_value=200).map(str)
                | st.sampled_from(["²", "１０", " 5", "5 ", "0x10", "1e2"])
                | st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n)
                | QUERY_TEXT,
            ),
            st.tuples(HEADER_TEXT | st.just("self") | st.just("phone"), QUERY_TEXT),
        ),
        max_size=3,
    ),
).map(lambda query: [query[0], *query[1]])


@settings(FUZZ, max_examples=QUERIES)
@given(
    method=st.sampled_from(["GET"] * 8 + ["PUT", "DELETE", "PATCH", "HEAD"]),
    params=QUERY,
)
@example(method="GET", params=[("phone", "13812345678"), ("limit", "9" * 5000)])
# found by hypothesis: a limit in superscript digits is a digit to isdigit()
@example(method="GET", params=[("phone", "13812345678"), ("limit", "²")])
@example(method="GET", params=[("phone", "13812345678"), ("phone", "1")])
@example(method="GET", params=[("phone", "13812345678"), ("self", "1")])
def test_any_query_string_gets_a_json_answer(api, counts, method, params):
    before = counts()
    answer = api(method, "/matters", params=params)
    _check(answer, before, counts(), params)


@settings(FUZZ, max_examples=HEADERS)
@given(
    authorization=st.one_of(
        *[st.just("{key}")] * 6,
        st.sampled_from(["{key}\x00", "{key}é", "Basic {key}"]),
        st.none(),
        HEADER_TEXT,
        HEADER_TEXT.map(lambda t: f"Bearer {t}"),
    ),
    extra=st.dictionaries(HEADER_NAMES, HEADER_TEXT, max_size=3),
    method=st.sampled_from(["GET", "POST"]),
)
@example(authorization="Bearer {key}\x00", extra={}, method="GET")
@example(authorization="Bearer 密钥", extra={}, method="GET")
def test_any_header_gets_a_json_answer(api, counts, authorization, extra, method):
    headers = {name: value for name, value in extra.items() if value}
    # no key at all, or what the client sends as it is (UTF-8 bytes beyond
    # latin-1)
    headers["Authorization"] = (
        authorization.replace("{key}", f"Bearer {api.key}").encode("utf-8")
        if authorization
        else ""
    )
    body = json.dumps({"subject": "来电咨询", "customer_name": "王女士"})
    kwargs = (
        {"data": body.encode(), "headers": {"Content-Type": "application/json"}}
        if method == "POST"
        else {"params": {"phone": "13812345678"}, "headers": {}}
    )
    kwargs["headers"].update(headers)
    before = counts()
    answer = api(method, "/matters", **kwargs)
    _check(answer, before, counts(), headers)
