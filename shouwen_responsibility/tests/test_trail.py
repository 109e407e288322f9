# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The responsibility log is tamper-evident (issue 18): each line is chained
to the previous line of its matter by a hash computed when it is appended;
PostgreSQL refuses to change or delete lines; an inspector's *Verify the
trail* finds a line edited, removed or inserted in the database itself."""

import doctest
from itertools import pairwise
from unittest.mock import patch

import psycopg2
from psycopg2.errors import InsufficientPrivilege

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, config, mute_logger

from ..models.shouwen_matter_log import KEY_OPTION
from ..tools import trail
from .common import STAFF, ShouwenCase

LOGGER = "odoo.addons.shouwen_responsibility.models.shouwen_matter_log"

#: the server's key when it has one (the lines of the demo are chained with
#: it), else one for these tests
KEY = config.get(KEY_OPTION) or "test-key-of-the-trail"


@tagged("post_install", "-at_install")
class TestTrail(ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_patch = patch.dict(config.options, {KEY_OPTION: KEY})
        cls.key_patch.start()
        cls.addClassCleanup(cls.key_patch.stop)
        cls.matter = cls.register(cls.staff_a1, subject="链式事项")
        cls.matter.guide(cls.staff_a1b, note="请协助办理")
        cls.matter.with_user(cls.staff_a1b).action_accept()
        cls.other = cls.register(cls.staff_a2, subject="另一事项")
        cls.Log = cls.env["shouwen.matter.log"]

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def lines(self, matter):
        self.env.flush_all()
        return matter.sudo().log_ids.sorted("id")

    def verify(self, user=None, **values):
        """*Verify the trail* as ``user`` (the inspector by default)."""
        values.setdefault("scope", "matter")
        if values["scope"] == "matter":
            values.setdefault("matter_id", self.matter.id)
        self.env.flush_all()
        verification = (
            self.env["shouwen.trail.verify"]
            .with_user(user or self.inspector)
            .create(values)
        )
        verification.action_verify()
        return verification

    def problems(self, verification):
        return [
            (issue.matter_id, issue.line_number, issue.problem)
            for issue in verification.issue_ids
        ]

    def in_database(self, query, *args):
        """Change the log in SQL, the trigger lifted as a migration does."""
        self.env.flush_all()
        with self.env.cr.savepoint(flush=False):
            self.env.cr.execute("SET LOCAL shouwen.log_maintenance = 'on'")
            self.env.cr.execute(SQL(query, *args))
        self.env.invalidate_all()

    # ------------------------------------------------------------------
    # the chain
    # ------------------------------------------------------------------

    def test_trail_doctests(self):
        result = doctest.testmod(trail, optionflags=doctest.ELLIPSIS)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_each_line_is_chained_to_the_previous_line_of_its_matter(self):
        lines = self.lines(self.matter)
        self.assertEqual(lines.mapped("action"), ["register", "guide", "accept"])
        self.assertFalse(lines[0].prev_hash)
        for before, line in pairwise(lines):
            self.assertEqual(line.prev_hash, before.line_hash)
        for line in lines:
            content = {fname: line[fname] for fname in trail.CONTENT}
            content = {
                fname: value.id if hasattr(value, "ids") else value
                for fname, value in content.items()
            }
            self.assertEqual(
                line.line_hash,
                trail.digest(
                    trail.payload(content, line.prev_hash or None), KEY.encode()
                ),
            )
        # the other matter's chain starts on its own
        self.assertFalse(self.lines(self.other).prev_hash)

    def test_lines_of_one_matter_appended_together_are_chained_in_order(self):
        matter = self.register(self.staff_a1)
        head = self.lines(matter)[-1]
        new = matter.sudo()._log_many(
            [
                {"matter_id": matter.id, "action": "urge", "reason": "第一次催办"},
                {"matter_id": self.other.id, "action": "urge", "reason": "另一事项"},
                {"matter_id": matter.id, "action": "urge", "reason": "第二次催办"},
            ]
        )
        first, other, second = new
        self.assertLess(first.id, second.id)
        self.assertEqual(first.prev_hash, head.line_hash)
        self.assertEqual(second.prev_hash, first.line_hash)
        self.assertEqual(other.prev_hash, self.lines(self.other)[-2].line_hash)
        verification = self.verify(scope="all")
        self.assertEqual(verification.broken_count, 0)

    def test_the_superusers_create_appends_through_the_chain(self):
        line = self.Log.sudo().create(
            {"matter_id": self.matter.id, "action": "urge", "user_id": self.sup_a1.id}
        )
        self.assertEqual(line.prev_hash, self.lines(self.matter)[-2].line_hash)
        self.assertEqual(self.verify().broken_count, 0)

    # ------------------------------------------------------------------
    # PostgreSQL refuses changes
    # ------------------------------------------------------------------

    def test_plain_sql_cannot_update_delete_or_truncate_the_log(self):
        line = self.lines(self.matter)[0]
        for query in (
            SQL("UPDATE shouwen_matter_log SET reason = 'x' WHERE id = %s", line.id),
            SQL("DELETE FROM shouwen_matter_log WHERE id = %s", line.id),
            SQL("TRUNCATE shouwen_matter_log CASCADE"),
        ):
            with (
                self.subTest(query=query.code),
                self.assertRaises(InsufficientPrivilege),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertEqual(self.lines(self.matter)[0], line)
        self.assertFalse(line.reason)

    def test_the_setting_is_lifted_for_a_migration_only(self):
        line = self.lines(self.matter)[0]
        # inside a migration's maintenance block, then refused again after it
        with self.Log._maintenance():
            self.env.cr.execute(
                SQL("UPDATE shouwen_matter_log SET reason = 'x' WHERE id = %s", line.id)
            )
        with (
            self.assertRaises(InsufficientPrivilege),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL("UPDATE shouwen_matter_log SET reason = 'y' WHERE id = %s", line.id)
            )
        # nobody but the superuser opens such a block, sudo or not
        for user in (self.manager, self.inspector):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                with self.Log.with_user(user).sudo()._maintenance():
                    pass

    def test_a_user_in_no_line_can_be_deleted_one_in_the_log_cannot(self):
        """The refusal is row by row: the foreign keys' SET NULL of a user
        deleted touches no line of someone who is in none."""
        stranger = self._new_user("sw_trail_stranger", "Stranger", STAFF, False)
        stranger.with_user(SUPERUSER_ID).unlink()
        self.assertFalse(stranger.exists())
        guide = self.lines(self.matter)[1]
        with (
            self.assertRaises(psycopg2.Error),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.staff_a1b.with_user(SUPERUSER_ID).unlink()
        self.env.invalidate_all()
        self.assertEqual(guide.to_user_id, self.staff_a1b)

    def test_the_trigger_is_installed_again_by_an_update(self):
        self.env.cr.execute(
            "DROP TRIGGER shouwen_append_only ON shouwen_matter_log; "
            "DROP TRIGGER shouwen_append_only_truncate ON shouwen_matter_log"
        )
        self.Log.init()
        line = self.lines(self.matter)[0]
        for query in (
            SQL("DELETE FROM shouwen_matter_log WHERE id = %s", line.id),
            SQL("TRUNCATE shouwen_matter_log CASCADE"),
        ):
            with (
                self.subTest(query=query.code),
                self.assertRaises(InsufficientPrivilege),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(query)

    # ------------------------------------------------------------------
    # the verification finds what was changed in the database
    # ------------------------------------------------------------------

    def test_an_intact_trail_verifies_with_its_counts(self):
        verification = self.verify()
        self.assertRecordValues(
            verification,
            [
                {
                    "state": "done",
                    "keyed": True,
                    "line_count": 3,
                    "matter_count": 1,
                    "broken_count": 0,
                    "unkeyed_count": 0,
                    "last_line_id": self.lines(self.matter)[-1].id,
                }
            ],
        )
        self.assertFalse(verification.issue_ids)

    def test_a_line_edited_in_the_database_is_found(self):
        guide = self.lines(self.matter)[1]
        self.in_database(
            "UPDATE shouwen_matter_log SET to_user_id = %s WHERE id = %s",
            self.staff_a2.id,
            guide.id,
        )
        verification = self.verify()
        self.assertEqual(verification.broken_count, 1)
        self.assertEqual(
            self.problems(verification), [(self.matter, guide.id, "altered")]
        )
        self.assertEqual(verification.issue_ids.line_action, "guide")

    def test_a_line_edited_with_its_hash_recomputed_breaks_the_next_link(self):
        """Whoever rewrites one line and its own hash (even with the key)
        breaks the link of the next line."""
        lines = self.lines(self.matter)
        guide = lines[1]
        content = {
            fname: (value.id if hasattr(value, "ids") else value)
            for fname, value in ((f, guide[f]) for f in trail.CONTENT)
        }
        content["reason"] = "改写的原因"
        forged = trail.digest(trail.payload(content, guide.prev_hash), KEY.encode())
        self.in_database(
            "UPDATE shouwen_matter_log SET reason = %s, line_hash = %s WHERE id = %s",
            "改写的原因",
            forged,
            guide.id,
        )
        self.assertEqual(
            self.problems(self.verify()), [(self.matter, lines[2].id, "relinked")]
        )

    def test_a_line_removed_or_a_first_line_removed_is_found(self):
        lines = self.lines(self.matter)
        self.in_database("DELETE FROM shouwen_matter_log WHERE id = %s", lines[1].id)
        self.assertEqual(
            self.problems(self.verify()), [(self.matter, lines[2].id, "relinked")]
        )
        self.in_database("DELETE FROM shouwen_matter_log WHERE id = %s", lines[0].id)
        self.assertEqual(
            self.problems(self.verify()), [(self.matter, lines[2].id, "relinked")]
        )

    def test_a_line_inserted_in_sql_or_without_its_hash_is_found(self):
        lines = self.lines(self.matter)
        self.env.cr.execute(
            SQL(
                "INSERT INTO shouwen_matter_log (matter_id, action, date, user_id, "
                "state_to, prev_hash, line_hash) VALUES (%s, 'close', now(), %s, "
                "'closed', %s, %s)",
                self.matter.id,
                self.staff_a1.id,
                lines[-1].line_hash,
                "0" * 64,
            )
        )
        self.assertEqual(self.problems(self.verify())[0][2], "altered")
        self.env.cr.execute(
            SQL(
                "INSERT INTO shouwen_matter_log (matter_id, action, date, user_id) "
                "VALUES (%s, 'urge', now(), %s)",
                self.other.id,
                self.staff_a1.id,
            )
        )
        verification = self.verify(scope="all")
        self.assertIn(
            (self.other, self.lines(self.other)[-1].id, "missing"),
            self.problems(verification),
        )

    def test_a_chain_rewritten_without_the_key_is_reported(self):
        """Whoever holds only the database recomputes plain hashes: they
        verify, but not as keyed ones."""
        with patch.dict(config.options, {KEY_OPTION: ""}):
            with self.Log._maintenance():
                self.Log._rechain(self.matter.ids)
            verification = self.verify()
            self.assertFalse(verification.keyed)
            self.assertEqual(verification.broken_count, 0)
        verification = self.verify()
        self.assertTrue(verification.keyed)
        self.assertEqual(verification.broken_count, 0)
        self.assertEqual(verification.unkeyed_count, 3)
        first = self.lines(self.matter)[0]
        self.assertEqual(
            self.problems(verification), [(self.matter, first.id, "unkeyed")]
        )
        # a plain line after keyed ones: a downgrade, a break
        self.Log.sudo().create(
            {"matter_id": self.other.id, "action": "urge", "user_id": self.sup_a2.id}
        )
        with patch.dict(config.options, {KEY_OPTION: ""}):
            plain = self.Log.sudo().create(
                {
                    "matter_id": self.other.id,
                    "action": "urge",
                    "user_id": self.sup_a2.id,
                }
            )
        verification = self.verify(scope="matter", matter_id=self.other.id)
        self.assertEqual(
            self.problems(verification), [(self.other, plain.id, "downgraded")]
        )

    def test_a_matter_whose_lines_were_all_removed_is_found(self):
        self.in_database(
            "DELETE FROM shouwen_matter_log WHERE matter_id = %s", self.matter.id
        )
        verification = self.verify()
        self.assertEqual(self.problems(verification), [(self.matter, 0, "empty")])
        self.assertEqual(verification.matter_count, 1)

    def test_the_recorded_fingerprint_shows_a_tail_cut_off_since(self):
        """Removing the last lines of a chain leaves a valid chain: the
        fingerprint recorded outside the system shows it."""
        first = self.verify(scope="all")
        anchor = {
            "anchor_line_id": first.last_line_id,
            "anchor_fingerprint": first.fingerprint,
        }
        # later lines do not change the fingerprint as of the recorded line
        self.matter.with_user(self.staff_a1b).answer("已电话告知客户", "phone")
        later = self.verify(scope="all", **anchor)
        self.assertEqual(later.anchor_result, "match")
        self.assertNotEqual(later.fingerprint, first.fingerprint)
        accept = self.lines(self.matter)[2]
        self.in_database(
            "DELETE FROM shouwen_matter_log WHERE id >= %s AND matter_id = %s",
            accept.id,
            self.matter.id,
        )
        cut = self.verify(scope="all", **anchor)
        self.assertEqual(cut.broken_count, 0, "the chain alone cannot tell")
        self.assertEqual(cut.anchor_result, "mismatch")

    def test_a_correction_by_a_migration_rechains_the_matter(self):
        lines = self.lines(self.matter)
        self.Log._correct({lines[1].id: {"reason": "数据迁移更正"}})
        self.assertEqual(lines[1].reason, "数据迁移更正")
        self.assertEqual(self.verify().broken_count, 0)
        with self.assertRaises(AccessError):
            self.Log.with_user(self.manager).sudo()._correct(
                {lines[1].id: {"reason": "x"}}
            )

    def test_lines_written_before_the_chain_are_chained_once(self):
        """An upgraded database: its lines have no hash; they are chained
        once, and a line without a hash afterwards is reported, never
        chained behind the inspectors' back."""
        self.in_database(
            "UPDATE shouwen_matter_log SET prev_hash = NULL, line_hash = NULL"
        )
        with self.assertLogs(LOGGER, "WARNING") as logged:
            self.Log.init()
        self.assertIn("Chaining the responsibility log lines", logged.output[0])
        self.assertEqual(self.verify(scope="all").broken_count, 0)
        head = self.lines(self.other)[-1]
        self.in_database(
            "UPDATE shouwen_matter_log SET line_hash = NULL WHERE id = %s", head.id
        )
        self.Log.init()
        self.assertEqual(
            self.problems(self.verify(scope="matter", matter_id=self.other.id)),
            [(self.other, head.id, "missing")],
        )

    # ------------------------------------------------------------------
    # who verifies what
    # ------------------------------------------------------------------

    def test_a_unit_is_verified_with_the_units_below_it(self):
        city = self.verify(scope="unit", unit_id=self.city_a.id)
        county = self.verify(scope="unit", unit_id=self.county_a1.id)
        other_city = self.verify(scope="unit", unit_id=self.city_b.id)
        self.assertEqual(city.matter_count, 2, "county A1 and A2")
        self.assertEqual(county.matter_count, 1)
        self.assertEqual(other_city.matter_count, 0)
        self.assertEqual(
            city.line_count,
            len(self.lines(self.matter)) + len(self.lines(self.other)),
        )

    def test_inspectors_and_administrators_verify_nobody_else(self):
        self.assertEqual(self.verify(user=self.manager).broken_count, 0)
        for user in (self.staff_a1, self.sup_a1, self.sup_province, self.employee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.verify(user=user)
                with self.assertRaises(AccessError):
                    self.matter.with_user(user).action_verify_trail()

    def test_the_button_on_the_matter_opens_its_report(self):
        action = self.matter.with_user(self.inspector).action_verify_trail()
        verification = self.env["shouwen.trail.verify"].browse(action["res_id"])
        self.assertEqual(verification.scope, "matter")
        self.assertEqual(verification.matter_id, self.matter)
        self.assertEqual(verification.line_count, 3)

    def test_a_verification_belongs_to_the_inspector_who_ran_it(self):
        self.in_database(
            "UPDATE shouwen_matter_log SET reason = 'x' WHERE id = %s",
            self.lines(self.matter)[0].id,
        )
        verification = self.verify()
        self.assertTrue(verification.issue_ids)
        other = self._new_user(
            "sw_inspector2",
            "Inspector 2",
            "shouwen_responsibility.group_shouwen_inspector",
            False,
        )
        with self.assertRaises(AccessError):
            verification.with_user(other).read(["fingerprint"])
        with self.assertRaises(AccessError):
            verification.issue_ids.with_user(other).read(["problem"])

    def test_a_scope_needs_its_matter_or_unit(self):
        with self.assertRaises(UserError):
            self.verify(scope="matter", matter_id=False)
        with self.assertRaises(UserError):
            self.verify(scope="unit")
        with self.assertRaises(UserError):
            self.verify(scope="all", anchor_line_id=5)
