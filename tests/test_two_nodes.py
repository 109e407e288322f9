"""Two Odoo server processes ("nodes") on one database, as a province scales
out (#22): what one node's administrator changes, the other applies to its
next registration (Odoo's registry signalling clears the ormcaches of the
time policies and of the calendar), and when the follow-up sweep runs on one
node while Odoo's own automation cron runs on the other, each step is done
once (the claim table), with no error in either node's log."""

import threading
from datetime import datetime, timedelta

import psycopg2

from conftest import running_server

MATTER = "shouwen.matter"
MATTERS_DUE = 20
#: of which a sweep elsewhere holds the first ones for a while
HELD = 6
#: seconds a run may take; a run waiting for a held matter takes longer
RUN_TIMEOUT = 90


def _register(client, subject):
    matter_id = client.env[MATTER].create(
        {
            "subject": subject,
            "channel": "phone",
            "kind": "consult",
            "business_domain": "product",
            "customer_name": "双节点测试客户",
            "customer_phone": "13900009999",
        }
    )
    return client.env[MATTER].read([matter_id], ["closure_deadline", "policy_id"])[0]


def _deadline(values):
    return datetime.strptime(values["closure_deadline"], "%Y-%m-%d %H:%M:%S")


def _log_size(server):
    return server.logfile.stat().st_size if server.logfile.exists() else 0


def _errors(server, since=0):
    """The ERROR lines ``server`` logged after the first ``since`` bytes of
    its log (node A's log is the session's: other tests' errors are before)."""
    with open(server.logfile, "rb") as log:
        log.seek(since)
        text = log.read().decode(errors="replace")
    return [line for line in text.splitlines() if " ERROR " in line]


def test_two_nodes_share_changes_and_do_each_step_once(odoo_server):
    node_a = odoo_server
    since = _log_size(node_a)
    with running_server(node_a.conf, node_a.db, "node-b.log") as node_b:
        _a_change_on_one_node_applies_on_the_other(node_a, node_b)
        _each_step_once_when_both_nodes_follow_up(node_a, node_b)
        assert not _errors(node_a, since), _errors(node_a, since)
        assert not _errors(node_b), _errors(node_b)


def _a_change_on_one_node_applies_on_the_other(node_a, node_b):
    staff_b = node_b.login("zz01_staff1", "zz01_staff1")
    admin_a = node_a.login("hn_admin", "hn_admin")
    # node B has read the policy and the calendar (its caches are warm)
    first = _register(staff_b, "双节点：改时限前")
    policy_id = first["policy_id"][0]
    Policy = admin_a.env["shouwen.time.policy"]
    limits = ["closure_amount", "extension_max"]
    (before,) = Policy.read([policy_id], [*limits, "closure_unit"])
    assert before["closure_unit"] == "working_days", before
    # ten working days more (and as much more for the cap with extensions)
    more = {"closure_amount": before["closure_amount"] + 10}
    if before["extension_max"]:  # 0: no extension, nothing to widen
        more["extension_max"] = before["extension_max"] + 10
    Policy.write([policy_id], more)
    try:
        second = _register(staff_b, "双节点：改时限后")
    finally:
        Policy.write([policy_id], {fname: before[fname] for fname in limits})
    assert second["policy_id"][0] == policy_id
    # ten working days more: two weeks later, whatever the weekends
    assert _deadline(second) - _deadline(first) >= timedelta(days=10), (first, second)
    # restored on node A, node B's next deadline is back near the first one
    # (registered later, it may pass a day's cut-off: a few days at most)
    third = _register(staff_b, "双节点：时限复原")
    assert _deadline(second) - _deadline(third) >= timedelta(days=5), (second, third)

    # a holiday entered on node A, on the day of node B's next deadline
    day = (_deadline(third) + timedelta(hours=8)).date()  # Shanghai
    Day = admin_a.env["shouwen.calendar.day"]
    assert not Day.search([("date", "=", str(day))]), day
    day_id = Day.create({"date": str(day), "day_type": "holiday", "name": "双节点测试"})
    try:
        fourth = _register(staff_b, "双节点：新增假日后")
    finally:
        Day.unlink([day_id])
    assert _deadline(fourth) - _deadline(third) >= timedelta(days=1), (third, fourth)


def _each_step_once_when_both_nodes_follow_up(node_a, node_b):
    staff = node_a.login("zz01_staff1", "zz01_staff1")
    ids = [
        staff.env[MATTER].create(
            {
                "subject": f"双节点跟进 {index}",
                "channel": "phone",
                "kind": "consult",
                "business_domain": "product",
                "customer_name": "双节点测试客户",
                "customer_phone": f"1390001{index:04d}",
            }
        )
        for index in range(MATTERS_DUE)
    ]
    # their first closure reminder falls due now (the test cannot wait for
    # it): the date the follow-up reads, and the one its index reads
    with psycopg2.connect(dbname=node_a.db) as cnx, cnx.cursor() as cr:
        cr.execute(
            "UPDATE shouwen_matter SET first_reminder_date = now() at time zone "
            "'UTC' - interval '1 minute', next_followup_date = now() at time zone "
            "'UTC' - interval '1 minute' WHERE id = ANY(%s)",
            [ids],
        )
        # and Odoo's automation cron takes them for due too (its own rule:
        # a date after the rule's last run)
        cr.execute(
            "UPDATE base_automation SET last_run = NULL WHERE id IN (SELECT res_id "
            "FROM ir_model_data WHERE model = 'base.automation' AND module = "
            "'shouwen_responsibility')"
        )
    cnx.close()
    admins = [node.login("admin", "admin") for node in (node_a, node_b)]
    sweep = "shouwen_responsibility.ir_cron_shouwen_followup_sweep"
    automation = "base_automation.ir_cron_data_base_automation_check"
    # a sweep elsewhere holds some of them meanwhile: both runs, at once,
    # leave those alone and do not wait for them
    held = ids[:HELD]
    holder = psycopg2.connect(dbname=node_a.db)
    try:
        with holder.cursor() as cr:
            cr.execute(
                "SELECT id FROM shouwen_matter WHERE id = ANY(%s) FOR NO KEY UPDATE",
                [held],
            )
        _run_at_once(zip(admins, (sweep, automation), strict=True))
        # nothing held was touched, nothing was done twice; what one run
        # could not do (the other changed something it needed meanwhile:
        # a serialization conflict) is left, quietly, to the next run
        done = _reminded(admins[0], ids)
        assert not set(done) & set(held), done
        assert len(done) == len(set(done)), done
    finally:
        holder.rollback()
        holder.close()
    # released: both runs again at once, then the sweep alone as the next
    # run: every reminder done, once
    _run_at_once(zip(admins, (automation, sweep), strict=True))
    _run_at_once([(admins[0], sweep)])
    assert _reminded(admins[0], ids) == sorted(ids)
    reminder = admins[0].env.ref(
        "shouwen_responsibility.mail_activity_type_shouwen_reminder"
    )
    todos = (
        admins[0]
        .env["mail.activity"]
        .search_read(
            [
                ("res_model", "=", MATTER),
                ("res_id", "in", ids),
                ("activity_type_id", "=", reminder.id),
            ],
            ["res_id"],
        )
    )
    assert sorted(t["res_id"] for t in todos) == sorted(ids), todos


def _run_at_once(runs):
    """Trigger each ``(admin client, cron xmlid)`` at the same moment, each
    on its node; fail if one fails or is still running after a while."""
    runs = list(runs)
    start = threading.Barrier(len(runs))
    errors = []

    def run(admin, xmlid):
        try:
            cron = admin.env.ref(xmlid)
            start.wait(timeout=60)
            cron.method_direct_trigger()
        except Exception as error:  # reported below
            errors.append((xmlid, error))

    threads = [threading.Thread(target=run, args=pair, daemon=True) for pair in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RUN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a run waited for a held matter"
    assert not errors, errors


def _reminded(admin, ids):
    """The matters of ``ids`` whose first closure reminder was claimed, one
    entry per claim."""
    claims = admin.env["shouwen.followup"].search_read(
        [("matter_id", "in", ids), ("step", "=", "closure_reminder_1")], ["matter_id"]
    )
    return sorted(c["matter_id"][0] for c in claims)
