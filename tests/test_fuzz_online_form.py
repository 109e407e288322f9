"""The public online form fuzzed (issue 20): generated submissions — texts of
any character (control characters and NUL included), bytes that are no UTF-8,
fields the form does not have, files of any name under any field — posted as
a browser does against the running server.  Whatever comes, the customer gets
either the confirmation with the new matter's number (200), or the form back
(400, 429) with what they typed and a message, never a server error; a
refusal registers nothing.

Deterministic (``derandomize``), with a fixed budget of examples; each failure
hypothesis found is kept as an ``@example``."""

import re

import pytest
from fuzzing import FUZZ
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from conftest import online_limits

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER = re.compile(r'class="o_shouwen_number">([^<]+)<')
COUNTED = ("shouwen.matter", "shouwen.matter.log", "mail.message", "ir.attachment")
#: the texts the form gives back as typed
ECHOED = ("customer_name", "customer_phone", "policy_number")
ECHOED_AREAS = ("description", "customer_request")
FORM_FIELDS = (*ECHOED, *ECHOED_AREAS, "kind", "unit_id")
GOOD = {
    "customer_name": "李四",
    "customer_phone": "13912345678",
    "kind": "complaint",
    "description": "理赔员三次约定上门查勘均未到场。",
    "customer_request": "请尽快安排查勘。",
}
#: examples: about 10 s on an idle machine
SUBMISSIONS = 150

# ----------------------------------------------------------------------
# strategies
# ----------------------------------------------------------------------

#: what a browser can post: any character but a lone surrogate (it cannot
#: be encoded), the troublesome ones more often than chance
TEXT = st.text(
    alphabet=st.characters(codec="utf-8")
    | st.sampled_from(["\x00", "\r", "\x1b", "\u2028", "１", "٣", "<", "&", '"']),
    max_size=40,
)
VALUES = (
    TEXT
    | st.sampled_from(["13912345678", "１３９１２３４５６７８", "complaint", "consult"])
    | st.binary(max_size=30)
    | st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n)
)
FIELDS = st.dictionaries(
    st.sampled_from(FORM_FIELDS) | TEXT.filter(bool), VALUES, max_size=8
)
FILES = st.lists(
    st.tuples(
        st.sampled_from(["attachments", "attachments", "customer_name", "csrf_token"])
        | TEXT.filter(bool),
        TEXT.filter(bool)
        | st.sampled_from(["照片.jpg", "a.pdf", "x.html", "noext", ".txt"]),
        st.binary(max_size=64),
    ),
    max_size=7,
)

# ----------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def visitor(odoo_server, orm):
    """A browser session on the form and its token, the rate limits raised
    for the fuzzing (every post counts), both put back afterwards."""
    import requests

    with online_limits(orm, ip="100000", phone="100000"):
        session = requests.Session()
        page = session.get(odoo_server.url("/shouwen/online"), timeout=60)
        assert page.status_code == 200
        yield session, CSRF.search(page.text).group(1)


def _given_back(page, form):
    """Each text the customer typed is in the page, escaped as the form
    prints it."""
    for fname in (*ECHOED, *ECHOED_AREAS):
        text = form.get(fname)
        if not isinstance(text, str) or not text:
            continue
        assert str(escape(text)) in page, (fname, text)


# ----------------------------------------------------------------------
# the test
# ----------------------------------------------------------------------


@settings(FUZZ, max_examples=SUBMISSIONS)
@given(
    fields=FIELDS,
    good=st.booleans(),
    files=FILES,
    token=st.sampled_from(["valid", "valid", "valid", "none", "garbage"]),
)
# found by hypothesis: a file under a text's name, read as the text (500)
@example(fields={}, good=False, files=[("customer_name", "0", b"")], token="valid")
@example(fields={"description": "车辆\x00受损"}, good=True, files=[], token="valid")
@example(
    fields={},
    good=True,
    files=[("attachments", "照片\x00.jpg", b"jpg")],
    token="valid",
)
@example(
    fields={"customer_name": ""},
    good=True,
    files=[("customer_name", "name.txt", b"x")],
    token="valid",
)
@example(fields={}, good=True, files=[("csrf_token", "t.txt", b"x")], token="none")
@example(
    fields={"customer_phone": "１３９ １２３４ ５６７８", "policy_number": "ＰＤ０１"},
    good=True,
    files=[],
    token="valid",
)
def test_any_submission_gets_the_form_or_a_number_and_a_refusal_writes_nothing(
    odoo_server, counts, visitor, fields, good, files, token
):
    session, csrf = visitor
    form = {**(GOOD if good else {}), **fields}
    if token == "valid":
        form["csrf_token"] = csrf
    elif token == "garbage":
        form["csrf_token"] = "0" * 40 + "o9999999999"
    before = counts()
    answer = session.post(
        odoo_server.url("/shouwen/online"),
        data=form,
        files=[(field, (name, data)) for field, name, data in files] or None,
        timeout=120,
    )
    after = counts()
    assert answer.status_code in (200, 400, 429), (answer.status_code, form, files)
    event(str(answer.status_code))
    if answer.status_code == 200:
        assert NUMBER.search(answer.text), answer.text[-2000:]
        assert after["shouwen.matter"] == before["shouwen.matter"] + 1
        return
    assert after == before, (form, files)
    assert "o_shouwen_online_form" in answer.text
    assert "alert-danger" in answer.text
    _given_back(answer.text, form)
