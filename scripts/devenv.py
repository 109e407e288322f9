#!/usr/bin/env python3
"""Single developer / CI entry point of the shouwen_responsibility repository.

Usage::

    python3 scripts/devenv.py setup            # prepare everything, idempotent
    python3 scripts/devenv.py run [odoo args]  # demo database + server on :8069
    python3 scripts/devenv.py test [pytest args]
    python3 scripts/devenv.py lint
    python3 scripts/devenv.py wheel            # the addon's wheel in .local/dist/
    python3 scripts/devenv.py bench [bench.py args]   # performance, see --help

Standard library, and ``packaging`` (pip's own copy until the tools are
installed); psycopg2 is imported lazily, once Odoo - which requires it - is
known to be importable.  Everything it creates lives in the git-ignored
folders ``.local/`` and ``.venv/`` of the repository.

Environment knobs:

* ``PGHOST`` / ``PGPORT`` / ``PGUSER`` / ``PGPASSWORD``: PostgreSQL server to
  use (when PGHOST or PGPORT is set, only that server is tried).
* ``DEVENV_PG=private``: skip the system server and use (create if needed)
  a private cluster in ``.local/pgdata`` listening on 127.0.0.1:55432.
* ``SHOUWEN_TEST_DB``: the database ``test`` recreates (``shouwen_test``).
"""

from __future__ import annotations

import getpass
import glob
import importlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
VENV = ROOT / ".venv"
LOG_DIR = LOCAL / "logs"
DATA_DIR = LOCAL / "data"
ODOO_SRC = LOCAL / "odoo-src"
CONF = LOCAL / "odoo.conf"
TEST_CONF = LOCAL / "odoo-test.conf"
PG_DATA = LOCAL / "pgdata"
PG_RUN = LOCAL / "pgrun"
REQ_DEV = ROOT / "requirements-dev.txt"
REQ_OCA = ROOT / "requirements-oca.txt"
# OCA's pre-commit checks, in a virtualenv of their own (see lint_venv)
REQ_LINT = ROOT / "requirements-lint.txt"
LINT_VENV = LOCAL / "venv-lint"
OCA_HOOKS_CFG = ROOT / ".oca_hooks.cfg"
# where `wheel` puts the addon's wheel
DIST = LOCAL / "dist"
# the peer the benchmark compares with (OCA helpdesk), for `bench` only
REQ_BENCH = ROOT / "requirements-bench.txt"
BENCH_CONF = LOCAL / "odoo-bench.conf"
# the key of the responsibility log's hash chain (HMAC), kept out of the
# database: generated once per checkout, written into every odoo.conf
TRAIL_KEY = LOCAL / "shouwen_trail.key"

ADDON = "shouwen_responsibility"
DEMO_DB = "shouwen_demo"
# several checkouts on one PostgreSQL server test side by side under other names
TEST_DB = os.environ.get("SHOUWEN_TEST_DB", "shouwen_test")
LANG = "zh_CN"
RUN_PORT = 8069
PRIVATE_PG_PORT = 55432

ODOO_MAJOR = 18
ODOO_BRANCH = "18.0"
ODOO_GIT = "https://github.com/odoo/odoo.git"

# import name -> why we need it
TOOL_MODULES = {
    "pytest": "test runner",
    "pytest_odoo": "runs Odoo test cases under pytest",
    "websocket": "Odoo HttpCase <-> Chrome devtools",
    "odoorpc": "RPC tests against a running server",
    "chinese_calendar": "working-day computations",
    "freezegun": "time travel in tests",
    "yaml": "reads the OpenAPI file in the phone API tests",
    "hypothesis": "fuzzes the public doors (property-based tests)",
    "ruff": "lint / format",
    "pylint_odoo": "OCA pylint checks",
    "whool": "builds the addon's wheel (make wheel, tests/test_packaging.py)",
    "checklog_odoo": "checks Odoo's logs (rules in checklog-odoo.cfg)",
}
CHROME_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")

# what an Odoo log may contain after an install (checklog-odoo's rules): errors
# fail, and so do the warnings that mean "the addon did not load as written"
CHECKLOG_CFG = ROOT / "checklog-odoo.cfg"
#: how much of checklog-odoo's report an install prints (the log has it all)
CHECKLOG_SHOWN = 12000

PROBE_ODOO = (
    "import json, odoo, odoo.release as r; "
    "print(json.dumps({'major': r.version_info[0], 'version': r.version, "
    "'file': odoo.__file__}))"
)


# --------------------------------------------------------------------------- utils
def log(msg: str) -> None:
    print(f"[devenv] {msg}", flush=True)


def die(msg: str, code: int = 1) -> None:
    print(f"[devenv] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


def rel(path: Path) -> str:
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)


def run(cmd, check=True, **kw) -> subprocess.CompletedProcess:
    log("$ " + " ".join(str(c) for c in cmd))
    proc = subprocess.run([str(c) for c in cmd], **kw)
    if check and proc.returncode:
        die(f"command failed ({proc.returncode}): {' '.join(str(c) for c in cmd)}")
    return proc


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def in_venv() -> bool:
    return sys.prefix != sys.base_prefix


def running_in_our_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def reexec(python: Path) -> None:
    if os.environ.get("DEVENV_REEXEC") == str(python):
        die(f"re-executing with {rel(python)} did not help; giving up")
    log(f"re-executing with {rel(python)}")
    env = dict(os.environ, DEVENV_REEXEC=str(python))
    sys.stdout.flush()
    os.execve(
        str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]], env
    )


# ------------------------------------------------------------------ Odoo / python
def probe_odoo(python: str | Path) -> dict | None:
    try:
        proc = subprocess.run(
            [str(python), "-c", PROBE_ODOO],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tempfile.gettempdir(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode:
        return None
    try:
        info = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    return info if info.get("major") == ODOO_MAJOR else None


def _packaging():
    """``packaging.markers`` and ``packaging.requirements``: the library's own
    when installed, else the copy pip carries (this runs before the
    development tools are installed, and pip is there to install them)."""
    try:
        from packaging import markers, requirements
    except ImportError:
        from pip._vendor.packaging import markers, requirements
    return markers, requirements


def odoo_requirements(src: Path) -> list[str]:
    """Odoo's requirements.txt flattened for this interpreter.

    Below Python 3.12 the pins meant for ``python_version >= '3.12'`` are used:
    they are recent enough to be published as wheels for 3.10/3.11 too.
    """
    markers, requirements = _packaging()
    pyver = max(sys.version_info[:2], (3, 12))
    environment = markers.default_environment()
    if pyver != sys.version_info[:2]:
        environment["python_version"] = f"{pyver[0]}.{pyver[1]}"
        environment["python_full_version"] = f"{pyver[0]}.{pyver[1]}.0"
    reqs = []
    for line in (src / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = requirements.Requirement(line)
        if req.marker and not req.marker.evaluate(environment):
            continue
        req.marker = None  # evaluated here, with the version chosen above
        reqs.append(str(req))
    return reqs


def bootstrap_odoo_venv() -> None:
    """Install upstream Odoo 18.0 into .venv (only when `import odoo` fails)."""
    log(f"Odoo {ODOO_BRANCH} is not importable: installing it into {rel(VENV)}/")
    if not (ODOO_SRC / "odoo" / "release.py").exists():
        if not shutil.which("git"):
            die("git is required to fetch Odoo sources")
        LOCAL.mkdir(exist_ok=True)
        shutil.rmtree(ODOO_SRC, ignore_errors=True)
        run(
            [
                "git",
                "clone",
                "--depth",
                "1",
                "--branch",
                ODOO_BRANCH,
                ODOO_GIT,
                ODOO_SRC,
            ]
        )
    py = venv_python()
    if not py.exists():
        proc = run([sys.executable, "-m", "venv", VENV], check=False)
        if proc.returncode:
            die(
                "could not create the virtualenv"
                " (Debian/Ubuntu: apt-get install python3-venv)"
            )
    pip = [py, "-m", "pip", "install", "--disable-pip-version-check"]
    run([*pip, "--upgrade", "pip", "setuptools", "wheel"])
    reqs = odoo_requirements(ODOO_SRC)
    special = {"psycopg2": None, "python-ldap": None}
    plain = []
    _, requirements = _packaging()
    for req in reqs:
        name = requirements.Requirement(req).name.lower()
        if name in special:
            special[name] = req
        else:
            plain.append(req)
    req_file = LOCAL / "odoo-requirements.txt"
    req_file.write_text("\n".join(plain) + "\n")
    run([*pip, "-r", req_file])
    if special["psycopg2"]:
        if run([*pip, special["psycopg2"]], check=False).returncode:
            binary = special["psycopg2"].replace("psycopg2", "psycopg2-binary", 1)
            log(f"psycopg2 did not build, falling back to {binary}")
            run([*pip, binary])
    if (
        special["python-ldap"]
        and run([*pip, special["python-ldap"]], check=False).returncode
    ):
        log("WARNING: python-ldap did not build (libldap/libsasl headers?); skipped")
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "odoo-src.pth").write_text(str(ODOO_SRC) + "\n")
    if not probe_odoo(py):
        die(f"Odoo is still not importable from {rel(py)}")


def pip_install_tools() -> None:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-r",
        REQ_DEV,
    ]
    log("$ " + " ".join(str(c) for c in cmd))
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    sys.stdout.write(proc.stdout[-4000:])
    if proc.returncode == 0:
        return
    sys.stderr.write(proc.stderr[-4000:])
    if (
        "externally-managed-environment" in proc.stderr
        and not in_venv()
        and not VENV.exists()
    ):
        # PEP 668 interpreter: keep its Odoo, add the tools in a venv on top of it.
        log(f"system interpreter is externally managed: creating {rel(VENV)}/")
        run([sys.executable, "-m", "venv", "--system-site-packages", VENV])
        run(
            [
                venv_python(),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-r",
                REQ_DEV,
            ]
        )
        reexec(venv_python())
    die(f"could not install the development tools from {rel(REQ_DEV)}")


def missing_tools() -> list[str]:
    importlib.invalidate_caches()
    return [m for m in TOOL_MODULES if importlib.util.find_spec(m) is None]


def ensure_tools() -> None:
    missing = missing_tools()
    if not missing:
        return
    if not running_in_our_venv() and venv_python().exists():
        reexec(venv_python())
    log("missing python tools: " + ", ".join(missing))
    pip_install_tools()
    missing = missing_tools()
    if missing:
        die("still missing after pip install: " + ", ".join(missing))


def missing_oca_addons(requirements: Path = REQ_OCA) -> list[str]:
    """Addon names of ``requirements`` that Odoo cannot import."""
    _, reqs = _packaging()
    names = []
    for line in requirements.read_text().splitlines():
        line = line.split("#")[0].strip()
        name = reqs.Requirement(line).name.lower() if line else ""
        if name.startswith("odoo-addon-"):
            names.append(name.removeprefix("odoo-addon-").replace("-", "_"))
    probe = (
        "import importlib.util, sys; "
        "print(' '.join(n for n in sys.argv[1:] "
        "if importlib.util.find_spec('odoo.addons.' + n) is None))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *names], capture_output=True, text=True
    ).stdout.split()
    return out


def ensure_oca_addons(requirements: Path = REQ_OCA) -> None:
    missing = missing_oca_addons(requirements)
    if not missing:
        return
    log("missing OCA addons: " + ", ".join(missing))
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-deps",
            "-r",
            requirements,
        ]
    )
    missing = missing_oca_addons(requirements)
    if missing:
        die("OCA addons still missing after pip install: " + ", ".join(missing))


def ensure_python() -> dict:
    """Make sure this interpreter imports Odoo 18; returns odoo probe info."""
    info = probe_odoo(sys.executable)
    if info:
        return info
    vpy = venv_python()
    if not running_in_our_venv() and vpy.exists() and probe_odoo(vpy):
        reexec(vpy)
    bootstrap_odoo_venv()
    reexec(vpy)
    raise AssertionError("unreachable")


# --------------------------------------------------------------------- chromium
def find_chrome() -> str | None:
    for name in CHROME_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_chrome(required: bool) -> str | None:
    chrome = find_chrome()
    if chrome:
        return chrome
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log("no Chrome/Chromium found: installing Debian's chromium")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update"], check=False, env=env)
        run(
            ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
            check=False,
            env=env,
        )
        chrome = find_chrome()
    if not chrome and required:
        die(
            "no Chrome/Chromium on PATH (looked for "
            + ", ".join(CHROME_NAMES)
            + "): browser tests (HttpCase tours) cannot run, and skipped tests"
            " count as failures here. Install chromium and retry."
        )
    return chrome


# ------------------------------------------------------------ PDF reports
#: Debian packages the PDF reports (the counter slip) need: the renderer and
#: fonts with Chinese glyphs (without them the slip prints empty boxes)
PDF_PACKAGES = ("wkhtmltopdf", "fonts-noto-cjk")


def has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    proc = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True
    )
    return proc.returncode == 0 and bool(proc.stdout.strip())


def ensure_pdf_tools(required: bool) -> str | None:
    """wkhtmltopdf and a CJK font, installed from Debian when root with
    apt-get; fail when ``required`` and still missing."""
    wkhtmltopdf = shutil.which("wkhtmltopdf")
    if wkhtmltopdf and has_cjk_font():
        return wkhtmltopdf
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log("wkhtmltopdf or a CJK font missing: installing " + ", ".join(PDF_PACKAGES))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update"], check=False, env=env)
        run(
            ["apt-get", "install", "-y", "--no-install-recommends", *PDF_PACKAGES],
            check=False,
            env=env,
        )
        wkhtmltopdf = shutil.which("wkhtmltopdf")
    missing = [
        what
        for what, ok in (
            ("wkhtmltopdf", wkhtmltopdf),
            ("a font with Chinese glyphs (fonts-noto-cjk)", has_cjk_font()),
        )
        if not ok
    ]
    if missing and required:
        die(
            "missing "
            + " and ".join(missing)
            + ": the PDF reports (counter slip) cannot be rendered and their"
            " tests would fail. Install "
            + " ".join(PDF_PACKAGES)
            + " (e.g. apt-get install --no-install-recommends "
            + " ".join(PDF_PACKAGES)
            + ") and retry."
        )
    return wkhtmltopdf if not missing else None


# ------------------------------------------------------------------- PostgreSQL
class PgError(Exception):
    pass


class Pg:
    """Connection parameters of the PostgreSQL server we use."""

    def __init__(self, host, port, user, password, origin):
        self.host = host  # None: libpq default (unix socket)
        self.port = port
        self.user = user
        self.password = password
        self.origin = origin

    def __str__(self):
        where = self.host or "default unix socket"
        if self.port:
            where += f":{self.port}"
        return f"{self.user}@{where} ({self.origin})"

    def connect(self, dbname="postgres", user=None):
        import psycopg2  # only importable once Odoo is

        kw = {"dbname": dbname, "user": user or self.user, "connect_timeout": 5}
        if self.host:
            kw["host"] = self.host
        if self.port:
            kw["port"] = self.port
        if self.password and not user:
            kw["password"] = self.password
        try:
            conn = psycopg2.connect(**kw)
        except psycopg2.OperationalError as exc:
            raise PgError(str(exc).strip()) from exc
        conn.autocommit = True
        return conn

    def query(self, sql, params=None, dbname="postgres"):
        conn = self.connect(dbname)
        try:
            with conn.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if cr.description else []
        finally:
            conn.close()

    def db_exists(self, name) -> bool:
        return bool(self.query("SELECT 1 FROM pg_database WHERE datname = %s", [name]))

    def drop_db(self, name) -> None:
        from psycopg2 import sql

        ident = sql.Identifier(name)
        try:
            self.query(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        except Exception:  # PostgreSQL < 13: no WITH (FORCE)
            self.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            self.query(sql.SQL("DROP DATABASE IF EXISTS {}").format(ident))
        shutil.rmtree(DATA_DIR / "filestore" / name, ignore_errors=True)


def _not_answering(msg: str) -> bool:
    msg = msg.lower()
    return any(
        s in msg
        for s in (
            "connection refused",
            "no such file or directory",
            "timeout expired",
            "could not translate host name",
            "network is unreachable",
            "server closed the connection",
        )
    )


def _default_db_user() -> str:
    user = os.environ.get("PGUSER")
    if user:
        return user
    try:
        user = getpass.getuser()
    except Exception:
        user = "odoo"
    return "odoo" if user == "postgres" else user


def _create_role(pg: Pg) -> bool:
    """Create pg.user as SUPERUSER using the `postgres` account; True on success."""
    stmt = 'CREATE ROLE "{}" LOGIN SUPERUSER'.format(pg.user.replace('"', '""'))
    if pg.password:
        stmt += " PASSWORD '{}'".format(pg.password.replace("'", "''"))
    try:
        conn = pg.connect(user="postgres")
        with conn.cursor() as cr:
            cr.execute(stmt)
        conn.close()
        log(f"created PostgreSQL role {pg.user!r} (as postgres)")
        return True
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        log(f"cannot create role as postgres over the connection: {first}")
    # Peer authentication on the unix socket: act as the postgres OS account.
    psql = shutil.which("psql")
    runner = shutil.which("runuser") or shutil.which("sudo")
    if psql and runner and hasattr(os, "geteuid") and os.geteuid() == 0:
        args = (
            ["-u", "postgres", "--"]
            if runner.endswith("runuser")
            else ["-n", "-u", "postgres"]
        )
        cmd = [
            runner,
            *args,
            psql,
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            "postgres",
            "-c",
            stmt,
        ]
        if pg.host:
            cmd[-4:-4] = ["-h", pg.host]
        if pg.port:
            cmd[-4:-4] = ["-p", str(pg.port)]
        if run(cmd, check=False).returncode == 0:
            return True
    return False


def _try_server(pg: Pg, errors: list[str]) -> Pg | None:
    try:
        rows = pg.query(
            "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user"
        )
    except PgError as exc:
        msg = str(exc)
        if _not_answering(msg):
            errors.append(f"{pg}: not answering ({msg.splitlines()[0]})")
            return None
        if "role" in msg and "does not exist" in msg and _create_role(pg):
            return _try_server(pg, errors)
        errors.append(f"{pg}: {msg.splitlines()[0]}")
        return None
    if not (rows and rows[0][0]):
        errors.append(
            f"{pg}: role {pg.user!r} may not create databases (needs CREATEDB)"
        )
        return None
    return pg


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and Path(found).with_name("initdb").exists():
        return Path(found).resolve().parent
    patterns = (
        "/usr/lib/postgresql/*/bin",
        "/usr/pgsql-*/bin",
        "/usr/local/pgsql/bin",
    )

    def version_key(path: str):
        return [int(x) for x in re.findall(r"\d+", path)] or [0]

    for pattern in patterns:
        dirs = [
            d
            for d in glob.glob(pattern)
            if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists()
        ]
        if dirs:
            return Path(sorted(dirs, key=version_key)[-1])
    return None


def _postgres_runner(*dirs: Path) -> list[str]:
    """The prefix that runs PostgreSQL's server programs (``initdb``,
    ``pg_ctl``, ``pg_basebackup``): they refuse to run as root, so as root
    they run as the ``postgres`` account, which is given ``dirs``; as any
    other user, nothing (and ``dirs`` stay theirs)."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return []
    import pwd

    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        raise PgError("running as root without a 'postgres' account") from None
    for d in dirs:
        os.chown(d, pw.pw_uid, pw.pw_gid)
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    if shutil.which("setpriv"):
        return [
            "setpriv",
            f"--reuid={pw.pw_uid}",
            f"--regid={pw.pw_gid}",
            "--init-groups",
        ]
    return ["su", "postgres", "-s", "/bin/sh", "-c", '"$0" "$@"']


def _initdb_cmd(bindir: Path, datadir: Path, user: str) -> list:
    return [
        bindir / "initdb",
        "-D",
        datadir,
        "-U",
        user,
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C",
    ]


def _pg_ctl_start_cmd(
    bindir, datadir, logfile, port, sockdir, timeout=60, throwaway=False
) -> list:
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockdir}"
    if throwaway:  # nothing to keep after a crash: no waiting for the disk
        opts += " -c fsync=off -c full_page_writes=off"
    return [
        bindir / "pg_ctl",
        "-D",
        datadir,
        "-l",
        logfile,
        "-w",
        "-t",
        str(timeout),
        "-o",
        opts,
        "start",
    ]


def allow_replication(datadir: Path) -> bool:
    """Let 127.0.0.1 open replication connections to the cluster of
    ``datadir`` without a password (what ``pg_basebackup`` and a streaming
    replica need): a ``host replication`` line is appended to its
    pg_hba.conf unless one for 127.0.0.1 is there (``initdb --auth=trust``
    writes one).  True if the file was changed (the server, if running,
    must reload it).  Only for the private clusters made here."""
    hba = Path(datadir) / "pg_hba.conf"
    lines = hba.read_text().splitlines()
    for line in lines:
        words = line.split("#", 1)[0].split()
        if words[:2] == ["host", "replication"] and words[3:4] == ["127.0.0.1/32"]:
            return False
    with hba.open("a") as f:
        f.write(
            "host    replication     all             127.0.0.1/32            trust\n"
        )
    return True


def start_private_pg(user: str) -> Pg:
    bindir = _pg_bindir()
    if not bindir:
        die(
            "PostgreSQL not found: no server answers (tried PG* env vars, the local"
            " unix socket and 127.0.0.1:5432) and no server binaries (initdb/pg_ctl)"
            " are installed. Install PostgreSQL (e.g. apt-get install postgresql)"
            " or point PGHOST/PGPORT/PGUSER/PGPASSWORD to a server."
        )
    LOCAL.mkdir(exist_ok=True)
    sockdir = PG_RUN
    if len(str(sockdir)) > 90:  # unix socket paths are limited to ~107 bytes
        sockdir = Path(tempfile.gettempdir()) / f"shouwen-pgrun-{os.getuid()}"
    logfile = PG_RUN / "postgres.log"
    for d in (PG_DATA, PG_RUN, sockdir):
        d.mkdir(parents=True, exist_ok=True)
    try:
        # initdb/postgres refuse to run as root: use the postgres account.
        runner = _postgres_runner(PG_DATA, PG_RUN, sockdir)
    except PgError as exc:
        die(f"PostgreSQL not found: {exc}")
    if runner:
        PG_DATA.chmod(0o700)
    if not (PG_DATA / "PG_VERSION").exists():
        log(f"initialising a private PostgreSQL cluster in {rel(PG_DATA)}")
        run([*runner, *_initdb_cmd(bindir, PG_DATA, user)], cwd=tempfile.gettempdir())
        allow_replication(PG_DATA)
    status = subprocess.run(
        [*runner, str(bindir / "pg_ctl"), "-D", str(PG_DATA), "status"],
        capture_output=True,
        cwd=tempfile.gettempdir(),
    )
    if status.returncode != 0:
        proc = run(
            [
                *runner,
                *_pg_ctl_start_cmd(bindir, PG_DATA, logfile, PRIVATE_PG_PORT, sockdir),
            ],
            check=False,
            cwd=tempfile.gettempdir(),
        )
        if proc.returncode:
            tail = (
                logfile.read_text(errors="replace")[-2000:] if logfile.exists() else ""
            )
            die(f"PostgreSQL not found: the private cluster did not start\n{tail}")
    return Pg(
        "127.0.0.1", PRIVATE_PG_PORT, user, None, f"private cluster {rel(PG_DATA)}"
    )


# A throw-away primary and its streaming replica (tests/test_replica.py):
# the same PostgreSQL binaries as start_private_pg, in directories of the
# caller's choosing, errors raised as PgError (never sys.exit).  The system
# server's configuration is never touched.


def _pg_tool(cmd: list, timeout: float, what: str, logfile: Path | None = None):
    log("$ " + " ".join(str(c) for c in cmd))
    try:
        proc = subprocess.run(
            [str(c) for c in cmd],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=tempfile.gettempdir(),
        )
    except subprocess.TimeoutExpired as exc:
        raise PgError(f"{what}: no answer within {timeout}s") from exc
    if proc.returncode:
        tail = ""
        if logfile and Path(logfile).exists():
            tail = Path(logfile).read_text(errors="replace")[-2000:]
        raise PgError(
            f"{what} failed ({proc.returncode}):\n{proc.stdout[-1000:]}"
            f"{proc.stderr[-2000:]}{tail}"
        )
    return proc


def _server_bindir() -> Path:
    bindir = _pg_bindir()
    if not bindir or not (bindir / "pg_basebackup").exists():
        raise PgError(
            "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not"
            " installed (e.g. apt-get install postgresql)"
        )
    return bindir


def _private_dirs(*dirs: Path) -> list[str]:
    for d in dirs:
        Path(d).mkdir(parents=True, exist_ok=True)
    runner = _postgres_runner(*dirs)
    for d in dirs:
        Path(d).chmod(0o700)
    return runner


def start_private_primary(
    datadir: Path,
    port: int,
    user: str,
    rundir: Path,
    *,
    timeout: float = 120,
    throwaway: bool = False,
) -> Pg:
    """Initialise (if empty) and start a private cluster in ``datadir`` on
    127.0.0.1:``port``, its unix socket and log (``postgres.log``) in
    ``rundir``, superuser ``user`` with trust authentication, replication
    from 127.0.0.1 allowed.  ``datadir``'s parent must be reachable by the
    ``postgres`` account when running as root.  ``throwaway``: never waits
    for the disk (fsync off), for a cluster that a crash may lose."""
    bindir = _server_bindir()
    datadir, rundir = Path(datadir), Path(rundir)
    runner = _private_dirs(datadir, rundir)
    if not (datadir / "PG_VERSION").exists():
        sync = ["--no-sync"] if throwaway else []
        _pg_tool(
            [*runner, *_initdb_cmd(bindir, datadir, user), *sync], timeout, "initdb"
        )
        allow_replication(datadir)
    logfile = rundir / "postgres.log"
    _pg_tool(
        [
            *runner,
            *_pg_ctl_start_cmd(
                bindir, datadir, logfile, port, rundir, int(timeout), throwaway
            ),
        ],
        timeout + 10,
        f"starting the private cluster {datadir}",
        logfile,
    )
    return Pg("127.0.0.1", port, user, None, f"private primary {datadir}")


def start_private_replica(
    primary_datadir: Path,
    primary_port: int,
    replica_datadir: Path,
    replica_port: int,
    *,
    user: str,
    rundir: Path,
    timeout: float = 120,
    throwaway: bool = False,
) -> Pg:
    """Copy the running private primary (``primary_datadir``, on
    127.0.0.1:``primary_port``) with ``pg_basebackup -R`` into
    ``replica_datadir`` and start it there as a hot standby streaming from
    the primary, on 127.0.0.1:``replica_port`` (socket and log
    ``replica.log`` in ``rundir``).  Returns once it accepts connections;
    see :func:`wait_for_replica` for catching up.  ``throwaway``: as for
    :func:`start_private_primary`."""
    bindir = _server_bindir()
    replica_datadir, rundir = Path(replica_datadir), Path(rundir)
    runner = _private_dirs(replica_datadir, rundir)
    if any(replica_datadir.iterdir()):
        raise PgError(f"{replica_datadir} is not empty")
    if allow_replication(primary_datadir):
        _pg_tool(
            [*runner, bindir / "pg_ctl", "-D", primary_datadir, "reload"],
            timeout,
            "reloading the primary's pg_hba.conf",
        )
    _pg_tool(
        [
            *runner,
            bindir / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            primary_port,
            "-U",
            user,
            "-D",
            replica_datadir,
            "-R",  # standby.signal + primary_conninfo: a streaming replica
            "-X",
            "stream",
            "-c",
            "fast",
            *(["--no-sync"] if throwaway else []),
        ],
        timeout,
        "pg_basebackup",
    )
    logfile = rundir / "replica.log"
    _pg_tool(
        [
            *runner,
            *_pg_ctl_start_cmd(
                bindir,
                replica_datadir,
                logfile,
                replica_port,
                rundir,
                int(timeout),
                throwaway,
            ),
        ],
        timeout + 10,
        f"starting the replica {replica_datadir}",
        logfile,
    )
    return Pg("127.0.0.1", replica_port, user, None, f"replica {replica_datadir}")


def wait_for_replica(primary: Pg, replica: Pg, timeout: float = 60) -> None:
    """Wait until ``replica`` is in recovery, streams from ``primary`` and
    has replayed everything ``primary`` had written when called."""
    (lsn,) = primary.query("SELECT pg_current_wal_lsn()")[0]
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = replica.query(
            "SELECT pg_is_in_recovery(),"
            " (SELECT status FROM pg_stat_wal_receiver),"
            " pg_last_wal_replay_lsn() >= %s::pg_lsn",
            [lsn],
        )[0]
        if state == (True, "streaming", True):
            return
        time.sleep(0.2)
    raise PgError(
        f"the replica did not catch up with {lsn} within {timeout}s"
        f" (in recovery, receiver, replayed: {state})"
    )


def stop_private_cluster(datadir: Path, timeout: float = 60) -> None:
    """``pg_ctl stop -m fast`` on the private cluster of ``datadir`` (then
    ``-m immediate`` if it does not stop); nothing if it does not run."""
    bindir = _pg_bindir()
    datadir = Path(datadir)
    if not bindir or not (datadir / "postmaster.pid").exists():
        return
    runner = _postgres_runner()
    for mode in ("fast", "immediate"):
        try:
            _pg_tool(
                [
                    *runner,
                    bindir / "pg_ctl",
                    "-D",
                    datadir,
                    "-w",
                    "-t",
                    int(timeout),
                    "-m",
                    mode,
                    "stop",
                ],
                timeout + 10,
                f"stopping {datadir}",
            )
            return
        except PgError as exc:
            log(str(exc))


def remove_private_clusters(*datadirs: Path, root: Path | None = None) -> None:
    """Stop the private clusters of ``datadirs`` (replicas first) and remove
    ``root`` (their common temporary directory) or else the ``datadirs``."""
    for datadir in datadirs:
        stop_private_cluster(datadir)
    for path in [root] if root else datadirs:
        shutil.rmtree(path, ignore_errors=True)


def _socket_candidates() -> list[tuple[str | None, int | None]]:
    out: list[tuple[str | None, int | None]] = [(None, None)]
    for d in ("/var/run/postgresql", "/run/postgresql", "/tmp"):
        for sock in sorted(glob.glob(os.path.join(d, ".s.PGSQL.*"))):
            if sock.endswith(".lock"):
                continue
            port = int(sock.rsplit(".", 1)[1])
            if (d, port) not in out:
                out.append((d, port))
    return out


def ensure_postgres() -> Pg:
    user = _default_db_user()
    password = os.environ.get("PGPASSWORD")
    errors: list[str] = []
    if os.environ.get("DEVENV_PG") == "private":
        return start_private_pg(user)
    env_host, env_port = os.environ.get("PGHOST"), os.environ.get("PGPORT")
    if env_host or env_port:
        candidates = [
            (env_host, int(env_port) if env_port else None, "PG* environment")
        ]
    else:
        candidates = [(h, p, "unix socket") for h, p in _socket_candidates()]
        candidates.append(("127.0.0.1", 5432, "TCP"))
        if (PG_DATA / "PG_VERSION").exists():
            candidates.append(("127.0.0.1", PRIVATE_PG_PORT, "private cluster"))
    seen_not_answering = True
    for host, port, origin in candidates:
        pg = _try_server(Pg(host, port, user, password, origin), errors)
        if pg:
            return pg
        seen_not_answering = seen_not_answering and "not answering" in errors[-1]
    if env_host or env_port:
        die(
            "PostgreSQL not found at the server given by PG* variables:\n  "
            + "\n  ".join(errors)
        )
    if not seen_not_answering:
        die("PostgreSQL answers but cannot be used:\n  " + "\n  ".join(errors))
    log("no PostgreSQL server answers: " + "; ".join(errors))
    return start_private_pg(user)


# ----------------------------------------------------------------- odoo.conf
def odoo_addons_dirs(odoo_file: str) -> list[Path]:
    pkg = Path(odoo_file).resolve().parent
    dirs = [pkg / "addons"]
    if (pkg.parent / "addons").is_dir():
        dirs.append(pkg.parent / "addons")
    return dirs


def trail_key() -> str:
    """The checkout's key of the log's hash chain, created at first use."""
    if not TRAIL_KEY.exists():
        TRAIL_KEY.parent.mkdir(parents=True, exist_ok=True)
        TRAIL_KEY.write_text(secrets.token_hex(32) + "\n")
        TRAIL_KEY.chmod(0o600)
    return TRAIL_KEY.read_text().strip()


def write_conf(path: Path, odoo_info: dict, pg: Pg, **overrides) -> Path:
    def fmt(value):
        return "False" if value is None or value is False or value == "" else str(value)

    options = {
        "addons_path": ",".join(
            str(p) for p in [ROOT, *odoo_addons_dirs(odoo_info["file"])]
        ),
        "data_dir": DATA_DIR,
        "db_host": pg.host,
        "db_port": pg.port,
        "db_user": pg.user,
        "db_password": pg.password,
        "http_interface": "127.0.0.1",
        "http_port": RUN_PORT,
        "without_demo": False,
        "list_db": False,
        "proxy_mode": False,
        "max_cron_threads": 1,
        "shouwen_trail_key": trail_key(),
    }
    options.update(overrides)
    text = (
        "; generated by scripts/devenv.py - do not edit, it is rewritten\n[options]\n"
    )
    text += "".join(f"{k} = {fmt(v)}\n" for k, v in options.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# ----------------------------------------------------------------------- setup
class Ctx:
    def __init__(self, odoo_info, pg, chrome):
        self.odoo = odoo_info
        self.pg = pg
        self.chrome = chrome


def setup(require_chrome: bool = True) -> Ctx:
    odoo_info = ensure_python()
    ensure_tools()
    ensure_oca_addons()
    chrome = ensure_chrome(required=require_chrome)
    wkhtmltopdf = ensure_pdf_tools(required=require_chrome)
    pg = ensure_postgres()
    write_conf(CONF, odoo_info, pg)
    log(f"python   : {sys.executable} ({sys.version.split()[0]})")
    log(f"odoo     : {odoo_info['version']} from {Path(odoo_info['file']).parent}")
    log(f"postgres : {pg}")
    log(f"chrome   : {chrome or 'NOT FOUND'}")
    log(f"pdf      : {wkhtmltopdf or 'wkhtmltopdf or CJK font NOT FOUND'}")
    log(f"config   : {rel(CONF)}")
    return Ctx(odoo_info, pg, chrome)


def odoo_cmd(conf: Path, *args) -> list[str]:
    return [sys.executable, "-m", "odoo", "-c", str(conf), *map(str, args)]


def check_odoo_log(logfile: Path) -> tuple[bool, str]:
    """Whether an Odoo log passes the rules of checklog-odoo.cfg, and
    checklog-odoo's report: the records that failed, and the warnings that
    did not."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "checklog_odoo",
            f"--config={CHECKLOG_CFG}",
            "--no-echo",
            str(logfile),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def install_addon(conf: Path, pg: Pg, db: str, logname: str) -> None:
    """Create `db` with the addon (+ demo data, zh_CN); fail on any load error."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    logfile = LOG_DIR / logname
    cmd = odoo_cmd(
        conf,
        "-d",
        db,
        "-i",
        ADDON,
        f"--load-language={LANG}",
        "--stop-after-init",
        f"--http-port={free_port()}",
        "--max-cron-threads=0",
    )
    log(f"installing {ADDON} into {db} (log: {rel(logfile)}) ...")
    started = time.monotonic()
    with open(logfile, "w") as fh:
        proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
    elapsed = time.monotonic() - started
    log_ok, report = check_odoo_log(logfile)
    if report:
        shown = report[-CHECKLOG_SHOWN:]
        print(shown, file=sys.stderr if not log_ok else sys.stdout)
        if len(shown) < len(report):
            log(f"... checklog-odoo's report is cut: the full log is {rel(logfile)}")
    state = module_state(pg, db)
    if proc.returncode or not log_ok or state != "installed":
        die(
            f"installing {ADDON} into {db} failed (exit status {proc.returncode},"
            f" log {'clean' if log_ok else 'refused by ' + rel(CHECKLOG_CFG)},"
            f" module state {state!r}); full log: {rel(logfile)}"
        )
    log(f"installed {ADDON} into {db} in {elapsed:.0f}s (log checked by checklog-odoo)")


# ------------------------------------------------------------------- commands
def cmd_setup(_args) -> int:
    setup(require_chrome=True)
    log("setup OK")
    return 0


def module_state(pg: Pg, db: str) -> str | None:
    if not pg.db_exists(db):
        return None
    try:
        rows = pg.query(
            "SELECT state FROM ir_module_module WHERE name = %s", [ADDON], dbname=db
        )
    except Exception:
        return "broken"
    return rows[0][0] if rows else "absent"


# crons that phone home (publisher warranty, IAP partner autocomplete sync)
NEUTRALIZE_CRONS = """
UPDATE ir_cron SET active = false
 WHERE active
   AND (id IN (SELECT res_id FROM ir_model_data
                WHERE model = 'ir.cron' AND module = 'mail'
                  AND name = 'ir_cron_module_update_notification')
        OR ir_actions_server_id IN (
               SELECT s.id FROM ir_act_server s JOIN ir_model m ON m.id = s.model_id
                WHERE m.model IN ('publisher_warranty.contract',
                                  'res.partner.autocomplete.sync')))
RETURNING cron_name
"""


def cmd_run(args) -> int:
    ctx = setup(require_chrome=False)
    pg = ctx.pg
    if port_in_use(RUN_PORT):
        die(f"port {RUN_PORT} on 127.0.0.1 is already in use (another Odoo running?)")
    state = module_state(pg, DEMO_DB)
    if state != "installed":
        if state is not None:
            log(f"database {DEMO_DB} exists but {ADDON} is {state!r}: recreating it")
            pg.drop_db(DEMO_DB)
        install_addon(CONF, pg, DEMO_DB, f"install-{DEMO_DB}.log")
    for (name,) in pg.query(NEUTRALIZE_CRONS, dbname=DEMO_DB):
        log(f"deactivated cron calling outside: {name}")
    logins = ROOT / ADDON / "demo" / "LOGINS.md"
    print()
    print(f"  Odoo (database {DEMO_DB}): http://127.0.0.1:{RUN_PORT}/web/login")
    print()
    print(logins.read_text() if logins.exists() else "  demo logins: see README")
    print(flush=True)
    cmd = odoo_cmd(
        CONF,
        "-d",
        DEMO_DB,
        f"--db-filter=^{DEMO_DB}$",
        "--http-interface=127.0.0.1",
        f"--http-port={RUN_PORT}",
        *args,
    )
    log("$ " + " ".join(cmd))
    os.chdir(ROOT)
    os.execv(sys.executable, cmd)
    return 1


def warm_up_chrome(chrome: str) -> None:
    """Start Chromium once before the browser tests: its first start on a cold
    machine (binary and fonts not yet in memory) can outlast the tests' wait
    for it.  A failure here is only logged: the tests say what is wrong."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="shouwen-chrome-") as profile:
        try:
            subprocess.run(
                [
                    chrome,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--user-data-dir={profile}",
                    "--dump-dom",
                    "about:blank",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            log(f"chrome warm-up failed ({error}); the browser tests may be slow")
            return
    log(f"chrome warmed up in {time.monotonic() - started:.1f}s")


def cmd_test(args) -> int:
    ctx = setup(require_chrome=True)
    test_port = free_port()
    write_conf(TEST_CONF, ctx.odoo, ctx.pg, http_port=test_port, max_cron_threads=0)
    log(f"dropping and recreating database {TEST_DB}")
    ctx.pg.drop_db(TEST_DB)
    install_addon(TEST_CONF, ctx.pg, TEST_DB, f"install-{TEST_DB}.log")
    warm_up_chrome(ctx.chrome)
    paths = [p for p in (f"{ADDON}/tests", "tests") if (ROOT / p).is_dir()]
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        f"--odoo-config={rel(TEST_CONF)}",
        f"--odoo-database={TEST_DB}",
        "--odoo-http",
        "-p",
        "no:cacheprovider",
        *paths,
        *args,
    ]
    log("$ " + " ".join(cmd))
    sys.stdout.flush()
    return subprocess.call(cmd, cwd=ROOT)


def lint_venv() -> Path:
    """The scripts folder of a virtualenv with OCA's pre-commit checks
    (requirements-lint.txt), made, or brought up to date when that file
    changed.  Not the interpreter of Odoo: the checks pin polib 1.2, Odoo 18
    pins 1.1.1."""
    bindir = LINT_VENV / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    stamp = LINT_VENV / REQ_LINT.name
    wanted = REQ_LINT.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return bindir
    if not python.exists():
        proc = run([sys.executable, "-m", "venv", LINT_VENV], check=False)
        if proc.returncode:
            die(
                f"could not create {rel(LINT_VENV)}"
                " (Debian/Ubuntu: apt-get install python3-venv)"
            )
    run([python, "-m", "pip", "install", "--disable-pip-version-check", "-r", REQ_LINT])
    stamp.write_text(wanted)
    return bindir


def cmd_lint(_args) -> int:
    ensure_tools()
    oca = lint_venv()
    failed = []
    steps = [
        ("ruff check", [sys.executable, "-m", "ruff", "check", "."]),
        ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", "."]),
    ]
    addon = ROOT / ADDON
    # OCA's pre-commit checks (XML, CSV, manifest, translations); what they
    # leave out is said in .oca_hooks.cfg
    steps.append(
        (
            "oca-checks-odoo-module",
            [oca / "oca-checks-odoo-module", f"--config={OCA_HOOKS_CFG}", ADDON],
        )
    )
    po_files = sorted(str(p.relative_to(ROOT)) for p in addon.glob("i18n/*.po*"))
    steps.append(
        (
            "oca-checks-po",
            [oca / "oca-checks-po", f"--config={OCA_HOOKS_CFG}", *po_files],
        )
    )
    if addon.is_dir() and any(addon.rglob("*.py")):
        for rc in (".pylintrc-mandatory", ".pylintrc"):
            steps.append(
                (
                    f"pylint ({rc})",
                    [
                        sys.executable,
                        "-m",
                        "pylint",
                        f"--rcfile={rc}",
                        # names of checks pylint-odoo>=10 moved to
                        # odoo-pre-commit-hooks stay in OCA's rc files
                        "--disable=unknown-option-value",
                        "--output-format=colorized"
                        if sys.stdout.isatty()
                        else "--output-format=text",
                        ADDON,
                    ],
                )
            )
    else:
        log(f"no python files in {ADDON}/: pylint skipped")
    for name, cmd in steps:
        log("$ " + " ".join(str(c) for c in cmd))
        if subprocess.call([str(c) for c in cmd], cwd=ROOT):
            failed.append(name)
    if failed:
        die("lint failed: " + ", ".join(failed))
    log("lint OK")
    return 0


def cmd_wheel(_args) -> int:
    """Build the addon's wheel (whool, the addon's pyproject.toml) into
    .local/dist/: what `pip install ./shouwen_responsibility` installs."""
    ensure_tools()
    DIST.mkdir(parents=True, exist_ok=True)
    for old in DIST.glob("*.whl"):
        old.unlink()
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--disable-pip-version-check",
            "--no-deps",
            # the whool of requirements-dev.txt, already installed
            "--no-build-isolation",
            f"--wheel-dir={DIST}",
            ROOT / ADDON,
        ],
        cwd=ROOT,
    )
    for wheel in DIST.glob("*.whl"):
        log(f"built {rel(wheel)}")
    return 0


def cmd_bench(args) -> int:
    """The performance benchmark (issue 7) in its own database shouwen_bench,
    with the peer OCA helpdesk addons of requirements-bench.txt."""
    if any(arg in ("-h", "--help") for arg in args):
        return subprocess.call([sys.executable, ROOT / "scripts" / "bench.py", "-h"])
    ctx = setup(require_chrome=False)
    ensure_oca_addons(REQ_BENCH)
    conf = write_conf(
        BENCH_CONF, ctx.odoo, ctx.pg, http_port=free_port(), max_cron_threads=0
    )
    cmd = [sys.executable, ROOT / "scripts" / "bench.py", "-c", rel(conf), *args]
    log("$ " + " ".join(str(c) for c in cmd))
    sys.stdout.flush()
    return subprocess.call([str(c) for c in cmd], cwd=ROOT)


COMMANDS = {
    "setup": cmd_setup,
    "run": cmd_run,
    "test": cmd_test,
    "lint": cmd_lint,
    "wheel": cmd_wheel,
    "bench": cmd_bench,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help") or argv[0] not in COMMANDS:
        print(__doc__)
        return 0 if argv and argv[0] in ("-h", "--help", "help") else 2
    if sys.version_info < (3, 10):  # noqa: UP036 - friendly message on old pythons
        die("Python 3.10+ is required")
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
