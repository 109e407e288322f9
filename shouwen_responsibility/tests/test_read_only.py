# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reads never write (#22): Odoo 18 serves a read over RPC (``@api.readonly``
methods such as ``web_search_read``, ``web_read``, ``read_group``, the work
queue's counts, the chatter's data, ``/report/html``) on a read-only cursor,
or on the replica when ``db_replica_host`` is set.  A read that writes fails
there; Odoo then rolls back and runs it again read/write, with a warning
"retrying with a read/write cursor".  In tests (HttpCase) those reads run on
a read-only transaction too, so walking the staff's pages in a real browser
and counting that warning shows which page would need the primary."""

import logging
from contextlib import contextmanager
from unittest.mock import patch

from odoo import api
from odoo.tests import HttpCase, tagged

RETRY = "retrying with a read/write cursor"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@tagged("post_install", "-at_install")
class TestReadOnly(HttpCase):
    """The demo's pages, as the demo's roles, on read-only transactions."""

    @contextmanager
    def _retries(self):
        """The "retrying with a read/write cursor" warnings logged inside."""
        handler = _Collect()
        logger = logging.getLogger("odoo.http")
        level = logger.level  # the test runner may have muted it
        logger.setLevel(logging.WARNING)
        logger.addHandler(handler)
        retries = []
        try:
            yield retries
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            retries.extend(m for m in handler.messages if RETRY in m)

    def _page(self, url, login):
        self.start_tour(url, "shouwen_read_only_page", login=login)

    def _matter_of(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        return (
            self.env["shouwen.matter"]
            .with_user(user)
            .search(
                [
                    ("first_responsible_id", "=", user.id),
                    ("customer_phone", "!=", False),
                ],
                limit=1,
            )
        )

    def test_the_staff_pages_read_without_writing(self):
        """The work queue, a list, a form with its chatter (with the clear
        phone, whose view is recorded after the read), the figures and the
        monthly report are read as front line, city supervisor and inspector
        without a single write in a read's transaction."""
        matter = self._matter_of("zz01_staff1")
        self.assertTrue(matter, "the demo has a matter of zz01_staff1 with a phone")
        unit = self.env.ref("shouwen_responsibility.unit_zz_demo")
        with self._retries() as retries:
            self._page("/odoo", "zz01_staff1")
            self._page(
                f"/odoo/action-shouwen_responsibility.shouwen_matter_action/{matter.id}",
                "zz01_staff1",
            )
            self._page(
                "/odoo/action-shouwen_responsibility.shouwen_matter_action",
                "zz_manager",
            )
            self._page(
                "/odoo/action-shouwen_responsibility.shouwen_matter_report_action",
                "zz_manager",
            )
            self._page(
                f"/odoo/action-shouwen_responsibility.shouwen_matter_action/{matter.id}",
                "hn_inspector",
            )
            self.authenticate("zz_manager", "zz_manager")
            report = self.url_open(
                f"/report/html/shouwen_responsibility.report_unit_monthly/{unit.id}"
            )
        self.assertEqual(report.status_code, 200)
        self.assertIn(unit.name, report.text)
        self.assertEqual(retries, [], "a read wrote and was run again on the primary")

    def test_a_read_that_writes_is_caught(self):
        """The check above can fail: a work queue whose read writes is run
        again on the primary, and the warning is counted."""
        Matter = type(self.env["shouwen.matter"])
        original = Matter.get_work_queue

        @api.readonly
        def writing(self, scope=False):
            self.env.cr.execute(
                "UPDATE res_users SET write_date = write_date WHERE id = %s",
                [self.env.uid],
            )
            return original(self, scope)

        with (
            patch.object(Matter, "get_work_queue", writing),
            self._retries() as retries,
        ):
            self._page("/odoo", "zz01_staff1")
        self.assertEqual(len(retries), 1, retries)
