# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The audit trail of a matter cannot be rewritten: its responsibility log,
its messages and their tracking values are edited or deleted by the superuser
only (not by ``sudo()`` of another user), and the log line of an action is
written in the transaction of the action."""

from unittest.mock import patch

from markupsafe import Markup
from psycopg2.errors import InsufficientPrivilege

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ShouwenCase

FROZEN = (
    "Messages of a matter are part of its record: they cannot be changed or deleted."
)
LOG_FROZEN = (
    "The responsibility log cannot be changed or deleted: it is the record of "
    "who was accountable when."
)


class ActionFailed(Exception):
    """Raised by a step of an action patched to fail."""


@tagged("post_install", "-at_install")
class TestAuditTrail(ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        # guided to Staff A1 bis, who may read it; registered in an earlier
        # transaction than its actions, so that they are tracked
        cls.matter = cls.register(cls.staff_a1, subject="审计事项")
        cls.env.cr.precommit.run()
        cls.matter.guide(cls.staff_a1b, note="请协助办理")
        cls.env.cr.precommit.run()
        # notified in Odoo: notifying by email is tested on its own below
        cls.staff_a1b.notification_type = "inbox"
        cls.message = cls.matter.message_post(
            body=Markup("<p>已与客户核对保单号</p>"), message_type="comment"
        )
        cls.tracking_message = cls.matter.sudo().message_ids.filtered(
            "tracking_value_ids"
        )[:1]
        cls.tracking_value = cls.tracking_message.tracking_value_ids[:1]
        cls.as_superuser = cls.env(user=SUPERUSER_ID)

    def assertMessageUnchanged(self, message, body):
        message.invalidate_recordset()
        self.assertTrue(message.sudo().exists())
        self.assertEqual(message.sudo().body, body)

    # ------------------------------------------------------------------
    # messages
    # ------------------------------------------------------------------

    def test_the_fixture_has_a_comment_and_a_tracking_message(self):
        self.assertEqual(self.message.author_id, self.staff_a1.partner_id)
        self.assertEqual(self.tracking_message.model, "shouwen.matter")
        self.assertTrue(self.tracking_value)

    def test_the_author_cannot_edit_or_delete_their_message(self):
        body = self.message.body
        mine = self.message.with_user(self.staff_a1)
        with self.assertRaises(UserError) as catcher:
            mine.write({"body": Markup("<p>改写</p>")})
        self.assertEqual(str(catcher.exception), FROZEN)
        with self.assertRaises(UserError) as catcher:
            mine.unlink()
        self.assertEqual(str(catcher.exception), FROZEN)
        self.assertMessageUnchanged(self.message, body)

    def test_the_chatter_cannot_edit_or_delete_a_message_of_a_matter(self):
        body = self.message.body
        matter = self.matter.with_user(self.staff_a1)
        message = self.message.with_user(self.staff_a1)
        edits = {
            "edit": {"body": Markup("<p>改写</p>")},
            # deleting a message in the chatter empties it
            "delete": {"body": "", "attachment_ids": []},
            # without the chatter's own check, the message still refuses
            "unchecked": {"body": "", "strict": False},
        }
        for what, kwargs in edits.items():
            with self.assertRaises(UserError, msg=what) as catcher:
                matter._message_update_content(message, **kwargs)
            self.assertEqual(str(catcher.exception), FROZEN, what)
        self.assertMessageUnchanged(self.message, body)

    def test_sudo_of_a_user_cannot_change_the_messages_the_superuser_can(self):
        body = self.message.body
        for user in (self.staff_a1, self.sup_a1, self.manager, self.admin):
            for message in (self.message, self.tracking_message):
                as_sudo = message.with_user(user).sudo()
                with self.assertRaises(UserError, msg=user.login) as catcher:
                    as_sudo.write({"body": Markup("<p>改写</p>")})
                self.assertEqual(str(catcher.exception), FROZEN)
                with self.assertRaises(UserError, msg=user.login) as catcher:
                    as_sudo.unlink()
                self.assertEqual(str(catcher.exception), FROZEN)
        self.assertMessageUnchanged(self.message, body)
        self.assertTrue(self.tracking_message.exists())
        repaired = self.message.with_env(self.as_superuser)
        repaired.write({"body": Markup("<p>数据修复</p>")})
        self.assertEqual(self.message.body, Markup("<p>数据修复</p>"))
        repaired.unlink()
        self.tracking_message.with_env(self.as_superuser).unlink()
        self.assertFalse((self.message | self.tracking_message).exists())

    def test_tracking_values_cannot_be_changed_but_by_the_superuser(self):
        value = self.tracking_value
        old = value.old_value_char
        with self.assertRaises(AccessError):
            value.with_user(self.staff_a1).write({"old_value_char": "改写"})
        for user in (self.staff_a1, self.manager, self.admin):
            as_sudo = value.with_user(user).sudo()
            with self.assertRaises(UserError, msg=user.login) as catcher:
                as_sudo.write({"old_value_char": "改写"})
            self.assertEqual(str(catcher.exception), FROZEN)
            with self.assertRaises(UserError, msg=user.login) as catcher:
                as_sudo.unlink()
            self.assertEqual(str(catcher.exception), FROZEN)
        value.invalidate_recordset()
        self.assertEqual(value.old_value_char, old)
        value.with_env(self.as_superuser).write({"old_value_char": "数据修复"})
        self.assertEqual(value.old_value_char, "数据修复")
        value.with_env(self.as_superuser).unlink()
        self.assertFalse(value.exists())

    def test_starring_and_reading_a_message_are_not_changes_of_its_content(self):
        self.staff_a1b.notification_type = "inbox"
        message = self.matter.message_post(
            body=Markup("<p>请尽快受理</p>"),
            message_type="comment",
            partner_ids=self.staff_a1b.partner_id.ids,
        ).with_user(self.staff_a1b)
        message.toggle_message_starred()
        self.assertTrue(message.starred)
        self.assertTrue(message.needaction)
        message.set_message_done()
        message.invalidate_recordset()
        self.assertFalse(message.needaction)
        message.toggle_message_starred()
        self.assertFalse(message.starred)

    def test_messages_of_other_documents_stay_editable(self):
        partner = self.env["res.partner"].create({"name": "审计对照"})
        message = partner.message_post(body="草稿", message_type="comment")
        message.with_user(self.staff_a1).sudo().write({"body": Markup("<p>改</p>")})
        self.assertEqual(message.body, Markup("<p>改</p>"))

    def test_posting_on_a_matter_notifies_its_followers_by_email(self):
        """Notifying by email completes the message being posted (its subject):
        that is not a change of the trail."""
        self.staff_a1b.notification_type = "email"
        message = self.matter.with_user(self.staff_a1).message_post(
            body=Markup("<p>请尽快受理</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.staff_a1b.partner_id.ids,
        )
        self.assertTrue(
            self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        )

    def test_returning_a_matter_notifies_the_first_responsible_by_email(self):
        self.staff_a1.notification_type = "email"
        self.matter.with_user(self.staff_a1b).return_guide("不属于本岗位")
        self.assertEqual(self.matter.state, "returned")

    # ------------------------------------------------------------------
    # the responsibility log
    # ------------------------------------------------------------------

    def test_nobody_but_the_superuser_changes_the_log(self):
        line = self.matter.sudo().log_ids[:1]
        reason = line.reason
        for user in (self.staff_a1, self.sup_province, self.manager, self.admin):
            as_user, as_sudo = line.with_user(user), line.with_user(user).sudo()
            for record in (as_user, as_sudo):
                with self.assertRaises(UserError, msg=user.login) as catcher:
                    record.write({"reason": "改写历史"})
                self.assertEqual(str(catcher.exception), LOG_FROZEN)
            with self.assertRaises(AccessError, msg=user.login):
                as_user.unlink()
            with self.assertRaises(UserError, msg=user.login) as catcher:
                as_sudo.unlink()
            self.assertEqual(str(catcher.exception), LOG_FROZEN)
        line.invalidate_recordset()
        self.assertEqual(line.reason, reason)
        # the ORM lets the superuser through, the database only a migration
        with (
            self.assertRaises(InsufficientPrivilege),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            line.with_env(self.as_superuser).write({"reason": "数据修复"})
            self.env.flush_all()
        line.invalidate_recordset()
        self.assertEqual(line.reason, reason)
        with self.as_superuser["shouwen.matter.log"]._maintenance():
            line.with_env(self.as_superuser).write({"reason": "数据修复"})
        self.assertEqual(line.reason, "数据修复")

    def test_the_registration_is_the_first_line_of_the_log_not_repeated_in_the_chatter(
        self,
    ):
        matter = self.register(self.staff_a1, customer_phone="13800138000")
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertRecordValues(
            matter.sudo().log_ids,
            [
                {
                    "action": "register",
                    "user_id": self.staff_a1.id,
                    "to_user_id": self.staff_a1.id,
                    "state_to": "registered",
                }
            ],
        )
        self.assertTrue(matter.sudo().log_ids.date)
        # no generic "created" message beside it
        self.assertFalse(matter.message_ids)
        # the matter is handed back as it was asked for: what is written on it
        # afterwards reaches the chatter
        self.assertNotIn("mail_create_nolog", matter.env.context)
        matter.message_post(body="已电话联系客户", message_type="comment")
        matter.action_handle()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(len(matter.message_ids), 2, "the note and the tracking")

    def test_the_log_line_of_an_action_is_there_before_any_commit(self):
        matter = self.register(self.staff_a1)
        matter.action_handle()
        # same transaction, nothing committed: the line is in the database
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT action, user_id, state_to FROM shouwen_matter_log "
            "WHERE matter_id = %s ORDER BY id",
            [matter.id],
        )
        self.assertEqual(
            self.env.cr.fetchall(),
            [
                ("register", self.staff_a1.id, "registered"),
                ("handle", self.staff_a1.id, "in_progress"),
            ],
        )

    def test_an_action_failing_after_its_log_line_leaves_no_log_line(self):
        matter = self.register(self.staff_a1)
        Matter = type(self.env["shouwen.matter"])
        steps = []

        def fail_after_the_log(records, event):
            steps.append(records.sudo().log_ids.sorted("id")[-1:].action)
            raise ActionFailed

        before = self.snapshot(matter)
        version = matter.sudo().version
        with (
            patch.object(Matter, "_clock_event", fail_after_the_log),
            self.assertRaises(ActionFailed),
            self.env.cr.savepoint(),
        ):
            matter.action_handle()
        self.assertEqual(steps, ["handle"], "the line was written, then it failed")
        self.assertEqual(self.snapshot(matter), before)
        self.assertEqual(matter.sudo().log_ids.mapped("action"), ["register"])
        matter.invalidate_recordset()
        self.assertEqual(matter.sudo().version, version)

    def test_an_accept_failing_after_its_log_line_leaves_no_log_line(self):
        matter = self.guided(self.staff_a1, self.staff_a2).with_user(self.staff_a2)
        Matter = type(self.env["shouwen.matter"])

        def fail(records, *args, **kwargs):
            raise ActionFailed

        before = self.snapshot(matter)
        with (
            patch.object(Matter, "_activities_done", fail),
            self.assertRaises(ActionFailed),
            self.env.cr.savepoint(),
        ):
            matter.action_accept()
        self.assertEqual(self.snapshot(matter), before)
        self.assertNotIn("accept", matter.sudo().log_ids.mapped("action"))
        self.assertEqual(matter.sudo().state, "guiding")
