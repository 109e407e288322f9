"""Fixtures for repository-level tests that talk to a real Odoo server.

These are plain pytest tests (not Odoo test cases).  pytest-odoo runs an
Odoo registry in the pytest process as well; the server used here is a
separate ``python3 -m odoo`` subprocess on the database prepared by
``make test`` (``shouwen_test``, addon + demo data installed).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = REPO_ROOT / ".local" / "logs"
DEFAULT_CONF = REPO_ROOT / ".local" / "odoo-test.conf"
DEFAULT_DB = "shouwen_test"
START_TIMEOUT = 120


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OdooServer:
    """A running Odoo HTTP server (see the ``odoo_server`` fixture)."""

    def __init__(self, port: int, db: str, logfile: Path, conf: Path = DEFAULT_CONF):
        self.conf = conf
        self.host = "127.0.0.1"
        self.port = port
        self.db = db
        self.logfile = logfile
        self.base_url = f"http://{self.host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def login(self, login: str, password: str):
        """Return an ``odoorpc.ODOO`` session logged in as ``login``."""
        import odoorpc

        client = odoorpc.ODOO(self.host, port=self.port, timeout=120)
        client.login(self.db, login, password)
        return client

    def log_tail(self, size: int = 4000) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-size:]
        except OSError:
            return ""


def _option(config, name, default):
    value = config.getoption(name, default=None)
    return value if value else default


def _wait_until_up(proc, server: OdooServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last_error = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"odoo server exited early ({proc.returncode}):\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.url("/web/login"), timeout=10) as resp:
                if resp.status == 200:
                    return
                last_error = f"HTTP {resp.status}"
        except (urllib.error.URLError, OSError) as exc:
            last_error = exc
        time.sleep(0.5)
    pytest.fail(
        f"odoo server did not answer /web/login within {START_TIMEOUT}s"
        f" ({last_error}):\n{server.log_tail()}"
    )


@contextmanager
def running_server(conf: Path, db: str, logname: str, *extra_args: str):
    """``python3 -m odoo`` on ``db`` with the configuration ``conf`` (and
    ``extra_args``), on a free port of 127.0.0.1, no cron; yields an
    ``OdooServer`` once it answers, stops it afterwards."""
    port = free_port()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    logfile = LOG_DIR / logname
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        str(conf),
        "-d",
        db,
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--max-cron-threads=0",
        f"--db-filter=^{db}$",
        *extra_args,
    ]
    server = OdooServer(port, db, logfile, conf)
    with open(logfile, "w") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_until_up(proc, server)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def conf_and_db(config) -> tuple[Path, str]:
    """The Odoo configuration file and the test database the run was given
    (``--odoo-config``, ``--odoo-database``)."""
    invocation_dir = Path(config.invocation_params.dir)
    conf = Path(
        _option(config, "--odoo-config", os.environ.get("ODOO_RC", DEFAULT_CONF))
    )
    if not conf.is_absolute():
        conf = invocation_dir / conf
    if not conf.exists():
        pytest.fail(f"odoo config {conf} not found: run `make test`")
    return conf, _option(config, "--odoo-database", DEFAULT_DB)


@pytest.fixture(scope="session")
def odoo_server(request):
    """Start ``python3 -m odoo`` on the test database; yield an ``OdooServer``."""
    conf, db = conf_and_db(request.config)
    with running_server(conf, db, "pytest-odoo-server.log") as server:
        yield server


#: role × placement: every demo role, at each level where the demo has it
DEMO_LOGINS = (
    "hn_manager",  # provincial supervisor
    "hn_inspector",  # inspector (province)
    "hn_admin",  # administrator
    "hn_staff",  # staff at the province
    "zz_manager",  # city supervisor
    "zz_staff",  # staff at a city branch
    "zz01_supervisor",  # unit supervisor of a county branch
    "zz01_staff1",  # front-line staff of a county branch
    "ny02_staff1",  # front-line staff of another city's county branch
    "hn_customer",  # portal customer
)


def pytest_generate_tests(metafunc):
    """A test asking for ``demo_login`` runs once per demo role and level
    (the demo users' password is their login)."""
    if "demo_login" in metafunc.fixturenames:
        metafunc.parametrize("demo_login", DEMO_LOGINS)


class _RolledBack(Exception):
    """Undoes what an operation that was allowed did."""


class OrmAs:
    """``orm(login, func)``: ``func(env)`` as the user ``login`` in this
    process, on the server's database, rolled back (committed with
    ``commit=True``): what the ORM gives that user, to compare with what the
    server gives them over the wire."""

    def __init__(self, db):
        from odoo.modules.registry import Registry

        self.registry = Registry(db)

    def __call__(self, login, func, commit=False):
        from odoo import SUPERUSER_ID, api

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = env["res.users"].search([("login", "=", login)])
            assert user, f"demo login {login} is missing"
            try:
                result = func(env(user=user.id, context={"lang": user.lang}))
            except BaseException:
                cr.rollback()
                raise
            if commit:
                cr.commit()
            else:
                cr.rollback()
            return result

    @staticmethod
    def allowed(env, func):
        """Whether ``func()`` succeeds in the ORM (rolled back either way)."""
        try:
            with env.cr.savepoint():
                func()
                env.flush_all()
                raise _RolledBack
        except _RolledBack:
            return True
        except Exception:  # refused, as the request over the wire would be
            return False


@pytest.fixture(scope="module")
def orm(odoo_server):
    """An ``OrmAs`` on the server's database."""
    return OrmAs(odoo_server.db)


@pytest.fixture(scope="module")
def counts(orm, request):
    """``counts()``: how many records each model of the test module's
    ``COUNTED`` holds (archived ones included), as the superuser sees them:
    what a refused call must leave as it was."""
    models = request.module.COUNTED

    def count(env):
        return {
            model: env[model].sudo().with_context(active_test=False).search_count([])
            for model in models
        }

    return lambda: orm("admin", count)


@contextmanager
def online_limits(orm, **limits):
    """The online form's rate limits set for the block (``ip=``, ``phone=``:
    submissions per window), with the attempts made so far forgotten; put
    back afterwards, the block's attempts forgotten too, so that no other
    test is held back.  The server caches the parameters: it is told."""
    keys = {"ip": "online_limit_ip", "phone": "online_limit_phone"}

    def apply(env, values):
        env = env(su=True)
        params = env["ir.config_parameter"]
        before = {
            name: params.get_param(f"shouwen_responsibility.{keys[name]}")
            for name in values
        }
        for name, value in values.items():
            params.set_param(f"shouwen_responsibility.{keys[name]}", value)
        env["shouwen.online.attempt"].search([]).unlink()
        return before

    before = orm("admin", lambda env: apply(env, limits), commit=True)
    orm.registry.signal_changes()
    try:
        yield
    finally:
        orm("admin", lambda env: apply(env, before), commit=True)
        orm.registry.signal_changes()


@pytest.fixture
def odoo_login(odoo_server):
    """``odoo_login(login, password)`` -> logged-in ``odoorpc.ODOO`` client."""
    return odoo_server.login
