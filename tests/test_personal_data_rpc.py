"""Customers' personal data over the wire (PIPL): every read path a client
can call gives the phone and ID numbers masked exactly where ``read`` masks
them, for every demo role at every level — the matters' own, the group
complaints' representatives', the customers' contacts' — and the clear
values never leave the server otherwise.  Each clear view is recorded once
(查询留痕), masked ones never, also when Odoo serves the read on a read-only
database connection (a replica).

The expected values are what the ORM's ``read`` gives the same user in this
process (``orm``); the RPC side calls each path for real with ``odoorpc``."""

import os
import time
from collections import Counter

import pytest

from conftest import DEMO_LOGINS, running_server

MATTER = "shouwen.matter"
REPRESENTATIVE = "shouwen.complaint.representative"
PERSONAL = ("customer_phone", "customer_id_number")
#: matters checked per login: with a phone, with an ID number, the customer's
PER_LOGIN = 12
#: the staff and inspectors (a customer reads no field of a matter but its
#: status: test_online, test_public_http_matrix)
STAFF_LOGINS = [login for login in DEMO_LOGINS if login != "hn_customer"]


@pytest.fixture(scope="module")
def subjects(orm):
    """The demo matters whose customer data is checked (as the superuser):
    spread over those with a phone or an ID number, with their clear values;
    a customer contact with a phone on one of them; the representatives."""

    def pick(env):
        Matter = env[MATTER].sudo().with_context(active_test=False)
        matters = Matter.search(
            ["|", ("customer_phone", "!=", False), ("customer_id_number", "!=", False)]
        )
        step = max(1, len(matters) // PER_LOGIN)
        chosen = matters.sorted("id")[::step][:PER_LOGIN]
        with_id = Matter.search([("customer_id_number", "!=", False)], limit=2)
        partner_matter = Matter.search([("partner_id", "!=", False)], limit=1)
        chosen |= with_id | partner_matter
        # and for each login a matter of their own (read in clear)
        for login in STAFF_LOGINS:
            user = env["res.users"].search([("login", "=", login)])
            chosen |= Matter.search(
                [
                    ("first_responsible_id", "=", user.id),
                    ("customer_phone", "!=", False),
                ],
                limit=1,
            )
        partner_matter.partner_id.phone = "13977778888"
        reps = env[REPRESENTATIVE].sudo().search([])
        return {
            "matters": chosen.ids,
            "clear": {m.id: {f: m[f] for f in PERSONAL} for m in chosen},
            "logs": [m.log_ids[:1].id for m in chosen],
            "partner_matter": partner_matter.id,
            "representatives": reps.ids,
            "rep_clear": {r.id: r.phone for r in reps},
        }

    return orm("admin", pick, commit=True)


def _expected(env, subjects):
    Matter = env[MATTER]
    matters = Matter.browse(subjects["matters"])._filtered_access("read")
    values = {
        row["id"]: {f: row[f] for f in PERSONAL} for row in matters.read(list(PERSONAL))
    }
    reps = (
        env[REPRESENTATIVE].browse(subjects["representatives"])._filtered_access("read")
    )
    partner = Matter.browse(subjects["partner_matter"])
    try:
        partner_phone = partner.partner_id.phone if partner.has_access("read") else None
    except Exception:  # the contact is not theirs to read
        partner_phone = "refused"
    return {
        "matters": values,
        "reps": {row["id"]: row["phone"] for row in reps.read(["phone"])},
        "partner_phone": partner_phone,
    }


def _leaks(answer, clear_values):
    text = repr(answer)
    return sorted(value for value in clear_values if value and value in text)


@pytest.mark.parametrize("login", STAFF_LOGINS)
def test_every_read_path_masks_what_read_masks(odoo_server, orm, subjects, login):
    import odoorpc

    expected = orm(login, lambda env: _expected(env, subjects))
    client = odoo_server.login(login, login)

    def call(model, method, *args, **kwargs):
        try:
            return client.execute_kw(model, method, list(args), kwargs)
        except odoorpc.error.RPCError:
            return "refused"

    ids = sorted(expected["matters"])
    clear = subjects["clear"]
    hidden = {  # the clear values this user must not get
        value
        for id_ in ids
        for fname in PERSONAL
        if (value := clear[id_][fname]) and expected["matters"][id_][fname] != value
    }
    shown = {id_: expected["matters"][id_] for id_ in ids}
    exported = call(MATTER, "export_data", ids, list(PERSONAL))
    by_id = lambda rows: {row["id"]: {f: row[f] for f in PERSONAL} for row in rows}  # noqa: E731
    paths = {
        "read": by_id(call(MATTER, "read", ids, list(PERSONAL))),
        "search_read": by_id(
            call(MATTER, "search_read", [("id", "in", ids)], list(PERSONAL))
        ),
        "web_read": by_id(call(MATTER, "web_read", ids, {f: {} for f in PERSONAL})),
        "web_search_read": by_id(
            call(
                MATTER,
                "web_search_read",
                [("id", "in", ids)],
                {f: {} for f in PERSONAL},
            )["records"]
        ),
        "mapped": {
            id_: {f: call(MATTER, "mapped", [id_], f)[0] for f in PERSONAL}
            for id_ in ids
        },
        "export_data": {
            id_: {f: value or False for f, value in zip(PERSONAL, row, strict=True)}
            for id_, row in zip(ids, exported["datas"], strict=True)
        }
        if exported != "refused"  # export is a right of its own
        else shown,
        "onchange": {
            id_: {
                f: call(
                    MATTER,
                    "onchange",
                    [id_],
                    {"subject": "x"},
                    ["subject"],
                    {f: {} for f in PERSONAL},
                )
                .get("value", {})
                .get(f, shown[id_][f])
                for f in PERSONAL
            }
            for id_ in ids
        },
    }
    for path, got in paths.items():
        assert {k: v for k, v in got.items()} == shown, f"{login} {path}"
    # related paths through another model: the log lines of those matters
    log_ids = [
        log_id
        for log_id, id_ in zip(subjects["logs"], subjects["matters"], strict=True)
        if id_ in shown
    ]
    related = {
        "log web_read": call(
            "shouwen.matter.log",
            "web_read",
            log_ids,
            {"matter_id": {"fields": {f: {} for f in PERSONAL}}},
        ),
        "log mapped": call(
            "shouwen.matter.log", "mapped", log_ids, "matter_id.customer_phone"
        ),
        "log export": call(
            "shouwen.matter.log", "export_data", log_ids, ["matter_id/customer_phone"]
        ),
        "export": exported,
    }
    # answers that must never carry a hidden value, whatever they are
    probes = {
        **related,
        "copy_data": call(MATTER, "copy_data", ids),
        "filtered_domain": [
            call(MATTER, "filtered_domain", ids, [("customer_phone", "=", value)])
            for value in hidden
        ],
        "read_group": call(
            MATTER,
            "read_group",
            [("id", "in", ids)],
            ["customer_phone:count_distinct"],
            [],
        ),
        "group by phone": call(
            MATTER, "read_group", [("id", "in", ids)], ["id:count"], ["customer_phone"]
        ),
        "name_search": [call(MATTER, "name_search", value) for value in hidden],
        "clear mapped": call(MATTER, "mapped", ids, "customer_phone_clear"),
        "clear read": call(MATTER, "read", ids, ["customer_id_number_clear"]),
        "clear search": call(
            MATTER, "search", [("customer_phone_clear", "=", "13800000000")]
        ),
        "clear nested": call(
            "shouwen.matter.log",
            "web_read",
            log_ids,
            {"matter_id": {"fields": {"customer_phone_clear": {}}}},
        ),
    }
    for name, answer in probes.items():
        assert not _leaks(answer, hidden), f"{login} {name} leaks"
    for name in ("clear mapped", "clear read", "clear search", "clear nested"):
        assert probes[name] == "refused", f"{login} {name}"
    # a search by a hidden value finds nothing
    for value in hidden:
        assert call(MATTER, "search", [("customer_phone", "=", value)]) in (
            [],
            "refused",
        )

    # representatives of group complaints: the same rule
    rep_ids = sorted(expected["reps"])
    reps = {
        row["id"]: row["phone"]
        for row in call(REPRESENTATIVE, "read", rep_ids, ["phone"])
    }
    assert reps == expected["reps"], login
    rep_mapped = {
        id_: call(REPRESENTATIVE, "mapped", [id_], "phone")[0] for id_ in rep_ids
    }
    assert rep_mapped == expected["reps"], login
    rep_clear = subjects["rep_clear"]
    for id_ in rep_ids:
        value = rep_clear[id_]
        if expected["reps"][id_] != value:
            assert call(REPRESENTATIVE, "search", [("phone", "=", value)]) in (
                [],
                "refused",
            )
            assert call(REPRESENTATIVE, "mapped", [id_], "phone_clear") == "refused"

    # the customer's contact: read only by those who handle the matter
    if expected["partner_phone"] != "13977778888":
        answer = call(
            MATTER, "mapped", [subjects["partner_matter"]], "partner_id.phone"
        )
        assert not _leaks(answer, {"13977778888"}), login
        answer = call(
            MATTER,
            "web_read",
            [subjects["partner_matter"]],
            {"partner_id": {"fields": {"phone": {}, "email": {}}}},
        )
        assert not _leaks(answer, {"13977778888"}), login


def _views(orm, matter_ids):
    def read(env):
        rows = (
            env["shouwen.personal.view"]
            .sudo()
            .search_read(
                [("matter_id", "in", matter_ids)],
                ["user_id", "matter_id", "field", "channel", "method"],
            )
        )
        return sorted(
            (r["user_id"][1], r["matter_id"][0], r["field"], r["channel"], r["method"])
            for r in rows
        )

    return orm("admin", read)


@pytest.mark.parametrize("login", DEMO_LOGINS)
def test_a_matter_out_of_reach_gives_not_even_a_masked_value(
    odoo_server, orm, subjects, login
):
    """``mapped`` reaches a computed field without Odoo's record access
    check: on the matters and representatives a user may not read, the
    personal fields hold nothing — not the masked value either (its first
    and last digits are the customer's)."""
    import odoorpc

    def out_of_reach(env):
        matters = env[MATTER].browse(subjects["matters"])
        reps = env[REPRESENTATIVE].browse(subjects["representatives"])
        return {
            "matters": (matters - matters._filtered_access("read")).ids,
            "reps": (reps - reps._filtered_access("read")).ids,
        }

    hidden = orm(login, out_of_reach)
    client = odoo_server.login(login, login)

    def mapped(model, id_, fname):
        try:
            return client.execute_kw(model, "mapped", [[id_], fname])
        except odoorpc.error.RPCError:
            return "refused"

    answers = {
        (id_, fname): mapped(MATTER, id_, fname)
        for id_ in hidden["matters"]
        for fname in PERSONAL
    } | {(id_, "phone"): mapped(REPRESENTATIVE, id_, "phone") for id_ in hidden["reps"]}
    leaked = {
        key: value
        for key, value in answers.items()
        if value not in ([], [False], "refused")
    }
    assert not leaked, (login, leaked)


def _a_matter_of(orm, login):
    """A matter with a phone and an ID number that ``login`` handles."""

    def pick(env):
        user = env.user
        matter = (
            env[MATTER]
            .sudo()
            .search(
                [
                    ("first_responsible_id", "=", user.id),
                    ("customer_phone", "!=", False),
                ],
                limit=1,
            )
        )
        if not matter.customer_id_number:
            matter.customer_id_number = "410102199003071230"
        return matter.id

    return orm(login, pick, commit=True)


def test_each_clear_view_is_recorded_once_and_masked_ones_never(odoo_server, orm):
    import odoorpc

    matter_id = _a_matter_of(orm, "zz01_staff1")
    before = Counter(_views(orm, [matter_id]))
    staff = odoo_server.login("zz01_staff1", "zz01_staff1")
    staff.execute_kw(MATTER, "read", [[matter_id], list(PERSONAL)], {})
    staff.execute_kw(MATTER, "read", [[matter_id], ["customer_phone"]], {})
    inspector = odoo_server.login("hn_inspector", "hn_inspector")
    inspector.execute_kw(MATTER, "read", [[matter_id], list(PERSONAL)], {})
    inspector.execute_kw(MATTER, "mapped", [[matter_id], "customer_phone"], {})
    new = sorted((Counter(_views(orm, [matter_id])) - before).elements())
    # one view per request and value shown; none of the masked reads
    assert [(row[2], row[3], row[4]) for row in new] == [
        ("customer_id_number", "rpc", "read"),
        ("customer_phone", "rpc", "read"),
        ("customer_phone", "rpc", "read"),
    ], new
    # nobody changes or deletes the record, the province included
    manager = odoo_server.login("hn_manager", "hn_manager")
    view_ids = manager.execute_kw(
        "shouwen.personal.view", "search", [[("matter_id", "=", matter_id)]], {}
    )
    assert view_ids
    for method, args in (
        ("write", [view_ids, {"user_id": manager.env.uid}]),
        ("unlink", [view_ids]),
        ("create", [{"matter_id": matter_id, "user_id": manager.env.uid}]),
    ):
        with pytest.raises(odoorpc.error.RPCError):
            manager.execute_kw("shouwen.personal.view", method, args, {})
    assert Counter(_views(orm, [matter_id])) == before + Counter(new)


@pytest.fixture(scope="module")
def replica_server(odoo_server):
    """A second server on the same database that serves Odoo's read-only
    routes on a read-only connection (``db_replica_host``: the same
    PostgreSQL, as a replica would be; a real streaming replica:
    test_replica.py)."""
    host = os.environ.get("PGHOST") or "127.0.0.1"
    with running_server(
        odoo_server.conf,
        odoo_server.db,
        "pytest-odoo-replica.log",
        f"--db_replica_host={host}",
        f"--db_replica_port={os.environ.get('PGPORT') or 5432}",
    ) as server:
        yield server


def test_a_read_on_the_replica_shows_the_value_and_records_the_view(
    replica_server, orm
):
    """The web client's reads are read-only routes: on a replica they run on
    a read-only connection.  The clear value is shown, the view recorded
    afterwards on the primary, and Odoo never had to retry the read on a
    read/write cursor (which it does when a read writes)."""
    import requests

    matter_id = _a_matter_of(orm, "zz01_staff1")
    before = len(_views(orm, [matter_id]))
    session = requests.Session()
    response = session.post(
        replica_server.url("/web/session/authenticate"),
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "db": replica_server.db,
                "login": "zz01_staff1",
                "password": "zz01_staff1",
            },
        },
        timeout=60,
    )
    response.raise_for_status()
    response = session.post(
        replica_server.url(f"/web/dataset/call_kw/{MATTER}/web_read"),
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": MATTER,
                "method": "web_read",
                "args": [[matter_id]],
                "kwargs": {"specification": {f: {} for f in PERSONAL}},
            },
        },
        timeout=60,
    )
    result = response.json()["result"][0]
    assert "*" not in result["customer_phone"]
    for _ in range(20):  # written right after the answer
        if len(_views(orm, [matter_id])) == before + 2:
            break
        time.sleep(0.2)
    rows = _views(orm, [matter_id])
    assert len(rows) == before + 2, rows
    assert ("web", "web_read") in {(row[3], row[4]) for row in rows}
    log = replica_server.log_tail(200_000)
    assert "retrying with a read/write cursor" not in log
    assert "Could not record" not in log
