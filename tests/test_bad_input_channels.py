"""Bad input over the wire (issue 8): the catalogue of the addon's own tests
(``test_bad_input``, in the ORM) sent again the way real clients send it —
JSON-RPC as a staff member and as a customer, the mail gateway over XML-RPC as
odoo-mailgate delivers letters, the public form as a browser posts it, the
phone API as the call-centre software calls it — against the running server.
Each is refused with a clear message in Chinese and in English (the public
form speaks Chinese to customers) and changes nothing: no matter, log line,
message or attachment is added and the matter it aimed at is as it was.

With ``SHOUWEN_CATALOGUE_FILE`` set, each row ``| channel | bad input | 中文
| English |`` is appended to that file (for the documentation)."""

import os
import re
from datetime import datetime, timedelta

import pytest

from conftest import online_limits

CJK = re.compile(r"[\u4e00-\u9fff]")
STAFF = "zz01_staff1"
CUSTOMER = "hn_customer"
API = "/shouwen/api/v1"
VALID = {
    "subject": "车险理赔进度查询",
    "description": "客户询问理赔款何时到账",
    "channel": "counter",
    "kind": "consult",
    "business_domain": "claims",
    "customer_type": "external",
    "customer_name": "张三",
    "customer_phone": "13812345678",
}
#: what must not change when bad input is refused
COUNTED = ("shouwen.matter", "shouwen.matter.log", "mail.message", "ir.attachment")


@pytest.fixture(scope="module")
def catalogue():
    rows = []
    yield rows
    path = os.environ.get("SHOUWEN_CATALOGUE_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            for row in rows:
                out.write("| " + " | ".join(" ".join(c.split()) for c in row) + " |\n")


@pytest.fixture(scope="module")
def matter(odoo_server):
    """A matter the staff member registered and is handling, over RPC."""
    client = odoo_server.login(STAFF, STAFF)
    matter_id = client.execute("shouwen.matter", "create", [VALID])[0]
    client.execute("shouwen.matter", "action_handle", [matter_id])
    return matter_id


def _snapshot(orm, matter_id):
    def read(env):
        record = env["shouwen.matter"].sudo().browse(matter_id)
        return record.read(["state", "write_date", "closure_deadline", "priority"])

    return orm("admin", read)


def _refused(catalogue, channel, label, zh, en):
    """A refusal's messages: clear, Chinese in Chinese, English in English."""
    assert zh.strip() and CJK.search(zh), (label, zh)
    if en is not None:
        assert en.strip() and not CJK.search(_latin(en)), (label, en)
    catalogue.append((channel, label, zh, en if en is not None else "—"))


def _latin(text):
    """The message without the values quoted in it."""
    return re.sub(r"“[^”]*”|\"[^\"]*\"|\([^)]*\)|\[[^\]]*\]|[A-Z]{2}\d*-\S+", "", text)


# ----------------------------------------------------------------------
# JSON-RPC, as the web client and any script send it
# ----------------------------------------------------------------------


def _rpc_cases(matter_id, customer_unit):
    future = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    past = (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    matter = "shouwen.matter"
    return [
        (
            "no way to reach the customer (create)",
            STAFF,
            (matter, "create", [[dict(VALID, customer_phone=False)]]),
        ),
        (
            "a malformed phone number (create)",
            STAFF,
            (matter, "create", [[dict(VALID, customer_phone="12345")]]),
        ),
        (
            "an ID number with a wrong check digit (create)",
            STAFF,
            (
                matter,
                "create",
                [[dict(VALID, customer_id_number="410102199003071231")]],
            ),
        ),
        (
            "a registration dated in the future (create)",
            STAFF,
            (matter, "create", [[dict(VALID, registered_date=future)]]),
        ),
        (
            "a deadline set at registration, before it (create)",
            STAFF,
            (matter, "create", [[dict(VALID, closure_deadline=past)]]),
        ),
        (
            "an unknown channel (create)",
            STAFF,
            (matter, "create", [[dict(VALID, channel="fax")]]),
        ),
        (
            "a unit outside the staff member's own (create)",
            STAFF,
            (matter, "create", [[dict(VALID, unit_id=customer_unit)]]),
        ),
        (
            "a customer registering a matter over RPC",
            CUSTOMER,
            (matter, "create", [[VALID]]),
        ),
        (
            "a direct change of the state (write)",
            STAFF,
            (matter, "write", [[matter_id], {"state": "closed"}]),
        ),
        (
            "an unknown priority (write)",
            STAFF,
            (matter, "write", [[matter_id], {"priority": "9"}]),
        ),
        (
            "a deadline moved by hand (write)",
            STAFF,
            (matter, "write", [[matter_id], {"closure_deadline": future}]),
        ),
        (
            "a deletion of a matter (unlink)",
            STAFF,
            (matter, "unlink", [[matter_id]]),
        ),
        (
            "a guide to oneself (button)",
            STAFF,
            (matter, "guide", [[matter_id], "__self__"]),
        ),
        (
            "an answer without a result (button)",
            STAFF,
            (matter, "answer", [[matter_id], " ", "phone"]),
        ),
        (
            "an extension beyond the cap (button)",
            STAFF,
            (
                matter,
                "request_extension",
                [
                    [matter_id],
                    (datetime.now() + timedelta(days=365)).strftime(
                        "%Y-%m-%d %H:%M:%S"
                    ),
                    "等待材料",
                ],
            ),
        ),
    ]


def test_bad_input_over_json_rpc_is_refused_in_both_languages(
    odoo_server, orm, counts, matter, catalogue
):
    import odoorpc

    def ids(env):
        users = env["res.users"].search([("login", "in", [STAFF, CUSTOMER])])
        by_login = {user.login: user for user in users}
        other = env["shouwen.unit"].search(
            [("id", "!=", by_login[STAFF].shouwen_unit_id.id), ("code", "=", "NY02")]
        )
        return by_login[STAFF].id, other.id

    staff_id, other_unit = orm("admin", ids)
    clients = {login: odoo_server.login(login, login) for login in (STAFF, CUSTOMER)}
    for label, login, (model, method, args) in _rpc_cases(matter, other_unit):
        args = [staff_id if arg == "__self__" else arg for arg in args]
        before = counts(), _snapshot(orm, matter)
        messages = {}
        for lang in ("zh_CN", "en_US"):
            with pytest.raises(odoorpc.error.RPCError) as refusal:
                clients[login].execute_kw(
                    model, method, args, {"context": {"lang": lang}}
                )
            data = refusal.value.info["data"]
            messages[lang] = data["message"]
            assert data["name"].startswith("odoo.exceptions."), (label, data)
        assert (counts(), _snapshot(orm, matter)) == before, label
        _refused(catalogue, "JSON-RPC", label, messages["zh_CN"], messages["en_US"])


# ----------------------------------------------------------------------
# the phone API
# ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_key(orm):
    def key(env):
        return env["res.users.apikeys"]._generate(
            "rpc", "bad input", datetime.now() + timedelta(hours=1)
        )

    return orm(STAFF, key, commit=True)


def _api_cases(key, matter_id, customer_key):
    auth = {"Authorization": f"Bearer {key}"}
    json_auth = dict(auth, **{"Content-Type": "application/json"})
    body = {"subject": "来电咨询", "customer_name": "王女士"}
    return [
        ("no API key", "POST", "/matters", {"json": body}),
        (
            "a wrong API key",
            "POST",
            "/matters",
            {"json": body, "headers": {"Authorization": "Bearer 0123456789abcdef"}},
        ),
        (
            "a customer's API key",
            "POST",
            "/matters",
            {"json": body, "headers": {"Authorization": f"Bearer {customer_key}"}},
        ),
        (
            "a body that is not JSON",
            "POST",
            "/matters",
            {"data": "{subject: 来电", "headers": json_auth},
        ),
        (
            "a body sent as a form",
            "POST",
            "/matters",
            {"data": body, "headers": auth},
        ),
        (
            "a JSON list instead of an object",
            "POST",
            "/matters",
            {"json": [body], "headers": auth},
        ),
        (
            "an unknown field",
            "POST",
            "/matters",
            {"json": dict(body, state="closed"), "headers": auth},
        ),
        (
            "a number where text is expected",
            "POST",
            "/matters",
            {"json": dict(body, subject=42), "headers": auth},
        ),
        (
            "a missing customer name",
            "POST",
            "/matters",
            {"json": {"subject": "来电咨询"}, "headers": auth},
        ),
        (
            "an unknown kind",
            "POST",
            "/matters",
            {"json": dict(body, kind="gossip"), "headers": auth},
        ),
        (
            "a malformed phone number (model's rule)",
            "POST",
            "/matters",
            {"json": dict(body, customer_phone="12345"), "headers": auth},
        ),
        (
            "a body over 64 KB",
            "POST",
            "/matters",
            {"json": dict(body, description="长" * 40000), "headers": auth},
        ),
        (
            "a lookup with a malformed phone",
            "GET",
            "/matters",
            {"params": {"phone": "12345"}, "headers": auth},
        ),
        (
            "a lookup with an unknown parameter",
            "GET",
            "/matters",
            {"params": {"phone": "13812345678", "name": "张三"}, "headers": auth},
        ),
        (
            "a note on a matter that does not exist",
            "POST",
            "/matters/999999999/notes",
            {"json": {"note": "已回电"}, "headers": auth},
        ),
        (
            "an empty note",
            "POST",
            f"/matters/{matter_id}/notes",
            {"json": {"note": "  "}, "headers": auth},
        ),
        ("a wrong method", "DELETE", f"/matters/{matter_id}/notes", {"headers": auth}),
        ("an unknown endpoint", "GET", "/customers", {"headers": auth}),
    ]


def test_bad_input_to_the_phone_api_is_refused_in_both_languages(
    odoo_server, orm, counts, matter, api_key, catalogue
):
    import requests

    def customer_key(env):
        return env["res.users.apikeys"]._generate(
            "rpc", "bad input", datetime.now() + timedelta(hours=1)
        )

    other_key = orm(CUSTOMER, customer_key, commit=True)
    for label, method, path, kwargs in _api_cases(api_key, matter, other_key):
        before = counts(), _snapshot(orm, matter)
        answer = requests.request(
            method, odoo_server.url(API + path), timeout=60, **kwargs
        )
        assert 400 <= answer.status_code < 500, (label, answer.status_code)
        error = answer.json()["error"]
        assert error["code"], label
        zh, _sep, en = error["message"].partition(" / ")
        assert en, (label, error["message"])
        assert (counts(), _snapshot(orm, matter)) == before, label
        _refused(
            catalogue,
            f"phone API ({answer.status_code} {error['code']})",
            label,
            zh,
            en,
        )


# ----------------------------------------------------------------------
# the public form, as a browser posts it
# ----------------------------------------------------------------------


def _form_cases():
    good = {
        "customer_name": "李四",
        "customer_phone": "13912345678",
        "kind": "complaint",
        "description": "理赔员三次约定上门查勘均未到场。",
        "customer_request": "请尽快安排查勘。",
    }
    photo = ("attachments", ("照片.jpg", b"jpg", "image/jpeg"))
    return [
        ("a missing name", dict(good, customer_name=" "), None),
        ("a malformed phone number", dict(good, customer_phone="12345"), None),
        ("a policy number with markup", dict(good, policy_number="PD<01>"), None),
        ("a kind the form does not offer", dict(good, kind="business"), None),
        ("a unit that is not offered", dict(good, unit_id="999999"), None),
        (
            "a description over 2,000 characters",
            dict(good, description="长" * 2001),
            None,
        ),
        ("too many attachments", good, [photo] * 6),
        (
            "an attachment over the size limit",
            good,
            [("attachments", ("大.pdf", b"x" * (11 * 1024 * 1024), "application/pdf"))],
        ),
        (
            "an HTML page as an attachment",
            good,
            [("attachments", ("page.html", b"<script>alert(1)</script>", "text/html"))],
        ),
        ("an empty attachment", good, [("attachments", ("空.txt", b"", "text/plain"))]),
        ("a post without the form's CSRF token", good, "no-csrf"),
    ]


@pytest.fixture
def generous_rate_limit(orm):
    """The form's rate limit raised for the catalogue's dozen posts from one
    address (its own tests are in test_online), then put back."""
    with online_limits(orm, ip="1000", phone="1000"):
        yield


def test_bad_input_to_the_public_form_is_refused_in_chinese(
    odoo_server, orm, counts, catalogue, generous_rate_limit
):
    import requests

    visitor = requests.Session()
    page = visitor.get(odoo_server.url("/shouwen/online"), timeout=60)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for label, form, files in _form_cases():
        before = counts()
        data = dict(form)
        if files != "no-csrf":
            data["csrf_token"] = token
        answer = visitor.post(
            odoo_server.url("/shouwen/online"),
            data=data,
            files=files if isinstance(files, list) else None,
            timeout=60,
        )
        assert answer.status_code == 400, (label, answer.status_code)
        assert counts() == before, label
        errors = re.findall(
            r'class="(?:invalid-feedback|alert alert-danger)[^"]*"[^>]*>\s*([^<]+)<',
            answer.text,
        )
        assert errors, (label, answer.text[-2000:])
        _refused(catalogue, "public form (400)", label, "；".join(errors), None)
        # what the customer typed is kept, escaped
        if "<" in form.get("policy_number", ""):
            assert "PD&lt;01&gt;" in answer.text


# ----------------------------------------------------------------------
# the mail gateway, as odoo-mailgate delivers letters over XML-RPC
# ----------------------------------------------------------------------

LETTER = """Return-Path: <bounces@relay.example.com>
To: {to}
From: {sender}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Message-ID: <{msg_id}@customer.example.com>

我的车险理赔款至今未到账，请尽快处理。
"""


@pytest.fixture(scope="module")
def letter_address(orm):
    """The letter address of a county unit (the demo has none configured)."""

    def configure(env):
        env = env(su=True)
        company = env.company
        if not company.alias_domain_id:
            company.alias_domain_id = env["mail.alias.domain"].create(
                {"name": "letters.example.com"}
            )
        unit = env["shouwen.unit"].search([("code", "=", "ZZ01")])
        if not unit.alias_name:
            unit.alias_name = "zz01-letters"
        return unit.alias_email

    return orm("admin", configure, commit=True)


def test_letters_without_a_sender_are_bounced_over_the_gateway(
    odoo_server, orm, letter_address, catalogue
):
    import xmlrpc.client

    common = xmlrpc.client.ServerProxy(odoo_server.url("/xmlrpc/2/common"))
    uid = common.authenticate(odoo_server.db, "admin", "admin", {})
    models = xmlrpc.client.ServerProxy(odoo_server.url("/xmlrpc/2/object"))

    def state(env):
        """The number of matters, and the bounces sent back so far."""
        env = env(su=True)
        bounces = env["mail.mail"].search(
            [("email_to", "ilike", "bounces@relay.example.com")], order="id"
        )
        matters = env["shouwen.matter"].with_context(active_test=False)
        return matters.search_count([]), {m.id: m.body_html for m in bounces}

    for number, sender in enumerate(("", "王五", "not an address")):
        matters, bounces = orm("admin", state)
        letter = LETTER.format(
            to=letter_address,
            sender=sender,
            subject=f"无发件地址 {number}",
            msg_id=f"bad-input-{datetime.now().timestamp()}-{number}",
        )
        models.execute_kw(
            odoo_server.db,
            uid,
            "admin",
            "mail.thread",
            "message_process",
            [False, letter],
        )
        matters_after, bounces_after = orm("admin", state)
        assert matters_after == matters, sender
        new = [body for i, body in bounces_after.items() if i not in bounces]
        assert len(new) == 1, (sender, new)
        text = " ".join(re.sub(r"<[^>]+>", " ", new[0] or "").split())
        # Odoo's bounce, in the language of the company's administrator
        assert letter_address in text, text
        zh, en = (text[:200], "—") if CJK.search(text) else ("—", text[:200])
        catalogue.append(
            (
                "mail gateway (bounced)",
                f"a letter whose From is {sender or 'empty'!r}",
                zh,
                en,
            )
        )
