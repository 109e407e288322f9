"""Upgrading the addon (``-u``) on a database with data keeps every matter,
every log line, every handover and every deadline.  Named to run last: it
upgrades the database the other tests of this folder use."""

import subprocess
import sys

from conftest import REPO_ROOT

MATTER = "shouwen.matter"


def _state(client):
    env = client.env
    env.context["active_test"] = False
    matters = env[MATTER].search_read(
        [],
        [
            "name",
            "state",
            "closure_deadline",
            "response_deadline",
            "first_responsible_id",
        ],
        order="id",
    )
    return {
        "matters": matters,
        "log": env["shouwen.matter.log"].search_count([]),
        "handovers": env["shouwen.handover"].search_count([]),
        "findings": env["shouwen.finding"].search_count([]),
    }


def test_upgrading_the_addon_keeps_matters_logs_and_deadlines(odoo_server):
    import odoorpc

    admin = odoorpc.ODOO("127.0.0.1", port=odoo_server.port, timeout=300)
    admin.login(odoo_server.db, "admin", "admin")
    before = _state(admin)
    assert len(before["matters"]) > 50 and before["log"] > 100
    upgrade = subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            str(odoo_server.conf),
            "-d",
            odoo_server.db,
            "-u",
            "shouwen_responsibility",
            "--stop-after-init",
            "--max-cron-threads=0",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert upgrade.returncode == 0, upgrade.stdout[-3000:] + upgrade.stderr[-3000:]
    assert " ERROR " not in upgrade.stdout + upgrade.stderr, (
        upgrade.stdout + upgrade.stderr
    )[-3000:]
    admin = odoorpc.ODOO("127.0.0.1", port=odoo_server.port, timeout=300)
    admin.login(odoo_server.db, "admin", "admin")
    assert _state(admin) == before
