"""The tamper-evident responsibility log through a real server (issue 18):
the inspector verifies the trail over JSON-RPC; a line changed in the
database behind the application's back is found; PostgreSQL refuses plain
UPDATE and DELETE of the log; two transactions appending to the same matter
at once do not fork its chain."""

import threading
import time

import pytest

LOG = "shouwen.matter.log"
VERIFY = "shouwen.trail.verify"


def _verify(client, **values):
    """Run *Verify the trail* as the client's user; its report."""
    env = client.env
    verification = env[VERIFY].create(values)
    env[VERIFY].browse(verification).action_verify()
    report = env[VERIFY].read(
        [verification],
        [
            "line_count",
            "matter_count",
            "broken_count",
            "keyed",
            "fingerprint",
            "last_line_id",
            "issue_ids",
        ],
    )[0]
    report["issues"] = env["shouwen.trail.verify.issue"].read(
        report["issue_ids"], ["matter_id", "line_number", "problem"]
    )
    return report


@pytest.fixture(scope="module")
def inspector(odoo_server):
    return odoo_server.login("hn_inspector", "hn_inspector")


def test_the_inspector_verifies_the_whole_demo_trail_over_rpc(inspector, orm):
    report = _verify(inspector, scope="all")
    lines = orm("hn_inspector", lambda env: env[LOG].sudo().search_count([]))
    assert report["line_count"] == lines
    assert report["matter_count"] == orm(
        "hn_inspector",
        lambda env: (
            env["shouwen.matter"]
            .sudo()
            .with_context(active_test=False)
            .search_count([])
        ),
    )
    assert report["broken_count"] == 0, report["issues"]
    assert report["keyed"], "make test configures the key of the chain"
    assert len(report["fingerprint"]) == 64


def test_a_line_changed_in_the_database_is_found_over_rpc(inspector, orm):
    def a_guide_line(env):
        line = env[LOG].sudo().search([("action", "=", "guide")], limit=1)
        # a line without a reason holds NULL (False would be written 'false')
        return line.id, line.matter_id.id, line.reason or None

    line_id, matter_id, reason = orm("admin", a_guide_line)

    def rewrite(env, value):
        env.cr.execute("SET LOCAL shouwen.log_maintenance = 'on'")
        env.cr.execute(
            "UPDATE shouwen_matter_log SET reason = %s WHERE id = %s", [value, line_id]
        )

    orm("admin", lambda env: rewrite(env, "从未发生的指引"), commit=True)
    try:
        report = _verify(inspector, scope="matter", matter_id=matter_id)
        assert report["broken_count"] == 1
        assert [
            (i["matter_id"][0], i["line_number"], i["problem"])
            for i in report["issues"]
        ] == [(matter_id, line_id, "altered")]
    finally:
        orm("admin", lambda env: rewrite(env, reason), commit=True)
    # the original content verifies again
    assert _verify(inspector, scope="matter", matter_id=matter_id)["broken_count"] == 0


def test_plain_sql_cannot_update_or_delete_log_lines(orm):
    from psycopg2.errors import InsufficientPrivilege

    def attempt(env, query):
        line_id = env[LOG].sudo().search([], limit=1).id
        try:
            env.cr.execute(query, [line_id])
        except InsufficientPrivilege:
            return "refused"
        return "done"

    for query in (
        "UPDATE shouwen_matter_log SET reason = 'x' WHERE id = %s",
        "DELETE FROM shouwen_matter_log WHERE id = %s",
    ):
        assert orm("admin", lambda env, q=query: attempt(env, q)) == "refused"


@pytest.mark.parametrize("login", ["zz01_staff1", "zz01_supervisor", "hn_manager"])
def test_only_inspectors_and_administrators_verify(odoo_server, login):
    import odoorpc

    client = odoo_server.login(login, login)
    with pytest.raises(odoorpc.error.RPCError):
        client.env[VERIFY].create({"scope": "all"})


def test_two_transactions_appending_to_one_matter_do_not_fork_its_chain(orm):
    """A appends to a matter and holds its transaction open; B, whose
    snapshot predates A's line, appends to the same matter: B waits for A,
    fails to serialize when A commits, and is retried (as the server retries
    a request) behind A's line."""
    from odoo import SUPERUSER_ID, api
    from odoo.service.model import retrying

    registry = orm.registry

    def a_matter(env):
        user = env["res.users"].search([("login", "=", "zz01_staff1")])
        matter = (
            env["shouwen.matter"]
            .with_user(user)
            .create(
                {
                    "subject": "并发追加履历",
                    "channel": "phone",
                    "kind": "consult",
                    "business_domain": "product",
                    "customer_name": "并发测试客户",
                    "customer_phone": "13900009999",
                }
            )
        )
        return matter.id

    matter_id = orm("zz01_staff1", a_matter, commit=True)
    b_began, a_appended = threading.Event(), threading.Event()
    outcome, errors = {}, []

    def append(env, reason):
        return (
            env["shouwen.matter"]
            .browse(matter_id)
            ._log_many([{"matter_id": matter_id, "action": "urge", "reason": reason}])
        )

    def transaction_a():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT 1")
                b_began.wait(30)
                outcome["a"] = append(env, "A").id
                a_appended.set()
                time.sleep(1.5)  # B waits for the chain's lock meanwhile
        except Exception as error:  # reported below
            errors.append(error)
            a_appended.set()

    def transaction_b():
        attempts = []
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT 1")  # B's snapshot: before A's line
                b_began.set()
                a_appended.wait(30)

                def attempt():
                    attempts.append(time.monotonic())
                    return append(env, "B").id

                outcome["b"] = retrying(attempt, env)
        except Exception as error:  # reported below
            errors.append(error)
        outcome["attempts"] = len(attempts)

    threads = [threading.Thread(target=t) for t in (transaction_a, transaction_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert outcome["attempts"] == 2, "B's first try could not see A's line"

    def chain(env):
        lines = env[LOG].sudo().search([("matter_id", "=", matter_id)], order="id")
        return [
            {
                "id": line.id,
                "reason": line.reason,
                "prev_hash": line.prev_hash,
                "line_hash": line.line_hash,
            }
            for line in lines
        ]

    lines = orm("admin", chain)
    assert [line["reason"] for line in lines][-2:] == ["A", "B"]
    a, b = lines[-2:]
    assert (a["id"], b["id"]) == (outcome["a"], outcome["b"])
    assert b["prev_hash"] == a["line_hash"], "the chain forked"
    assert len({line["prev_hash"] for line in lines}) == len(lines)

    def verified(env):
        verification = (
            env["shouwen.trail.verify"]
            .with_user(env.ref("shouwen_responsibility.hn_inspector_demo"))
            .create({"scope": "matter", "matter_id": matter_id})
        )
        verification.action_verify()
        return verification.broken_count, verification.line_count

    assert orm("admin", verified) == (0, len(lines))
