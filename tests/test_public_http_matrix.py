"""The public pages and the phone API over HTTP (issue 8), driven like the RPC
access matrix: every demo role at every level logs in for real — a browser
session for the pages, the agent's API key for the phone API — and gets from
the server exactly what the ORM gives the same user: the same matters found,
the same status pages shown or refused, the same notes accepted or refused,
the same personal data masked or in clear.  An anonymous visitor sees a
matter only through its own private link.
"""

import re
import uuid
from datetime import datetime, timedelta

import pytest

#: matters checked one by one (spread over all of the demo's)
PER_PAGE = 15
#: phone numbers looked up (spread over all of the demo's)
PHONES = 12
#: a matter's number as the pages show it (HN-2026-000001, ZZ01-2026-000001)
NUMBER = re.compile(r"\b[A-Z]{2}[0-9]{0,2}-[0-9]{4}-[0-9]{6}\b")
#: the number on a status page
SHOWN = re.compile(r'class="o_shouwen_number">([^<]*)<')
#: the page for a matter that does not exist (or is not the visitor's)
NOT_FOUND = "o_shouwen_not_found"
API = "/shouwen/api/v1"
#: what the phone API answers about a matter: its key -> the field the ORM reads
API_FIELDS = {
    "id": "id",
    "number": "name",
    "subject": "subject",
    "customer_name": "customer_name",
    "customer_phone": "customer_phone",
}


@pytest.fixture(scope="module")
def matters(orm):
    """Matters spread over the demo, each with its private link's token (made
    by its first responsible's action, as a customer gets one)."""

    def spread(env):
        found = env["shouwen.matter"].sudo().with_context(active_test=False)
        found = found.search([], order="id")
        step = max(1, len(found) // PER_PAGE)
        chosen = found[::step][:PER_PAGE]
        for m in chosen:
            m.with_user(m.first_responsible_id).action_make_status_link()
        return [
            {
                "id": m.id,
                "name": m.name,
                "subject": m.subject,
                "token": m.access_token,
            }
            for m in chosen
        ]

    return orm("admin", spread, commit=True)


@pytest.fixture(scope="module")
def phones(orm):
    """Customers' phone numbers of the demo, spread over all of them."""

    def spread(env):
        env.cr.execute(
            "SELECT DISTINCT customer_phone_clear FROM shouwen_matter"
            " WHERE customer_phone_clear IS NOT NULL ORDER BY 1"
        )
        numbers = [row[0] for row in env.cr.fetchall()]
        step = max(1, len(numbers) // PHONES)
        return numbers[::step][:PHONES]

    return orm("admin", spread)


def _browser(server, login=None):
    """A ``requests`` session, logged in as ``login`` (the demo password is
    the login) or anonymous."""
    import requests

    session = requests.Session()
    if login:
        response = session.post(
            server.url("/web/session/authenticate"),
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": server.db, "login": login, "password": login},
            },
            timeout=60,
        )
        response.raise_for_status()
        assert response.json().get("result", {}).get("uid"), response.text
    return session


def _status(session, server, number, token=None):
    params = {"access_token": token} if token is not None else {}
    return session.get(
        server.url(f"/shouwen/status/{number}"), params=params, timeout=60
    )


def _assert_not_found(page, matter):
    """The page for no such matter, with nothing of this one on it."""
    assert page.status_code == 404, matter["name"]
    assert NOT_FOUND in page.text
    assert not SHOWN.findall(page.text)
    assert matter["subject"] not in page.text


def test_an_anonymous_visitor_sees_a_matter_only_through_its_own_link(
    odoo_server, matters
):
    visitor = _browser(odoo_server)
    for matter, other in zip(matters, matters[1:] + matters[:1], strict=True):
        number = matter["name"]
        page = _status(visitor, odoo_server, number, matter["token"])
        assert page.status_code == 200, number
        assert SHOWN.findall(page.text) == [number]
        # nothing without the token, with another matter's token, or with a
        # token that is almost right: the same page as for no such matter
        for token in (None, "", other["token"], matter["token"][:-1] + "0"):
            if token == matter["token"]:
                continue
            page = _status(visitor, odoo_server, number, token)
            _assert_not_found(page, matter)
    page = _status(visitor, odoo_server, "HN-1999-000001", matters[0]["token"])
    assert page.status_code == 404
    assert NOT_FOUND in page.text
    # the customers' portal is for logged-in customers only
    page = visitor.get(
        odoo_server.url("/my/shouwen"), allow_redirects=False, timeout=60
    )
    assert page.status_code in (302, 303)
    assert "/web/login" in page.headers["Location"]


def test_the_status_pages_a_role_sees_are_the_matters_the_orm_lets_it_read(
    odoo_server, orm, matters, demo_login
):
    ids = [matter["id"] for matter in matters]
    readable = set(
        orm(
            demo_login,
            lambda env: [
                i for i in ids if orm.allowed(env, env["shouwen.matter"].browse(i).read)
            ],
        )
    )
    session = _browser(odoo_server, demo_login)
    shown = set()
    for matter in matters:
        page = _status(session, odoo_server, matter["name"])
        assert page.status_code in (200, 404), (demo_login, matter["name"])
        if page.status_code == 200:
            assert SHOWN.findall(page.text) == [matter["name"]]
            shown.add(matter["id"])
        else:
            _assert_not_found(page, matter)
    assert shown == readable, f"{demo_login}: pages {shown} != ORM {readable}"


def test_the_portal_lists_the_matters_the_orm_finds_for_the_customer(
    odoo_server, orm, demo_login
):
    def own(env):
        Matter = env["shouwen.matter"]
        if not Matter.has_access("read"):
            return set()
        domain = [("partner_id", "=", env.user.partner_id.id)]
        return set(Matter.search(domain).mapped("name"))

    expected = orm(demo_login, own)
    page = _browser(odoo_server, demo_login).get(
        odoo_server.url("/my/shouwen"), timeout=60
    )
    assert page.status_code == 200
    assert set(NUMBER.findall(page.text)) == expected, demo_login
    if demo_login == "hn_customer":
        assert expected, "the demo customer has matters of their own"


@pytest.fixture
def api_key(orm, demo_login):
    """An API key of the demo login, valid for an hour."""

    def key(env):
        return env["res.users.apikeys"]._generate(
            "rpc", "access matrix", datetime.now() + timedelta(hours=1)
        )

    return orm(demo_login, key, commit=True)


def _api(server, key, method, path, **kwargs):
    import requests

    return requests.request(
        method,
        server.url(API + path),
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
        **kwargs,
    )


def _is_staff(env):
    return env.user.has_group("shouwen_responsibility.group_shouwen_staff")


def test_phone_lookups_give_each_agent_what_the_orm_finds(
    odoo_server, orm, api_key, phones, demo_login
):
    def lookups(env):
        if not _is_staff(env):
            return None
        Matter = env["shouwen.matter"]
        return {
            phone: Matter.search(
                [("customer_phone", "=", phone), ("is_open", "=", True)], limit=100
            ).read(list(API_FIELDS.values()))
            for phone in phones
        }

    expected = orm(demo_login, lookups)
    for phone in phones:
        answer = _api(
            odoo_server,
            api_key,
            "GET",
            "/matters",
            params={"phone": phone, "limit": 100},
        )
        if expected is None:
            assert answer.status_code == 403, (demo_login, answer.text)
            assert answer.json()["error"]["code"] == "not_staff"
            continue
        assert answer.status_code == 200, (demo_login, phone, answer.text)
        got = [
            {key: row[key] or None for key in API_FIELDS}
            for row in answer.json()["matters"]
        ]
        want = [
            {key: row[fname] or None for key, fname in API_FIELDS.items()}
            for row in expected[phone]
        ]
        assert sorted(got, key=str) == sorted(want, key=str), (demo_login, phone)


def test_notes_over_the_phone_api_are_accepted_exactly_where_the_orm_accepts_them(
    odoo_server, orm, api_key, matters, demo_login
):
    text = f"access matrix note by {demo_login} ({uuid.uuid4()})"

    def outcomes(env):
        if not _is_staff(env):
            return None
        result = {}
        for matter in matters:
            record = env["shouwen.matter"].browse(matter["id"])
            if not orm.allowed(env, record.read):
                result[matter["id"]] = 404
            elif orm.allowed(env, lambda record=record: record.message_post(body=text)):
                result[matter["id"]] = 201
            else:
                result[matter["id"]] = 403
        return result

    expected = orm(demo_login, outcomes)
    for matter in matters:
        answer = _api(
            odoo_server,
            api_key,
            "POST",
            f"/matters/{matter['id']}/notes",
            json={"note": text},
        )
        if expected is None:
            assert answer.status_code == 403, (demo_login, answer.text)
            continue
        want = expected[matter["id"]]
        assert answer.status_code == want, (demo_login, matter["name"], answer.text)
        if want == 201:
            assert answer.json()["matter_id"] == matter["id"]

    def posted(env):
        messages = env["mail.message"].search(
            [
                ("model", "=", "shouwen.matter"),
                ("author_id", "=", env.user.partner_id.id),
                ("body", "ilike", text),
            ]
        )
        return sorted(set(messages.mapped("res_id")))

    # exactly the accepted notes were written, each once, by the agent
    accepted = sorted(i for i, status in (expected or {}).items() if status == 201)
    assert orm(demo_login, lambda env: posted(env(su=True))) == accepted


def test_registering_over_the_phone_api_is_allowed_exactly_where_the_orm_allows_it(
    odoo_server, orm, api_key, demo_login
):
    values = {
        "subject": f"来电咨询 {demo_login}",
        "customer_name": "王女士",
        "customer_phone": "13812345678",
    }

    def may_register(env):
        if not _is_staff(env):
            return None
        return orm.allowed(
            env,
            lambda: env["shouwen.matter"].create(
                [dict(values, channel="phone", priority="0")]
            ),
        )

    expected = orm(demo_login, may_register)
    answer = _api(odoo_server, api_key, "POST", "/matters", json=values)
    if expected is None:
        assert answer.status_code == 403, (demo_login, answer.text)
        return
    assert answer.status_code == (201 if expected else 403), (demo_login, answer.text)
    if expected:
        number = answer.json()["number"]

        def registered(env):
            matter = env["shouwen.matter"].sudo().search([("name", "=", number)])
            return matter.channel, matter.first_receiver_id.login

        assert orm("admin", registered) == ("phone", demo_login)
