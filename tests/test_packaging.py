"""The addon installs like an OCA addon (issue 23).

whool builds its wheel from ``shouwen_responsibility/pyproject.toml`` (as
``pip install ./shouwen_responsibility`` does); the wheel is named and
versioned after the manifest, declares Odoo 18, OCA's base_tier_validation
and chinese-calendar, holds every file of the addon, and installs with its
requirements into a folder of its own, from which Odoo installs the addon into
a fresh database.  Odoo itself is on no package registry here: it is the one
the tests run on, and the requirement on it is checked in the metadata.
"""

import ast
import configparser
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import DEFAULT_CONF, DEFAULT_DB, LOG_DIR, REPO_ROOT, free_port

ADDON = "shouwen_responsibility"
ADDON_DIR = REPO_ROOT / ADDON
DIST_NAME = "odoo-addon-shouwen_responsibility"
REQ_DEV = REPO_ROOT / "requirements-dev.txt"
REQ_OCA = REPO_ROOT / "requirements-oca.txt"
CHECKLOG_CFG = REPO_ROOT / "checklog-odoo.cfg"
#: the addon's files inside the wheel
PREFIX = f"odoo/addons/{ADDON}/"
#: seconds a pip step may take; seconds Odoo may take to install the addon
PIP_TIMEOUT = 300
INSTALL_TIMEOUT = 1200


def _manifest() -> dict:
    return ast.literal_eval((ADDON_DIR / "__manifest__.py").read_text("utf-8"))


def _pins(path: Path) -> dict[str, Requirement]:
    pins = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            pins[canonicalize_name(req.name)] = req
    return pins


def _pinned_version(req: Requirement) -> Version:
    (spec,) = req.specifier
    assert spec.operator == "==", f"{req} is not pinned"
    return Version(spec.version)


def _metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return HeaderParser().parsestr(archive.read(name).decode("utf-8"))


def _requires(wheel: Path) -> dict[str, Requirement]:
    requires = [Requirement(r) for r in _metadata(wheel).get_all("Requires-Dist")]
    return {canonicalize_name(req.name): req for req in requires}


def _run(cmd, timeout=PIP_TIMEOUT, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kw
    )
    assert proc.returncode == 0, (
        f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
        + (proc.stdout + proc.stderr)[-4000:]
    )
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The addon's wheel, built as ``make wheel`` builds it (the whool of
    requirements-dev.txt)."""
    dist = tmp_path_factory.mktemp("dist")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            f"--wheel-dir={dist}",
            ADDON_DIR,
        ],
        cwd=REPO_ROOT,
    )
    wheels = sorted(dist.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_the_wheel_is_named_and_versioned_after_the_manifest(wheel):
    metadata = _metadata(wheel)
    assert metadata["Name"] == DIST_NAME
    # the manifest's version, with whool's count of the commits made since it
    # last changed (OCA's ".N"), so that every commit installs as an upgrade
    manifest_version = _manifest()["version"]
    version = Version(metadata["Version"])
    release = ".".join(map(str, version.release))
    assert release == manifest_version or (
        release.startswith(manifest_version + ".")
        and len(version.release) == len(manifest_version.split(".")) + 1
    ), (version, manifest_version)
    assert not (version.pre or version.dev or version.local)
    assert wheel.name == f"odoo_addon_{ADDON}-{version}-py3-none-any.whl"
    assert metadata["License"] == _manifest()["license"]


def test_the_wheel_requires_odoo_18_the_oca_addon_and_chinese_calendar(wheel):
    requires = _requires(wheel)
    assert set(requires) == {
        "odoo",
        "odoo-addon-base-tier-validation",
        "chinese-calendar",
    }, requires
    assert all(req.marker is None and not req.extras for req in requires.values())
    assert requires["odoo"].specifier == SpecifierSet("==18.0.*")
    tier = requires["odoo-addon-base-tier-validation"]
    assert tier.specifier == SpecifierSet("==18.0.*")
    # the version the tests run with satisfies it
    assert _pinned_version(_pins(REQ_OCA)[canonicalize_name(tier.name)]) in (
        tier.specifier
    )
    # chinese-calendar pinned as the tests run it (its holiday tables are
    # per release: a newer one may know another year's holidays)
    calendar = requires["chinese-calendar"]
    assert calendar.specifier == _pins(REQ_DEV)["chinese-calendar"].specifier
    assert _metadata(wheel)["Requires-Python"] == ">=3.10"


def _tracked_files() -> set[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z"],
        cwd=ADDON_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return {name for name in out.split("\0") if name}


def test_the_wheel_holds_every_file_of_the_addon_and_nothing_else(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    inside = {n[len(PREFIX) :] for n in names if n.startswith(PREFIX)}
    others = {n for n in names if not n.startswith(PREFIX)}
    # every file under version control, none of the working tree's leftovers
    # (.pyc, caches); pyproject.toml only builds the wheel
    assert inside == _tracked_files() - {"pyproject.toml"}
    assert not [n for n in inside if "__pycache__" in n or n.endswith(".pyc")]
    assert {Path(n).name for n in others} == {
        "METADATA",
        "WHEEL",
        "RECORD",
        "top_level.txt",
    }, others
    manifest = _manifest()
    for name in [*manifest["data"], *manifest["demo"]]:
        assert name in inside, f"{name} (named in the manifest) is not in the wheel"
    for name in (
        "__init__.py",
        "__manifest__.py",
        "i18n/zh_CN.po",
        "i18n/shouwen_responsibility.pot",
        "static/description/icon.png",
        "security/ir.model.access.csv",
        "README.rst",
    ):
        assert name in inside, f"{name} is not in the wheel"
    for bundle, globs in manifest["assets"].items():
        for pattern in globs:
            assert any(Path(f"{ADDON}/{name}").match(pattern) for name in inside), (
                f"{pattern} ({bundle}) matches no file of the wheel"
            )


# --------------------------------------------------------------- installing
def _conf(request) -> tuple[Path, configparser.SectionProxy]:
    option = request.config.getoption("--odoo-config", default=None)
    path = Path(option or os.environ.get("ODOO_RC") or DEFAULT_CONF)
    if not path.is_absolute():
        path = Path(request.config.invocation_params.dir) / path
    assert path.exists(), f"odoo config {path} not found: run `make test`"
    parser = configparser.RawConfigParser()
    parser.read(path)
    return path, parser["options"]


def _connect(options, dbname):
    import psycopg2

    def value(key):
        found = options.get(key)
        return None if found in (None, "", "False") else found

    kw = {"dbname": dbname, "user": value("db_user"), "connect_timeout": 10}
    for key, name in (("db_host", "host"), ("db_port", "port")):
        if value(key):
            kw[name] = value(key)
    if value("db_password"):
        kw["password"] = value("db_password")
    conn = psycopg2.connect(**kw)
    conn.autocommit = True
    return conn


def _drop(options, dbname) -> None:
    from psycopg2 import sql

    conn = _connect(options, "postgres")
    try:
        with conn.cursor() as cr:
            cr.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(dbname)
                )
            )
    finally:
        conn.close()
    shutil.rmtree(Path(options["data_dir"]) / "filestore" / dbname, ignore_errors=True)


PROBE = """
import sys
import chinese_calendar
from odoo.tools import config
from odoo.modules import module

config.parse_config(sys.argv[1:])
module.initialize_sys_path()
print(module.get_module_path("shouwen_responsibility"))
print(module.get_module_path("base_tier_validation"))
print(chinese_calendar.__file__)
"""


def test_the_wheel_installs_into_a_fresh_odoo_database(wheel, tmp_path, request):
    conf, options = _conf(request)
    target = tmp_path / "site-packages"
    pip = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check"]
    # the wheel and what it requires but Odoo, from PyPI (OCA's addon at the
    # version the tests run with), in one go: a second `pip install --target`
    # would not add to the odoo/addons/ folder the first one made
    wanted = [str(req) for name, req in _requires(wheel).items() if name != "odoo"]
    _run(
        [
            *pip,
            "--no-deps",
            f"--target={target}",
            f"--constraint={REQ_OCA}",
            wheel,
            *wanted,
        ]
    )
    addons = target / "odoo" / "addons"
    assert (addons / ADDON / "__manifest__.py").is_file()
    # the tests' addons path, with this folder instead of the repository
    addons_path = [str(addons)] + [
        entry.strip()
        for entry in options["addons_path"].split(",")
        if Path(entry.strip()).resolve() != REPO_ROOT.resolve()
    ]
    args = ["-c", str(conf), f"--addons-path={','.join(addons_path)}"]
    # a folder pip installed into with --target is put on the Python path
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(target), os.environ.get("PYTHONPATH")])
        ),
    )
    found = _run(
        [sys.executable, "-c", PROBE, *args], env=env, cwd=tmp_path
    ).stdout.splitlines()
    assert len(found) == 3, found
    assert all(
        Path(path).resolve().is_relative_to(target.resolve()) for path in found
    ), f"not everything comes from the installed wheel: {found}"

    db_option = request.config.getoption("--odoo-database", default=None)
    db = f"{db_option or DEFAULT_DB}_wheel"
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    logfile = LOG_DIR / f"install-{db}.log"
    logfile.unlink(missing_ok=True)  # Odoo appends: an earlier run's errors
    _drop(options, db)
    try:
        install = subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                *args,
                "-d",
                db,
                "-i",
                ADDON,
                "--without-demo=all",
                "--stop-after-init",
                "--max-cron-threads=0",
                f"--http-port={free_port()}",
                f"--logfile={logfile}",
            ],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
        )
        log_text = logfile.read_text(errors="replace")
        assert install.returncode == 0, (install.stdout + install.stderr + log_text)[
            -4000:
        ]
        check = subprocess.run(
            [
                sys.executable,
                "-m",
                "checklog_odoo",
                f"--config={CHECKLOG_CFG}",
                "--no-echo",
                logfile,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert check.returncode == 0, (check.stdout + check.stderr)[-4000:]
        conn = _connect(options, db)
        try:
            with conn.cursor() as cr:
                cr.execute(
                    "SELECT name, state, latest_version FROM ir_module_module"
                    " WHERE name IN %s ORDER BY name",
                    [(ADDON, "base_tier_validation")],
                )
                modules = cr.fetchall()
                cr.execute("SELECT count(*) FROM shouwen_time_policy")
                policies = cr.fetchone()[0]
        finally:
            conn.close()
    finally:
        _drop(options, db)
    manifest_version = _manifest()["version"]
    assert [(name, state) for name, state, _ in modules] == [
        ("base_tier_validation", "installed"),
        (ADDON, "installed"),
    ]
    assert dict((n, v) for n, _, v in modules)[ADDON] == manifest_version
    # the addon's data came with it (the default time policies)
    assert policies > 0
