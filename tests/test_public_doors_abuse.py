"""The public doors under abuse (issue 20), tried as an attacker would from one
address on 127.0.0.1 against the running server: parallel submissions of the
online form against its rate limits, digits typed in other scripts, and the
requests that used to end in a server error (500) — each must now get the 4xx
it is promised, in the form it is promised (JSON for the phone API, the form
page with the customer's text for the online form), and write nothing."""

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import datetime, timedelta

import pytest

from conftest import online_limits

API = "/shouwen/api/v1"
STAFF = "zz01_staff1"
CJK = re.compile(r"[\u4e00-\u9fff]")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NUMBER = re.compile(r'class="o_shouwen_number">([^<]+)<')
#: what must not change when a request is refused
COUNTED = ("shouwen.matter", "shouwen.matter.log", "mail.message", "ir.attachment")
#: a good submission of the online form
GOOD_FORM = {
    "customer_name": "李四",
    "customer_phone": "13912345678",
    "kind": "complaint",
    "description": "理赔员三次约定上门查勘均未到场。",
    "customer_request": "请尽快安排查勘。",
}
#: a good registration over the phone API
GOOD_CALL = {"subject": "来电咨询", "customer_name": "王女士"}


# ----------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_key(orm):
    def key(env):
        return env["res.users.apikeys"]._generate(
            "rpc", "doors", datetime.now() + timedelta(hours=1)
        )

    return orm(STAFF, key, commit=True)


@pytest.fixture
def rate_limits(orm):
    """``rate_limits(ip=…, phone=…)`` sets the online form's limits and
    forgets the attempts made so far; both are put back afterwards (the
    attempts of this test forgotten), so that no other test is held back."""
    with ExitStack() as stack:
        yield lambda **limits: stack.enter_context(online_limits(orm, **limits))


def _online_matters(orm):
    def count(env):
        matters = env["shouwen.matter"].sudo().with_context(active_test=False)
        return matters.search_count([("channel", "=", "online")])

    return orm("admin", count)


def _visitor(odoo_server):
    """A browser session on the online form, and its CSRF token."""
    import requests

    session = requests.Session()
    page = session.get(odoo_server.url("/shouwen/online"), timeout=60)
    assert page.status_code == 200
    return session, CSRF.search(page.text).group(1)


def _stored(orm, number, *fnames):
    def read(env):
        matter = env["shouwen.matter"].sudo().search([("name", "=", number)])
        assert len(matter) == 1, number
        return [matter[fname] for fname in fnames]

    return orm("admin", read)


# ----------------------------------------------------------------------
# the online form's rate limits under real concurrency
# ----------------------------------------------------------------------


def _post_in_parallel(odoo_server, forms):
    """Post ``forms`` at once, each from its own browser session (all from
    127.0.0.1): the sessions open the form first, then every post starts at
    the same moment.  Returns the answers in the order of ``forms``."""
    visitors = [_visitor(odoo_server) for _form in forms]
    start = threading.Barrier(len(forms))

    def post(index):
        session, token = visitors[index]
        start.wait(timeout=60)
        return session.post(
            odoo_server.url("/shouwen/online"),
            data=dict(forms[index], csrf_token=token),
            timeout=300,
        )

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        return list(pool.map(post, range(len(forms))))


def test_parallel_submissions_from_one_address_are_held_to_the_limit(
    odoo_server, orm, rate_limits
):
    rate_limits(ip=5, phone=100)
    before = _online_matters(orm)
    forms = [
        dict(GOOD_FORM, customer_phone=f"1395555{index:04d}") for index in range(12)
    ]
    answers = _post_in_parallel(odoo_server, forms)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] * 5 + [429] * 7, statuses
    numbers = {NUMBER.search(a.text).group(1) for a in answers if a.status_code == 200}
    assert len(numbers) == 5
    assert _online_matters(orm) == before + 5
    for answer in answers:
        if answer.status_code == 429:
            assert "提交过于频繁" in answer.text


def test_parallel_submissions_with_one_phone_are_held_to_the_limit(
    odoo_server, orm, rate_limits
):
    rate_limits(ip=100, phone=3)
    before = _online_matters(orm)
    # the same number as customers type it: spaced, full-width, Arabic-Indic
    spellings = (
        "13966660001",
        "139 6666 0001",
        "１３９６６６６０００１",
        "١٣٩٦٦٦٦٠٠٠١",
    )
    forms = [
        dict(GOOD_FORM, customer_phone=spellings[index % len(spellings)])
        for index in range(8)
    ]
    answers = _post_in_parallel(odoo_server, forms)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] * 3 + [429] * 5, statuses
    assert _online_matters(orm) == before + 3
    for answer in answers:
        if answer.status_code == 200:
            number = NUMBER.search(answer.text).group(1)
            assert _stored(orm, number, "customer_phone") == ["13966660001"]


# ----------------------------------------------------------------------
# digits in other scripts: stored as ASCII digits, by every door
# ----------------------------------------------------------------------


def test_the_online_form_stores_digits_as_ascii(odoo_server, orm, rate_limits):
    rate_limits(ip=100, phone=100)
    session, token = _visitor(odoo_server)
    answer = session.post(
        odoo_server.url("/shouwen/online"),
        data=dict(
            GOOD_FORM,
            customer_phone="１３９ ７７７７ ０００１",
            policy_number="ＰＤＡＡ２０２６４１０１",
            csrf_token=token,
        ),
        timeout=120,
    )
    assert answer.status_code == 200, answer.text[-2000:]
    number = NUMBER.search(answer.text).group(1)
    assert _stored(orm, number, "customer_phone", "policy_number") == [
        "13977770001",
        "PDAA20264101",
    ]


def test_the_phone_api_stores_and_finds_digits_as_ascii(odoo_server, orm, api_key):
    import requests

    auth = {"Authorization": f"Bearer {api_key}"}
    answer = requests.post(
        odoo_server.url(f"{API}/matters"),
        json=dict(
            GOOD_CALL,
            customer_phone="１３９８８８８０００１",
            customer_id_number="１１０１０５１９４９１２３１００２ｘ",
            policy_number="ＰＤ－２０２６",
            claim_number="ＣＬ٢٠٢٦",
        ),
        headers=auth,
        timeout=60,
    )
    assert answer.status_code == 201, answer.text
    number = answer.json()["number"]
    assert _stored(
        orm,
        number,
        "customer_phone",
        "customer_id_number",
        "policy_number",
        "claim_number",
    ) == ["13988880001", "11010519491231002X", "PD-2026", "CL2026"]
    for spelling in ("13988880001", "１３９８８８８０００１", "١٣٩٨٨٨٨٠٠٠١"):
        found = requests.get(
            odoo_server.url(f"{API}/matters"),
            params={"phone": spelling},
            headers=auth,
            timeout=60,
        )
        assert found.status_code == 200, found.text
        assert number in [m["number"] for m in found.json()["matters"]], spelling


def test_rpc_stores_digits_as_ascii(odoo_server, orm):
    client = odoo_server.login(STAFF, STAFF)
    matter_id = client.env["shouwen.matter"].create(
        {
            "subject": "来电咨询",
            "customer_name": "赵六",
            "customer_phone": "１３９９９９９０００１",
            "claim_number": "ＣＬ－２０２６",
        }
    )
    client.env["shouwen.matter"].write(
        [matter_id], {"customer_id_number": "١١٠١٠٥١٩٤٩١٢٣١٠٠٢x"}
    )

    def read(env):
        matter = env["shouwen.matter"].sudo().browse(matter_id)
        return matter.customer_phone, matter.claim_number, matter.customer_id_number

    assert orm("admin", read) == ("13999990001", "CL-2026", "11010519491231002X")


# ----------------------------------------------------------------------
# the phone API: a JSON 4xx for what used to be a 500
# ----------------------------------------------------------------------


def _api_cases(key):
    auth = {"Authorization": f"Bearer {key}"}
    json_auth = dict(auth, **{"Content-Type": "application/json"})
    deep = "[" * 20000 + "]" * 20000

    def raw(text):
        return {"data": text.encode("utf-8", "surrogatepass"), "headers": json_auth}

    lookup = {"phone": "13812345678"}
    return [
        (
            "a lookup limit of 5,000 digits",
            "GET",
            "/matters",
            {"params": dict(lookup, limit="9" * 5000), "headers": auth},
            422,
        ),
        (
            "a lookup limit in superscript digits",
            "GET",
            "/matters",
            {"params": dict(lookup, limit="²"), "headers": auth},
            422,
        ),
        (
            "a lookup limit in full-width digits",
            "GET",
            "/matters",
            {"params": dict(lookup, limit="１０"), "headers": auth},
            422,
        ),
        (
            "a lookup phone with a NUL",
            "GET",
            "/matters",
            {"params": {"phone": "138\x0012345678"}, "headers": auth},
            422,
        ),
        (
            "a lookup parameter given twice",
            "GET",
            "/matters",
            {"params": [("phone", "13812345678"), ("phone", "1"), ("limit", "5")]},
            400,
        ),
        ("a body nested 20,000 levels deep", "POST", "/matters", raw(deep), 400),
        (
            "a field nested 20,000 levels deep",
            "POST",
            "/matters",
            raw('{"subject": ' + deep + ', "customer_name": "王"}'),
            400,
        ),
        (
            "a NUL in a text",
            "POST",
            "/matters",
            {"json": dict(GOOD_CALL, subject="来电\x00咨询"), "headers": auth},
            400,
        ),
        (
            "a lone surrogate in a text",
            "POST",
            "/matters",
            raw('{"subject": "\\ud800", "customer_name": "王"}'),
            400,
        ),
        (
            "a lone surrogate in a field name",
            "POST",
            "/matters",
            raw('{"\\udfff": "x", "subject": "来电", "customer_name": "王"}'),
            400,
        ),
        (
            "a form body that is no UTF-8",
            "POST",
            "/matters",
            {
                "data": b"\x80",
                "headers": dict(
                    auth, **{"Content-Type": "application/x-www-form-urlencoded"}
                ),
            },
            413,
        ),
        (
            "a NUL in a note",
            "POST",
            "/matters/1/notes",
            {"json": {"note": "\x00"}, "headers": auth},
            400,
        ),
        (
            "a field given twice",
            "POST",
            "/matters",
            raw('{"subject": "来电", "subject": 5, "customer_name": "王"}'),
            400,
        ),
        (
            "a number of 5,000 digits",
            "POST",
            "/matters",
            raw('{"subject": ' + "9" * 5000 + ', "customer_name": "王"}'),
            400,
        ),
        (
            "an infinite number",
            "POST",
            "/matters",
            raw('{"subject": 1e999, "customer_name": "王"}'),
            400,
        ),
        (
            "a list for a yes or no",
            "POST",
            "/matters",
            {"json": dict(GOOD_CALL, urgent=[True]), "headers": auth},
            400,
        ),
        (
            "a note on a matter id beyond any integer",
            "POST",
            "/matters/99999999999999999999/notes",
            {"json": {"note": "已回电"}, "headers": auth},
            404,
        ),
        (
            "an API key with a NUL",
            "GET",
            "/matters",
            {
                "params": lookup,
                "headers": {"Authorization": f"Bearer {key[:10]}\x00{key[10:]}"},
            },
            401,
        ),
        (
            "an API key beyond ASCII",
            "GET",
            "/matters",
            {
                "params": lookup,
                "headers": {"Authorization": "Bearer 密钥".encode()},
            },
            401,
        ),
    ]


def test_the_phone_api_answers_abuse_with_a_json_4xx(odoo_server, orm, counts, api_key):
    import requests

    for label, method, path, kwargs, status in _api_cases(api_key):
        kwargs.setdefault("headers", {"Authorization": f"Bearer {api_key}"})
        before = counts()
        answer = requests.request(
            method, odoo_server.url(API + path), timeout=120, **kwargs
        )
        assert answer.status_code == status, (label, answer.status_code, answer.text)
        assert answer.headers["Content-Type"].startswith("application/json"), label
        error = answer.json()["error"]
        zh, _sep, en = error["message"].partition(" / ")
        assert CJK.search(zh) and en and not CJK.search(en), (label, error)
        assert counts() == before, label


# ----------------------------------------------------------------------
# the online form and the status page
# ----------------------------------------------------------------------


def test_a_nul_in_any_field_gives_the_form_back_with_the_text(
    odoo_server, orm, counts, rate_limits
):
    import requests

    rate_limits(ip=100, phone=100)
    session, token = _visitor(odoo_server)
    fields = (*GOOD_FORM, "policy_number", "unit_id")
    for fname in fields:
        form = dict(GOOD_FORM, csrf_token=token)
        form[fname] = (form.get(fname) or "PD01") + "\x00"
        before = counts()
        answer = session.post(odoo_server.url("/shouwen/online"), data=form, timeout=60)
        assert answer.status_code == 400, (fname, answer.status_code)
        assert "无法受理的字符" in answer.text, fname
        # the customer's text is given back, escaped
        assert GOOD_FORM["description"] in answer.text, fname
        assert GOOD_FORM["customer_request"] in answer.text, fname
        assert counts() == before, fname
    # a file whose name holds a NUL; a file sent under a text's name; the
    # form's token sent as a file
    for label, data, files, text in (
        (
            "file name",
            dict(GOOD_FORM, csrf_token=token),
            [("attachments", ("照片\x00.jpg", b"jpg", "image/jpeg"))],
            "无法受理的字符",
        ),
        (
            "a file for the name",
            {k: v for k, v in GOOD_FORM.items() if k != "customer_name"}
            | {"csrf_token": token},
            [("customer_name", ("name.txt", b"x", "text/plain"))],
            "o_shouwen_error",
        ),
        (
            "a file for the token",
            GOOD_FORM,
            [("csrf_token", ("token.txt", token.encode(), "text/plain"))],
            "o_shouwen_message",
        ),
    ):
        before = counts()
        answer = session.post(
            odoo_server.url("/shouwen/online"), data=data, files=files, timeout=60
        )
        assert answer.status_code == 400, (label, answer.status_code)
        assert text in answer.text, label
        assert GOOD_FORM["description"] in answer.text, label
        assert counts() == before, label
    # the status page: a NUL in the number, a token beyond ASCII
    number = orm(
        "admin", lambda env: env["shouwen.matter"].sudo().search([], limit=1).name
    )
    for path in (
        "/shouwen/status/%00",
        f"/shouwen/status/{number}%00",
        f"/shouwen/status/{number}?access_token=%E4%BF%9D",
        f"/shouwen/status/{number}?access_token=%00",
    ):
        answer = requests.get(odoo_server.url(path), timeout=60)
        assert answer.status_code == 404, (path, answer.status_code)
        assert "o_shouwen_not_found" in answer.text, path


# ----------------------------------------------------------------------
# the monthly report
# ----------------------------------------------------------------------


def test_a_monthly_report_for_no_month_is_refused_clearly(odoo_server, orm, counts):
    import requests

    session = requests.Session()
    login = session.post(
        odoo_server.url("/web/session/authenticate"),
        json={
            "jsonrpc": "2.0",
            "params": {
                "db": odoo_server.db,
                "login": "zz_manager",
                "password": "zz_manager",
            },
        },
        timeout=60,
    )
    assert login.json().get("result"), login.text
    unit_id = orm(
        "admin",
        lambda env: env["shouwen.unit"].sudo().search([("code", "=", "ZZ")]).id,
    )
    report = "shouwen_responsibility.report_unit_monthly"
    for month in ("garbage", "2026-13", "0000-01", ["2026-10"], {"a": 1}, "\x00"):
        options = json.dumps({"month": month})
        before = counts()
        for kind in ("pdf", "html"):
            answer = session.get(
                odoo_server.url(f"/report/{kind}/{report}/{unit_id}"),
                params={"options": options},
                timeout=120,
            )
            assert answer.status_code == 400, (kind, month, answer.status_code)
            # zz_manager reads Chinese
            assert "不是有效的月份" in answer.text, (kind, month)
        reply = session.post(
            odoo_server.url("/web/dataset/call_kw"),
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": "shouwen.unit",
                    "method": "action_export_monthly_xlsx",
                    "args": [[unit_id]],
                    "kwargs": {"context": {"shouwen_month": month}},
                },
            },
            timeout=120,
        ).json()
        assert reply["error"]["data"]["name"] == "odoo.exceptions.UserError", reply
        assert counts() == before, month
    # a month is a month
    answer = session.get(
        odoo_server.url(f"/report/html/{report}/{unit_id}"),
        params={"options": json.dumps({"month": "2026-10"})},
        timeout=120,
    )
    assert answer.status_code == 200
    assert "2026-10" in answer.text
