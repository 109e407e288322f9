# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Stale writes: every change a person makes to a matter gives it a new
version; a save based on an older version is refused and changes nothing.
The clock's own bookkeeping (deadlines, reminders, escalations) is not a
person's change: it never makes a form open elsewhere stale.

The matters of the clock tests are registered on Monday 15 September 2025 at
10:00 in Shanghai and handled at once (business policy, 3 working days): first
reminder Wednesday 17 September 09:30, deadline and first rung of the ladder
Thursday 18 September 17:30."""

import threading
import time
from datetime import timedelta
from functools import partial
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import STAFF, ShouwenCase, ShouwenClockCase, shanghai

STALE = "This matter was changed by someone else; reload and try again"
STALE_ZH = "该事项已被他人修改，请刷新后重试"

#: what the race tests commit, found again by these keys to be deleted
FOLLOWUP_LOGGER = "odoo.addons.shouwen_responsibility.models.shouwen_matter_followup"
RACE_UNIT_CODES = ("SWRACE", "SWRACE-A", "SWRACE-A1")
RACE_LOGINS = ("sw_race_responsible", "sw_race_handler")

REGISTERED = shanghai(2025, 9, 15, 10, 0)
FIRST_REMINDER = shanghai(2025, 9, 17, 9, 30)
DEADLINE = shanghai(2025, 9, 18, 17, 30)


def current_version(matter):
    """The version of ``matter`` as the database holds it."""
    matter.invalidate_recordset(["version"])
    return matter.sudo().version


@tagged("post_install", "-at_install")
class TestStaleWrites(ShouwenCase):
    def test_save_based_on_the_current_version_passes_and_bumps_it(self):
        matter = self.register(self.staff_a1)
        before = current_version(matter)
        matter.write({"description": "客户补充：已提交银行卡信息", "version": before})
        self.assertEqual(matter.description, "客户补充：已提交银行卡信息")
        self.assertEqual(current_version(matter), before + 1)

    def test_save_based_on_an_older_version_is_refused_and_changes_nothing(self):
        matter = self.register(self.staff_a1)
        read_at = current_version(matter)
        # the unit supervisor saves first, from another form
        matter.with_user(self.sup_a1).write(
            {"description": "负责人补充：客户来电两次", "version": read_at}
        )
        saved = current_version(matter)
        self.assertEqual(saved, read_at + 1)
        with self.assertRefused(matter) as catcher:
            matter.write({"description": "首问人的修改", "version": read_at})
        self.assertEqual(str(catcher.exception), STALE)
        self.assertEqual(matter.sudo().description, "负责人补充：客户来电两次")
        self.assertEqual(current_version(matter), saved)

    def test_same_person_saving_twice_from_an_old_form_is_refused(self):
        matter = self.register(self.staff_a1)
        read_at = current_version(matter)
        matter.write({"description": "第一次保存", "version": read_at})
        with self.assertRefused(matter):
            matter.write({"description": "第二次保存", "version": read_at})
        self.assertEqual(matter.sudo().description, "第一次保存")

    def test_write_without_a_version_is_accepted_and_bumps_it(self):
        """An RPC client that sends no version cannot be checked: its write
        passes, and makes every form read before it stale."""
        matter = self.register(self.staff_a1)
        read_at = current_version(matter)
        matter.write({"description": "外部接口写入"})
        self.assertEqual(matter.description, "外部接口写入")
        self.assertEqual(current_version(matter), read_at + 1)
        with self.assertRefused(matter):
            matter.write({"description": "表单保存", "version": read_at})

    def test_an_invalid_version_is_refused(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter) as catcher:
            matter.write({"description": "表单保存", "version": "abc"})
        self.assertEqual(str(catcher.exception), "Invalid matter version.")

    def test_an_action_makes_a_form_read_before_it_stale(self):
        matter = self.register(self.staff_a1)
        read_at = current_version(matter)
        matter.action_handle()
        self.assertGreater(current_version(matter), read_at)
        with self.assertRefused(matter) as catcher:
            matter.write({"description": "表单保存", "version": read_at})
        self.assertEqual(str(catcher.exception), STALE)
        # a form reloaded after the action saves
        matter.write({"description": "表单保存", "version": current_version(matter)})
        self.assertEqual(matter.description, "表单保存")

    def test_each_action_of_the_life_cycle_bumps_the_version(self):
        matter = self.register(self.staff_a1)
        versions = [current_version(matter)]
        matter.guide(self.staff_a2, note="请协助办理")
        versions.append(current_version(matter))
        matter.with_user(self.staff_a2).action_accept()
        versions.append(current_version(matter))
        matter.with_user(self.staff_a2).answer("已电话告知客户", "phone")
        versions.append(current_version(matter))
        matter.with_user(self.staff_a2).action_close()
        versions.append(current_version(matter))
        self.assertEqual(versions, sorted(set(versions)), "each action bumps")

    def test_a_refused_action_does_not_bump_the_version(self):
        matter = self.register(self.staff_a1)
        before = current_version(matter)
        with self.assertRefused(matter):
            matter.with_user(self.staff_a1b).action_handle()
        self.assertEqual(current_version(matter), before)

    def test_stale_save_is_refused_in_chinese_for_a_chinese_user(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.staff_a1.lang = "zh_CN"
        matter = self.register(self.staff_a1)
        read_at = current_version(matter)
        matter.action_handle()
        # the web client sends the user's language with every call
        as_chinese = matter.with_context(lang=self.staff_a1.lang)
        with self.assertRefused(matter) as catcher:
            as_chinese.write({"description": "表单保存", "version": read_at})
        self.assertEqual(str(catcher.exception), STALE_ZH)


@tagged("post_install", "-at_install")
class TestSystemWritesKeepTheVersion(ShouwenClockCase):
    """Writes by the system (the clock, the follow-up sweep, recomputations
    after an administrator's change) do not make users' forms fail."""

    def setUp(self):
        super().setUp()
        frozen = freeze_time(REGISTERED)
        self.frozen = frozen.start()
        self.addCleanup(frozen.stop)
        self.matter = self.register(
            self.staff_a1, kind="business", business_domain="underwriting"
        )
        self.matter.action_handle()
        self.read_at = current_version(self.matter)

    def assertFormStillSaves(self):
        self.assertEqual(current_version(self.matter), self.read_at)
        self.matter.write({"description": "表单保存", "version": self.read_at})
        self.assertEqual(self.matter.sudo().description, "表单保存")

    def test_setting_the_deadlines_does_not_bump_the_version(self):
        deadline = self.matter.closure_deadline
        self.frozen.move_to(FIRST_REMINDER)
        self.matter._set_deadlines(restart=True)
        self.assertNotEqual(self.matter.closure_deadline, deadline)
        self.assertFormStillSaves()

    def test_the_reminder_sweep_does_not_bump_the_version(self):
        self.frozen.move_to(FIRST_REMINDER)
        self.assertEqual(self.sweep(), 1)
        self.assertTrue(self.activities(self.matter, "reminder"))
        self.assertFormStillSaves()

    def test_the_escalation_sweep_does_not_bump_the_version(self):
        self.frozen.move_to(DEADLINE)
        self.sweep()
        self.assertTrue(self.matter.is_overdue)
        self.assertEqual(len(self.log_lines(self.matter, "escalate")), 1)
        self.assertFormStillSaves()

    def test_a_policy_change_recomputing_the_deadlines_does_not_bump_the_version(
        self,
    ):
        deadline = self.matter.closure_deadline
        self.policy_business.with_user(self.manager).closure_amount = 5
        self.assertGreater(self.matter.closure_deadline, deadline)
        self.assertFormStillSaves()

    def test_a_calendar_day_recomputing_the_deadlines_does_not_bump_the_version(
        self,
    ):
        deadline = self.matter.closure_deadline
        self.env["shouwen.calendar.day"].with_user(self.manager).create(
            {"date": "2025-09-17", "day_type": "holiday", "name": "测试假日"}
        )
        self.assertGreater(self.matter.closure_deadline, deadline)
        self.assertFormStillSaves()

    def test_a_chatter_note_does_not_bump_the_version(self):
        self.matter.message_post(body="已联系客户", message_type="comment")
        self.assertFormStillSaves()

    def test_stale_form_saved_after_a_sweep_is_still_refused(self):
        """The sweep does not hide a person's change either."""
        self.matter.with_user(self.sup_a1).write({"description": "负责人修改"})
        self.frozen.move_to(FIRST_REMINDER)
        self.sweep()
        with self.assertRefused(self.matter):
            self.matter.write({"description": "表单保存", "version": self.read_at})


@tagged("post_install", "-at_install")
class TestStaleWriteRace(BaseCase):
    """Real concurrency: two transactions on a matter committed for the
    purpose.  Cursor B reads the matter, cursor A saves and commits, then B
    saves what it read.  Everything committed here is deleted again by the
    superuser (who alone may delete matters and their log) when the class
    ends, and before it starts should an earlier run have been interrupted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls._purge()
        cls.addClassCleanup(cls._purge)
        with cls.registry.cursor() as cr:  # committed on exit
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            Unit = env["shouwen.unit"]
            province = Unit.create(
                {"name": "并发测试省公司", "code": "SWRACE", "level": "province"}
            )
            city = Unit.create(
                {
                    "name": "并发测试市公司",
                    "code": "SWRACE-A",
                    "level": "city",
                    "parent_id": province.id,
                }
            )
            county = Unit.create(
                {
                    "name": "并发测试支公司",
                    "code": "SWRACE-A1",
                    "level": "county",
                    "parent_id": city.id,
                }
            )
            cls.responsible_id, cls.handler_id = (
                new_test_user(
                    env,
                    login=login,
                    groups=STAFF,
                    email=f"{login}@example.com",
                    shouwen_unit_id=county.id,
                ).id
                for login in RACE_LOGINS
            )

    @classmethod
    def _purge(cls):
        """Delete the units, users and matters of this class, committed, and
        check that nothing of them is left."""
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            units = env["shouwen.unit"].search([("code", "in", RACE_UNIT_CODES)])
            matters = env["shouwen.matter"].search([("unit_id", "in", units.ids)])
            matter_ids = tuple(matters.ids) or (0,)
            # the log is append-only: deleted as a data migration would
            with env["shouwen.matter.log"]._maintenance():
                matters.log_ids.unlink()
            # handovers are never deleted through the ORM, not even as root
            cr.execute(
                "DELETE FROM shouwen_handover WHERE matter_id IN %s", [matter_ids]
            )
            # with their messages, tracking values, notification emails,
            # activities, followers and follow-up steps
            matters.unlink()
            users = env["res.users"].search([("login", "in", RACE_LOGINS)])
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            sequences = units.sequence_id
            units.unlink()
            sequences.unlink()
        with cls.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """
                    SELECT (SELECT count(*) FROM shouwen_unit WHERE code IN %(codes)s)
                      + (SELECT count(*) FROM ir_sequence WHERE prefix LIKE %(prefix)s)
                      + (SELECT count(*) FROM res_users WHERE login IN %(logins)s)
                      + (SELECT count(*) FROM res_partner WHERE email LIKE %(email)s)
                      + (SELECT count(*) FROM shouwen_matter WHERE id IN %(ids)s)
                      + (SELECT count(*) FROM shouwen_matter_log
                         WHERE matter_id IN %(ids)s)
                      + (SELECT count(*) FROM shouwen_followup
                         WHERE matter_id IN %(ids)s)
                      + (SELECT count(*) FROM mail_message
                         WHERE model = 'shouwen.matter' AND res_id IN %(ids)s)
                      + (SELECT count(*) FROM mail_activity
                         WHERE res_model = 'shouwen.matter' AND res_id IN %(ids)s)
                      + (SELECT count(*) FROM mail_followers
                         WHERE res_model = 'shouwen.matter' AND res_id IN %(ids)s)
                    """,
                    codes=RACE_UNIT_CODES,
                    logins=RACE_LOGINS,
                    prefix="SWRACE%",
                    email="sw_race%",
                    ids=matter_ids,
                )
            )
            left = cr.fetchone()[0]
        if left:
            raise AssertionError(f"{left} rows of the race tests were left behind")

    def _committed_matter(self, guided=False):
        """A matter registered by the responsible (guided to the handler when
        ``guided``), committed; returns its id."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.responsible_id, {"lang": "en_US"})
            matter = env["shouwen.matter"].create(
                {
                    "subject": "并发保存测试",
                    "description": "初始描述",
                    "kind": "consult",
                    "business_domain": "claims",
                    "customer_name": "张三",
                    "customer_phone": "13812345678",
                }
            )
            if guided:
                matter.guide(self.handler_id, note="请协助办理")
            return matter.id

    def _env(self, uid):
        """An environment on a cursor of its own, rolled back and closed at
        the end of the test."""
        cr = self.registry.cursor()

        def close():
            if not cr.closed:
                cr.rollback()
                cr.close()

        self.addCleanup(close)
        return api.Environment(cr, uid, {"lang": "en_US"})

    def _committed(self, matter_id, fname):
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT %s FROM shouwen_matter WHERE id = %s",
                    SQL.identifier(fname),
                    matter_id,
                )
            )
            return cr.fetchone()[0]

    def _log_actions(self, matter_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT action FROM shouwen_matter_log WHERE matter_id = %s "
                "ORDER BY id",
                [matter_id],
            )
            return [action for (action,) in cr.fetchall()]

    def _read_both(self, matter_id, uid_a, uid_b):
        """Cursors A and B, each having read the matter (B's snapshot is taken
        before A commits)."""
        env_a, env_b = self._env(uid_a), self._env(uid_b)
        matter_a = env_a["shouwen.matter"].browse(matter_id)
        matter_b = env_b["shouwen.matter"].browse(matter_id)
        self.assertEqual(matter_a.version, matter_b.version)
        self.assertEqual(matter_a.state, matter_b.state)
        return matter_a, matter_b

    def test_second_save_based_on_the_same_version_is_refused(self):
        matter_id = self._committed_matter()
        matter_a, matter_b = self._read_both(
            matter_id, self.responsible_id, self.responsible_id
        )
        version = matter_a.version
        matter_a.write({"description": "A 的修改", "version": version})
        matter_a.env.cr.commit()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises((UserError, SerializationFailure)),
        ):
            matter_b.write({"description": "B 的修改", "version": version})
            matter_b.env.flush_all()
        matter_b.env.cr.rollback()
        self.assertEqual(self._committed(matter_id, "description"), "A 的修改")
        self.assertEqual(self._committed(matter_id, "version"), version + 1)

    def test_second_save_over_rpc_ends_with_the_stale_message(self):
        """Over RPC a serialization failure is retried: the retry reads the
        new version and refuses the save with the message the form shows."""
        matter_id = self._committed_matter()
        matter_a, matter_b = self._read_both(
            matter_id, self.responsible_id, self.responsible_id
        )
        version = matter_a.version
        matter_a.write({"description": "A 的修改", "version": version})
        matter_a.env.cr.commit()
        save_b = partial(
            api.call_kw,
            matter_b.env["shouwen.matter"],
            "write",
            [[matter_id], {"description": "B 的修改", "version": version}],
            {},
        )
        with (
            mute_logger("odoo.sql_db", "odoo.service.model"),
            patch("odoo.service.model.time.sleep"),
            self.assertRaises(UserError) as catcher,
        ):
            retrying(save_b, matter_b.env)
        self.assertEqual(str(catcher.exception), STALE)
        self.assertEqual(self._committed(matter_id, "description"), "A 的修改")
        self.assertEqual(self._committed(matter_id, "version"), version + 1)

    def test_save_waiting_for_a_concurrent_save_is_refused_once_it_commits(self):
        """B saves while A's save holds the row: B waits for A, and is refused
        when A commits."""
        matter_id = self._committed_matter()
        matter_a, matter_b = self._read_both(
            matter_id, self.responsible_id, self.responsible_id
        )
        version = matter_a.version
        matter_a.write({"description": "A 的修改", "version": version})
        matter_a.env.flush_all()
        cr_b = matter_b.env.cr
        cr_b.execute("SELECT pg_backend_pid()")
        pid_b = cr_b.fetchone()[0]
        cr_b.execute("SET LOCAL lock_timeout = '20s'")
        errors = []

        def save_b():
            try:
                matter_b.write({"description": "B 的修改", "version": version})
                matter_b.env.flush_all()
            except Exception as error:  # reported below
                errors.append(error)

        thread = threading.Thread(target=save_b, name="shouwen-race-b")
        with mute_logger("odoo.sql_db"):
            thread.start()
            self.assertTrue(self._waits_for_a_lock(pid_b), "B did not wait for A")
            matter_a.env.cr.commit()
            thread.join(30)
        self.assertFalse(thread.is_alive())
        self.assertEqual(len(errors), 1, "B's save must be refused")
        self.assertIsInstance(errors[0], (UserError, SerializationFailure))
        cr_b.rollback()
        self.assertEqual(self._committed(matter_id, "description"), "A 的修改")
        self.assertEqual(self._committed(matter_id, "version"), version + 1)

    def _waits_for_a_lock(self, pid, timeout=15):
        deadline = time.monotonic() + timeout
        with self.registry.cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                    [pid],
                )
                if cr.fetchone()[0] == "Lock":
                    return True
                time.sleep(0.05)
        return False

    def test_two_accepts_of_the_same_matter_log_one_accept(self):
        """The handler accepts from two tabs: the second is refused, by the
        row lock or by the state it reads under it."""
        matter_id = self._committed_matter(guided=True)
        matter_a, matter_b = self._read_both(
            matter_id, self.handler_id, self.handler_id
        )
        self.assertEqual(matter_b.state, "guiding")
        matter_a.action_accept()
        matter_a.env.cr.commit()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises((UserError, SerializationFailure)),
        ):
            matter_b.action_accept()
            matter_b.env.flush_all()
        matter_b.env.cr.rollback()
        self.assertEqual(self._log_actions(matter_id), ["register", "guide", "accept"])
        self.assertEqual(self._committed(matter_id, "state"), "in_progress")

    def test_two_sweeps_at_once_escalate_and_urge_once(self):
        """Two follow-up runs overlap on an overdue matter: the one that comes
        second (its snapshot taken before the first committed) adds nothing —
        it is refused by the claim table or by the row it would rewrite."""
        matter_id = self._committed_overdue_matters(1)[0]
        sweep_a, sweep_b = self._read_both(matter_id, SUPERUSER_ID, SUPERUSER_ID)
        sweep_a._run_followups()
        sweep_a.env.cr.commit()
        after_first = self._log_actions(matter_id)
        self.assertIn("escalate", after_first)
        self.assertEqual(after_first.count("urge"), 1)
        with mute_logger("odoo.sql_db", FOLLOWUP_LOGGER):
            try:
                sweep_b._run_followups()
                sweep_b.env.flush_all()
                sweep_b.env.cr.commit()
            except SerializationFailure:
                sweep_b.env.cr.rollback()
        self.assertEqual(self._log_actions(matter_id), after_first)

    def _committed_overdue_matters(self, count):
        """``count`` matters registered two weeks ago and handled, committed:
        overdue, the escalation ladder and the urging due."""
        with self.registry.cursor() as cr:  # committed on exit
            env = api.Environment(cr, self.responsible_id, {"lang": "en_US"})
            matters = env["shouwen.matter"].create(
                [
                    {
                        "subject": f"中断督办测试 {index}",
                        "kind": "business",
                        "business_domain": "underwriting",
                        "customer_name": "张三",
                        "customer_phone": "13812345678",
                    }
                    for index in range(count)
                ]
            )
            matters.action_handle()
            matters.sudo().write(
                {"registered_date": fields.Datetime.now() - timedelta(days=14)}
            )
            return matters.ids

    def _followup_counts(self, matter_ids):
        """Per matter: (escalate lines, urge lines, steps done, activities)."""
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT m.id,
                       (SELECT count(*) FROM shouwen_matter_log l
                         WHERE l.matter_id = m.id AND l.action = 'escalate'),
                       (SELECT count(*) FROM shouwen_matter_log l
                         WHERE l.matter_id = m.id AND l.action = 'urge'),
                       (SELECT count(*) FROM shouwen_followup f
                         WHERE f.matter_id = m.id),
                       (SELECT count(*) FROM mail_activity a
                         WHERE a.res_model = 'shouwen.matter' AND a.res_id = m.id),
                       m.next_followup_date <= now() at time zone 'UTC'
                  FROM shouwen_matter m WHERE m.id IN %s ORDER BY m.id
                """,
                [tuple(matter_ids)],
            )
            return {row[0]: row[1:] for row in cr.fetchall()}

    def test_a_sweep_killed_half_way_resumes_without_loss_or_duplicates(self):
        matter_ids = self._committed_overdue_matters(5)
        # a sweep that is never interrupted, as the reference
        reference_id = self._committed_overdue_matters(1)[0]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            env["shouwen.matter"].browse(reference_id)._run_followups()
        expected = self._followup_counts([reference_id])[reference_id]
        self.assertGreater(expected[0], 0)  # escalated
        self.assertEqual(expected[1], 1)  # urged once
        self.assertFalse(expected[4])  # nothing left due
        # the first batch of the sweep is committed, as the cron does
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            env["shouwen.matter"].browse(matter_ids[:2])._run_followups()
        # the second batch dies in the middle of its work: nothing of it
        # reaches the database (the process is gone, its transaction too)
        Matter = self.registry["shouwen.matter"]
        urge = Matter._auto_urge

        def dying_urge(records):
            urge(records[:1])
            raise KeyboardInterrupt("killed")

        cr = self.registry.cursor()
        try:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            with (
                patch.object(Matter, "_auto_urge", dying_urge),
                self.assertRaises(KeyboardInterrupt),
            ):
                env["shouwen.matter"].browse(matter_ids[2:])._run_followups()
        finally:
            cr.rollback()
            cr.close()
        counts = self._followup_counts(matter_ids)
        for matter_id in matter_ids[:2]:
            self.assertEqual(counts[matter_id], expected)
        for matter_id in matter_ids[2:]:
            self.assertEqual(counts[matter_id], (0, 0, 0, 0, True))
        # the next sweep finds the matters still due, and only those
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            due = env["shouwen.matter"].search(
                [
                    ("id", "in", matter_ids),
                    ("next_followup_date", "<=", fields.Datetime.now()),
                ]
            )
            self.assertEqual(sorted(due.ids), sorted(matter_ids[2:]))
            due._run_followups()
        counts = self._followup_counts(matter_ids)
        self.assertEqual(
            counts, dict.fromkeys(matter_ids, expected), "lost or doubled steps"
        )

    def test_second_accept_over_rpc_is_refused_by_the_state(self):
        matter_id = self._committed_matter(guided=True)
        matter_a, matter_b = self._read_both(
            matter_id, self.handler_id, self.handler_id
        )
        matter_a.action_accept()
        matter_a.env.cr.commit()
        accept_b = partial(
            api.call_kw,
            matter_b.env["shouwen.matter"],
            "action_accept",
            [[matter_id]],
            {},
        )
        with (
            mute_logger("odoo.sql_db", "odoo.service.model"),
            patch("odoo.service.model.time.sleep"),
            self.assertRaises(UserError) as catcher,
        ):
            retrying(accept_b, matter_b.env)
        self.assertIn("In progress", str(catcher.exception))
        self.assertEqual(self._log_actions(matter_id), ["register", "guide", "accept"])
