"""Reads on a real streaming replica (#22).

Odoo 18 runs the web client's ``@api.readonly`` calls (``web_search_read``,
``web_read``, ``read_group``, ``/report/html``...) on ``db_replica_host``
when it is configured; a read that writes fails there, and Odoo rolls back
and runs it again on the primary with the warning "retrying with a
read/write cursor".  Here the test database is copied into a throw-away
private PostgreSQL cluster (the primary), which ``pg_basebackup -R`` copies
into a hot standby streaming from it (the replica), both on free ports of
127.0.0.1 in a temporary directory; a server pointed at both opens the
matters' list and form, the figures and the monthly report as a city
supervisor and as front-line staff.  Every read is served by the replica,
none retried on the primary; a registration goes to the primary and
reaches the replica.  The system server's configuration is not touched.

The PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are
required: without them the test fails."""

import configparser
import getpass
import importlib.util
import os
import re
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from conftest import REPO_ROOT, conf_and_db, free_port, running_server

MATTER = "shouwen.matter"
FIGURES = "shouwen.matter.report"
MONTHLY = "shouwen_responsibility.report_unit_monthly"
RETRY = "retrying with a read/write cursor"
#: the application name of the server's connections (``{pid}``: Odoo's)
APP = "shouwen-replica-test-{pid}"
TIMEOUT = 60


def _devenv():
    spec = importlib.util.spec_from_file_location(
        "shouwen_devenv", REPO_ROOT / "scripts" / "devenv.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _conf_options(conf):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    options = parser["options"] if parser.has_section("options") else {}
    return {
        key: value
        for key, value in options.items()
        if value not in ("False", "false", "", None)
    }


def _run(cmd, what, password=None):
    env = dict(os.environ, PGPASSWORD=password) if password else None
    proc = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=TIMEOUT, env=env
    )
    assert proc.returncode == 0, f"{what} failed:\n{proc.stderr[-3000:]}"


class Clusters:
    def __init__(self, db, primary, replica):
        self.db = db
        self.primary = primary
        self.replica = replica

    def query(self, pg, sql, params=None):
        return pg.query(sql, params, dbname=self.db)


@pytest.fixture(scope="module")
def clusters(request):
    """The test database in a private primary with a streaming replica,
    caught up; both stopped and removed afterwards."""
    devenv = _devenv()
    bindir = devenv._pg_bindir()
    if not bindir or not (bindir / "pg_basebackup").exists():
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not"
            " installed: the replica cannot be set up (apt-get install postgresql)"
        )
    conf, db = conf_and_db(request.config)
    options = _conf_options(conf)
    user = options.get("db_user") or getpass.getuser()
    root = Path(tempfile.mkdtemp(prefix="shouwen-replica-"))
    root.chmod(0o755)  # the postgres account reaches its directories in it
    rundir, primary_dir, replica_dir = root / "run", root / "primary", root / "replica"
    try:
        primary = devenv.start_private_primary(
            primary_dir, free_port(), user, rundir, timeout=TIMEOUT, throwaway=True
        )
        # the test database, from the server it lives on, under its name
        source = []
        for option, flag in (("db_host", "-h"), ("db_port", "-p"), ("db_user", "-U")):
            if options.get(option):
                source += [flag, options[option]]
        dump = root / "db.dump"
        _run(
            [bindir / "pg_dump", *source, "-Fc", "-f", dump, db],
            "pg_dump",
            options.get("db_password"),
        )
        primary.query(f'CREATE DATABASE "{db}"')
        target = ["-h", primary.host, "-p", primary.port, "-U", user]
        _run(
            [bindir / "pg_restore", *target, "-d", db, "-j", "4", "--no-owner", dump],
            "pg_restore",
        )
        dump.unlink()
        replica = devenv.start_private_replica(
            primary_dir,
            primary.port,
            replica_dir,
            free_port(),
            user=user,
            rundir=rundir,
            timeout=TIMEOUT,
            throwaway=True,
        )
        devenv.wait_for_replica(primary, replica, timeout=TIMEOUT)
        yield Clusters(db, primary, replica)
    finally:
        devenv.remove_private_clusters(replica_dir, primary_dir, root=root)
        assert not root.exists()


@pytest.fixture(scope="module")
def server(clusters, request):
    conf, db = conf_and_db(request.config)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ODOO_PGAPPNAME", APP)
        with running_server(
            conf,
            db,
            "pytest-odoo-real-replica.log",
            "--db_host=127.0.0.1",
            f"--db_port={clusters.primary.port}",
            "--db_replica_host=127.0.0.1",
            f"--db_replica_port={clusters.replica.port}",
        ) as odoo:
            yield odoo


class WebClient:
    """The JSON-RPC calls of the web client, in one session."""

    def __init__(self, server, login):
        import requests

        self.server = server
        self.session = requests.Session()
        self.uid = self.rpc(
            "/web/session/authenticate",
            {"db": server.db, "login": login, "password": login},
        )["uid"]
        assert self.uid, login

    def rpc(self, path, params):
        response = self.session.post(
            self.server.url(path),
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        answer = response.json()
        assert "error" not in answer, (path, answer.get("error"))
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def views(self, xmlid, view_types):
        """The action ``xmlid`` and its views, as the web client loads them."""
        action = self.rpc("/web/action/load", {"action_id": xmlid})
        views = self.call(
            action["res_model"],
            "get_views",
            views=[[False, view_type] for view_type in (*view_types, "search")],
            options={"action_id": action["id"], "load_filters": True},
        )
        return action, views


def _top_fields(arch):
    """The fields a view reads itself (not those of its sub-views)."""
    from lxml import etree

    return etree.fromstring(arch).xpath("//field[not(ancestor::field)]/@name")


def _specification(views, view_type, model):
    fields = views["models"][model]["fields"]
    spec = {}
    for name in _top_fields(views["views"][view_type]["arch"]):
        many2one = fields[name]["type"] == "many2one"
        spec[name] = {"fields": {"display_name": {}}} if many2one else {}
    return spec


def _served_by_replica(clusters, since):
    """How many of the server's connections to the replica were used since
    ``since`` (the replica's clock)."""
    return clusters.query(
        clusters.replica,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        " AND application_name LIKE %s AND state_change >= %s",
        [clusters.db, APP.replace("{pid}", "%"), since],
    )[0][0]


def _now(clusters):
    return clusters.query(clusters.replica, "SELECT clock_timestamp()")[0][0]


def _read_on_replica(clusters, what, read):
    """``read()``, asserting that the replica served it."""
    since = _now(clusters)
    result = read()
    assert _served_by_replica(clusters, since), f"{what} was not read on the replica"
    return result


def _open_matters(clusters, client):
    """The matters' list, then the first matter's form."""
    action, views = _read_on_replica(
        clusters,
        "the matters' action and views",
        lambda: client.views(
            "shouwen_responsibility.shouwen_matter_action", ("list", "form")
        ),
    )
    listed = _read_on_replica(
        clusters,
        "the matters' list",
        lambda: client.call(
            MATTER,
            "web_search_read",
            domain=action.get("domain") or [],
            specification=_specification(views, "list", MATTER),
            offset=0,
            limit=80,
            order="",
            count_limit=10001,
        ),
    )
    assert listed["length"] and listed["records"], "the list shows no matter"
    matter_id = listed["records"][0]["id"]
    form = _read_on_replica(
        clusters,
        "a matter's form",
        lambda: client.call(
            MATTER,
            "web_read",
            [matter_id],
            specification=_specification(views, "form", MATTER),
        ),
    )
    assert [record["id"] for record in form] == [matter_id]
    return matter_id


def _open_figures(clusters, client):
    """The figures' pivot (per city, with its totals) and graph (per month)
    over the last 12 months, as the web client asks for them."""
    action, views = _read_on_replica(
        clusters,
        "the figures' action and views",
        lambda: client.views(
            "shouwen_responsibility.shouwen_matter_report_action", ("pivot", "graph")
        ),
    )
    assert action["res_model"] == FIGURES
    fields = views["models"][FIGURES]["fields"]
    measures = [
        f"{name}:{fields[name]['aggregator']}"
        for name in _top_fields(views["views"]["pivot"]["arch"])
        if fields[name].get("aggregator")
    ]
    year = [("date", ">=", (date.today() - relativedelta(years=1)).isoformat())]
    groups = {}
    for groupby in ([], ["city_unit_id"], ["date:month"]):
        groups[tuple(groupby)] = _read_on_replica(
            clusters,
            f"the figures by {groupby}",
            lambda groupby=groupby: client.call(
                FIGURES, "read_group", year, measures, groupby, lazy=False
            ),
        )
    (total,) = groups[()]
    assert total["received_count"], "the figures show nothing received in a year"
    by_city = groups[("city_unit_id",)]
    assert sum(row["received_count"] for row in by_city) == total["received_count"]


def _unit_id(clusters, xmlid):
    module, name = xmlid.split(".")
    rows = clusters.query(
        clusters.primary,
        "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s",
        [module, name],
    )
    assert rows, xmlid
    return rows[0][0]


def test_the_replica_serves_the_reads_and_the_primary_the_writes(clusters, server):
    """List, form, figures and monthly report on the replica, without a
    read retried on the primary; a registration on the primary, seen on
    the replica."""
    (in_recovery,) = clusters.query(clusters.replica, "SELECT pg_is_in_recovery()")[0]
    assert in_recovery, "the replica is not a standby"

    manager = WebClient(server, "zz_manager")
    _open_matters(clusters, manager)
    _open_figures(clusters, manager)
    unit_id = _unit_id(clusters, "shouwen_responsibility.unit_zz_demo")
    (unit_name,) = clusters.query(
        clusters.primary, "SELECT name FROM shouwen_unit WHERE id = %s", [unit_id]
    )[0]
    report = _read_on_replica(
        clusters,
        "the monthly report",
        lambda: manager.session.get(
            server.url(f"/report/html/{MONTHLY}/{unit_id}"), timeout=TIMEOUT
        ),
    )
    assert report.status_code == 200, report.text[-2000:]
    unit_name = unit_name.get("en_US") if isinstance(unit_name, dict) else unit_name
    assert unit_name in report.text

    staff = WebClient(server, "zz01_staff1")
    _open_matters(clusters, staff)

    # a registration: on the primary (the replica refuses writes), then seen
    # on the replica, by the server's next read too
    matter_id = staff.call(
        MATTER,
        "create",
        {
            "subject": "副本测试登记",
            "channel": "phone",
            "kind": "consult",
            "business_domain": "product",
            "customer_name": "副本测试客户",
            "customer_phone": "13900009999",
        },
    )
    sql = "SELECT name FROM shouwen_matter WHERE id = %s"
    (name,) = clusters.query(clusters.primary, sql, [matter_id])[0]
    assert name.startswith("ZZ01-"), name
    deadline = time.monotonic() + TIMEOUT
    while not clusters.query(clusters.replica, sql, [matter_id]):
        assert time.monotonic() < deadline, "the registration never reached the replica"
        time.sleep(0.1)
    read = _read_on_replica(
        clusters,
        "the new matter",
        lambda: staff.call(MATTER, "web_read", [matter_id], specification={"name": {}}),
    )
    assert read == [{"id": matter_id, "name": name}]

    log = server.logfile.read_text(errors="replace")
    assert log.count(RETRY) == 0, "a read wrote and was run again on the primary"
    assert "Failed to open a readonly cursor" not in log
    errors = re.findall(r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) .*$", log, re.MULTILINE)
    assert not errors, errors
