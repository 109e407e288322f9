"""Repository-wide pytest policy.

* A skipped test is a failure here (for example an Odoo ``HttpCase`` calling
  ``skipTest`` because Chrome or websocket-client is missing): the report is
  turned into a failure whose message starts with
  "skipped tests count as failures here".
* A session that ran no test at all fails (an empty suite must not pass).

Odoo must not be imported here at module level: pytest-odoo sets it up in
``pytest_cmdline_main``, after conftest files are loaded.
"""

import pytest

SKIP_PREFIX = "skipped tests count as failures here"
_COUNTER = pytest.StashKey["_RunCounter"]()


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _fail_skipped(report) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        report.longrepr = f"{SKIP_PREFIX}: {_skip_reason(report)}"
        report.outcome = "failed"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skipped(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    # module-level pytest.skip()/importorskip() hide whole files
    outcome = yield
    _fail_skipped(outcome.get_result())


class _RunCounter:
    """Counts test bodies that actually ran (the "call" phase)."""

    def __init__(self):
        self.executed = 0

    def pytest_runtest_logreport(self, report):
        if report.when == "call":
            self.executed += 1


#: how long Odoo's browser tests wait for Chromium's DevTools port, in tenths
#: of a second (Odoo's own 10 s is too short for a cold Chromium on a busy
#: two-core machine: the tour is then skipped, which fails here)
CHROME_START_TICKS = 600


def pytest_sessionstart(session):
    try:
        from odoo.tests import common
    except ImportError:  # pytest-odoo not in use: no browser tests
        return
    common.CHECK_BROWSER_ITERATIONS = max(
        common.CHECK_BROWSER_ITERATIONS, CHROME_START_TICKS
    )


def pytest_configure(config):
    counter = _RunCounter()
    config.stash[_COUNTER] = counter
    config.pluginmanager.register(counter, "shouwen-run-counter")


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if config.option.collectonly or exitstatus not in (
        pytest.ExitCode.OK,
        pytest.ExitCode.NO_TESTS_COLLECTED,
    ):
        return
    if session.testscollected == 0 or config.stash[_COUNTER].executed == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        msg = "no test was run: an empty test suite counts as a failure here"
        if reporter is not None:
            reporter.write_line(msg, red=True, bold=True)
        else:
            print(msg)
