# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The record cannot be bent (issue 18, cases 1–8), in the ORM, as each user:
the finer rules behind the RPC tests of ``tests/test_record_integrity_rpc.py``
— who posts on a matter or a finding and in whose name, the portal's
composer, the files and to-dos of the trail, findings between peers,
reclassification and the clock, a complaint assigned to a person, the unit
of an assignment, the customer's status link."""

from freezegun import freeze_time
from markupsafe import Markup

from odoo import SUPERUSER_ID, Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import INSPECTOR, STAFF, UNIT_SUPERVISOR, ShouwenCase, shanghai


@tagged("post_install", "-at_install")
class TestRecordIntegrity(ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user = cls._new_user
        cls.sup_a1b = user(
            "sw_sup_a1b", "Supervisor A1 bis", UNIT_SUPERVISOR, cls.county_a1
        )
        cls.county_a1.supervisor_ids = cls.sup_a1 | cls.sup_a1b
        cls.staff_a2b = user("sw_staff_a2b", "Staff A2 bis", STAFF, cls.county_a2)
        cls.inspector_b = user(
            "sw_inspector_b", "Inspector bis", INSPECTOR, cls.province
        )
        cls.portal = cls.env["res.users"].create(
            {
                "name": "门户客户",
                "login": "sw_portal",
                "email": "sw_portal@example.com",
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )
        cls.customer = cls.portal.partner_id
        cls.public = cls.env.ref("base.public_user")

    def messages(self, matter):
        return self.env["mail.message"].search(
            [("model", "=", matter._name), ("res_id", "=", matter.id)]
        )

    # ------------------------------------------------------------------
    # 1. who posts, in whose name
    # ------------------------------------------------------------------

    def test_parties_post_readers_who_only_follow_do_not(self):
        matter, _part = self.coordinating(self.staff_a1, self.staff_a2)
        # a colleague following the matter reads it, and may not post
        matter.sudo().message_subscribe(partner_ids=self.staff_a1b.partner_id.ids)
        follower = matter.with_user(self.staff_a1b)
        self.assertTrue(follower.read(["subject"]))
        before = self.messages(matter)
        with self.assertRaises(AccessError):
            follower.message_post(body="我也说一句")
        with self.assertRaises(AccessError):
            follower.sudo().message_post(body="经聊天窗口")
        self.assertEqual(self.messages(matter), before)
        # the part's assignee (a party, not a writer) and the supervisor post
        for user in (self.staff_a2, self.sup_a1, self.sup_city_a):
            message = matter.with_user(user).message_post(body=f"{user.name}的意见")
            self.assertEqual(message.author_id, user.partner_id)
        # the first receiver, once another accepted the matter, still posts
        accepted = self.accepted(self.staff_a1, self.staff_a1b)
        message = accepted.with_user(self.staff_a1).message_post(body="客户又来电")
        self.assertEqual(message.author_id, self.staff_a1.partner_id)

    def test_inspectors_post_on_the_findings_they_decide_not_on_matters(self):
        matter = self.register(self.staff_a1)
        with self.assertRaises(AccessError):
            matter.with_user(self.inspector).message_post(body="督查意见")
        Finding = self.env["shouwen.finding"]
        finding = Finding._propose(
            [Finding._fact_values("overdue_closure", matter, self.staff_a1, "超期")]
        )
        message = finding.with_user(self.inspector).message_post(body="已调阅材料")
        self.assertEqual(message.author_id, self.inspector.partner_id)
        # the person concerned and their colleague read or not, post not
        with self.assertRaises(AccessError):
            finding.with_user(self.staff_a1).message_post(body="申辩")

    def test_what_the_system_writes_in_an_action_still_reaches_the_chatter(self):
        """Tracking of a change made through the last part, the note of a
        return, a to-do marked done by the system: authored by the user who
        acted, now, tracked by the ORM."""
        matter, part = self.coordinating(self.staff_a1, self.staff_a2)
        self.env.cr.precommit.run()
        part.with_user(self.staff_a2).write({"result": "已核对"})
        part.with_user(self.staff_a2).action_done()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.messages(matter).filtered("tracking_value_ids")
        self.assertTrue(tracked)
        self.assertIn(self.staff_a2.partner_id, tracked.author_id)
        guided = self.guided(self.staff_a1, self.staff_a2)
        guided.with_user(self.staff_a2).return_guide("不属于本岗位")
        self.assertIn(
            self.staff_a2.partner_id,
            self.messages(guided)
            .filtered(lambda m: "不属于本岗位" in m.body)
            .author_id,
        )

    def test_a_message_of_the_trail_is_posted_as_oneself_now_without_tracking(self):
        matter = self.register(self.staff_a1)
        mine = matter.with_user(self.staff_a1)
        field = self.env["ir.model.fields"]._get("shouwen.matter", "state")
        tracking = [Command.create({"field_id": field.id, "new_value_char": "已办结"})]
        before = self.messages(matter)
        forgeries = (
            {"author_id": self.sup_a1.partner_id.id},
            {"email_from": "boss@example.com"},
            {"date": "2025-01-01 08:00:00"},
            {"message_type": "email"},
            {"tracking_value_ids": tracking},
        )
        for forged in forgeries:
            with self.subTest(forged=forged), self.assertRaises(UserError):
                mine.message_post(body="伪造", **forged)
            with self.subTest(forged=forged, sudo=True), self.assertRaises(UserError):
                # through a server path that runs sudo, the same
                mine.sudo().message_post(body="伪造", **forged)
        guest = self.env["mail.guest"].create({"name": "访客"})
        for forged in (*forgeries, {"author_guest_id": guest.id}):
            with self.subTest(forged=forged, create=True), self.assertRaises(UserError):
                self.env["mail.message"].with_user(self.staff_a1).create(
                    {
                        "model": matter._name,
                        "res_id": matter.id,
                        "body": "伪造",
                        **forged,
                    }
                )
        with self.assertRaises(UserError):
            self.env["mail.tracking.value"].with_user(self.staff_a1).sudo().create(
                {
                    "mail_message_id": mine.message_post(body="正文").id,
                    "field_id": field.id,
                    "new_value_char": "已办结",
                }
            )
        self.assertEqual(self.messages(matter), before)
        # the mail gateway (the superuser) records an email from the customer
        email = matter.with_user(SUPERUSER_ID).message_post(
            body="客户来信", message_type="email", email_from="customer@example.com"
        )
        self.assertEqual(email.message_type, "email")

    def test_the_fields_of_a_message_of_the_trail_stay_as_posted(self):
        matter = self.register(self.staff_a1)
        message = matter.message_post(body="客户补充材料", message_type="comment")
        for user in (self.staff_a1, self.sup_a1, self.manager):
            for vals in (
                {"is_internal": True},
                {"partner_ids": [Command.link(self.sup_a1.partner_id.id)]},
                {"record_name": "另一事项"},
                {"parent_id": False},
                {"reply_to": "boss@example.com"},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(UserError):
                        message.with_user(user).sudo().write(vals)
        message.invalidate_recordset()
        self.assertFalse(message.is_internal)
        # one's own star is not a change of the trail
        message.with_user(self.staff_a1).toggle_message_starred()
        self.assertTrue(message.with_user(self.staff_a1).starred)

    def test_the_customer_posts_through_the_server_on_their_own_matter_only(self):
        own = self.register(self.staff_a1, partner_id=self.customer.id)
        other = self.register(self.staff_a1, partner_id=self.sup_a1.partner_id.id)
        as_customer = own.with_user(self.portal)
        # over RPC (no sudo): refused, even on their own matter
        with self.assertRaises(AccessError):
            as_customer.message_post(body="请尽快处理", message_type="comment")
        # the portal's composer (sudo after the controller's check)
        message = as_customer.sudo().message_post(
            body="请尽快处理", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(message.author_id, self.customer)
        with self.assertRaises(AccessError):
            other.with_user(self.portal).sudo().message_post(body="冒充")
        # a visitor with the private link posts as the matter's customer only
        visitor = own.with_user(self.public).sudo()
        message = visitor.message_post(body="来自状态页", author_id=self.customer.id)
        self.assertEqual(message.author_id, self.customer)
        with self.assertRaises(UserError):
            visitor.message_post(body="冒充", author_id=self.sup_a1.partner_id.id)
        anonymous = self.register(self.staff_a1, partner_id=False)
        with self.assertRaises(AccessError):
            anonymous.with_user(self.public).sudo().message_post(body="匿名")

    def test_a_scheduled_message_is_checked_when_scheduled_and_posted_later(self):
        matter = self.register(self.staff_a1)
        Scheduled = self.env["mail.scheduled.message"]
        values = {
            "model": matter._name,
            "res_id": matter.id,
            "body": "明日回访客户",
            "scheduled_date": "2099-01-01 01:00:00",
        }
        for user, extra in (
            (self.inspector, {"author_id": self.inspector.partner_id.id}),
            (self.staff_a1, {"author_id": self.sup_a1.partner_id.id}),
            (
                self.staff_a1,
                {
                    "author_id": self.staff_a1.partner_id.id,
                    "notification_parameters": '{"message_type": "email"}',
                },
            ),
            (
                self.staff_a1,
                {
                    "author_id": self.staff_a1.partner_id.id,
                    "notification_parameters": '{"email_from": "boss@example.com"}',
                },
            ),
        ):
            with self.subTest(user=user.login, extra=extra):
                with self.assertRaises(UserError):
                    Scheduled.with_user(user).create(dict(values, **extra))
        scheduled = Scheduled.with_user(self.staff_a1).create(
            dict(values, author_id=self.staff_a1.partner_id.id)
        )
        scheduled.sudo()._post_message()
        posted = self.messages(matter).filtered(lambda m: "明日回访客户" in m.body)
        self.assertEqual(posted.author_id, self.staff_a1.partner_id)

    # ------------------------------------------------------------------
    # 4. evidence
    # ------------------------------------------------------------------

    def test_a_reader_attaches_no_file_even_through_the_upload_route(self):
        matter = self.register(self.staff_a1)
        matter.sudo().message_subscribe(partner_ids=self.staff_a1b.partner_id.ids)
        # the chatter's upload route creates the file as sudo
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.staff_a1b).sudo().create(
                {
                    "name": "x.txt",
                    "raw": b"x",
                    "res_model": matter._name,
                    "res_id": matter.id,
                }
            )
        # a poster's pending file moves into the matter with their message
        pending = (
            self.env["ir.attachment"]
            .with_user(self.staff_a1)
            .create(
                {
                    "name": "保单.pdf",
                    "raw": b"%PDF",
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                }
            )
        )
        message = matter.with_user(self.staff_a1).message_post(
            body="保单", attachment_ids=pending.ids
        )
        self.assertEqual((pending.res_model, pending.res_id), (matter._name, matter.id))
        self.assertEqual(message.attachment_ids, pending)
        # and stays there
        for user in (self.staff_a1, self.sup_a1, self.manager):
            with self.assertRaises(UserError):
                pending.with_user(user).sudo().write({"raw": b"changed"})
            with self.assertRaises(UserError):
                pending.with_user(user).sudo().unlink()
        self.assertEqual(pending.raw, b"%PDF")

    def test_the_token_of_a_piece_of_evidence_is_given_once(self):
        matter = self.register(self.staff_a1)
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.staff_a1)
            .create(
                {
                    "name": "照片.jpg",
                    "raw": b"jpg",
                    "res_model": matter._name,
                    "res_id": matter.id,
                }
            )
        )
        (token,) = attachment.with_user(self.staff_a1).generate_access_token()
        self.assertTrue(token)
        with self.assertRaises(UserError):
            attachment.with_user(self.staff_a1).write({"access_token": "guessable"})
        self.assertEqual(attachment.access_token, token)

    def test_a_to_dos_files_become_evidence_of_its_done_message(self):
        matter = self.register(self.staff_a1)
        activity = matter.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.staff_a1.id, summary="回访"
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "录音.mp3",
                "raw": b"mp3",
                "res_model": "mail.activity",
                "res_id": activity.id,
            }
        )
        activity.with_user(self.staff_a1).action_feedback("已回访")
        self.assertEqual(attachment.res_model, "mail.message")
        message = self.env["mail.message"].browse(attachment.res_id)
        self.assertEqual((message.model, message.res_id), (matter._name, matter.id))
        with self.assertRaises(UserError):
            attachment.with_user(self.sup_a1).sudo().unlink()

    # ------------------------------------------------------------------
    # 5. to-dos
    # ------------------------------------------------------------------

    def test_a_to_do_is_closed_by_its_user_and_the_writers_not_its_former_creator(self):
        matter = self.register(self.staff_a1).with_user(self.staff_a1)
        todo = matter.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.staff_a2.id, summary="核对保单"
        )
        # the creator guides the matter away: once accepted, they no longer act on it
        matter.guide(self.staff_a1b, note="请协助")
        matter.with_user(self.staff_a1b).action_accept()
        for user in (self.staff_a1, self.inspector, self.staff_b1):
            as_user = todo.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    as_user.action_feedback("已处理")
                with self.assertRaises(AccessError):
                    as_user.write({"summary": "改了"})
                with self.assertRaises(AccessError):
                    as_user.unlink()
        self.assertEqual(todo.summary, "核对保单")
        # the new first responsible reassigns it; its user marks it done
        todo.with_user(self.staff_a1b).write(
            {"user_id": self.staff_a2.id, "summary": "核对批单"}
        )
        todo.with_user(self.staff_a2).action_feedback("已核对")
        self.assertFalse(todo.exists())
        # a reader schedules none
        with self.assertRaises(AccessError):
            matter.with_user(self.inspector).activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.inspector.id
            )

    # ------------------------------------------------------------------
    # 2. findings
    # ------------------------------------------------------------------

    def _manual(self, recorder, person, **values):
        return (
            self.env["shouwen.finding"]
            .with_user(recorder)
            .create(
                {
                    "person_id": person.id,
                    "finding_type": "attitude",
                    "facts": "接待客户态度生硬",
                    "proposed_sanction": "criticism",
                    **values,
                }
            )
        )

    def test_nobody_records_or_decides_about_a_peer_or_a_superior(self):
        refused = (
            (self.sup_a1, self.sup_a1b),  # another supervisor of the same unit
            (self.sup_a1, self.sup_city_a),  # the city above
            (self.sup_a1, self.sup_province),  # the province above
            (self.sup_city_a, self.sup_province),
            (self.sup_province, self.manager),  # a provincial peer
            (self.inspector, self.inspector_b),  # another inspector
        )
        for recorder, person in refused:
            with self.subTest(recorder=recorder.login, person=person.login):
                with self.assertRaises(UserError):
                    self._manual(recorder, person)
        Finding = self.env["shouwen.finding"]
        matter = self.register(self.staff_a1)
        about_peer = Finding._propose(
            [Finding._fact_values("overdue_closure", matter, self.sup_a1b, "超期")]
        )
        # the proposal goes to the city, not to the peer
        self.assertEqual(about_peer.activity_ids.user_id, self.sup_city_a)
        with self.assertRaises(UserError):
            about_peer.with_user(self.sup_a1).action_confirm()
        self.assertFalse(about_peer.with_user(self.sup_a1).can_decide)
        about_peer.with_user(self.sup_city_a).action_confirm()
        # below: a city supervisor about a county supervisor, an inspector
        # about a supervisor, a unit supervisor about their staff
        self.assertTrue(self._manual(self.sup_city_a, self.sup_a1))
        self.assertTrue(self._manual(self.inspector, self.sup_province))
        self.assertTrue(self._manual(self.sup_a1, self.staff_a1))

    def test_the_unit_of_a_finding_is_the_persons_never_the_recorders_choice(self):
        with self.assertRaises(UserError):
            self._manual(self.sup_city_a, self.staff_a2, unit_id=self.county_a1.id)
        finding = self._manual(
            self.sup_city_a, self.staff_a2, unit_id=self.county_a2.id
        )
        self.assertEqual(finding.unit_id, self.county_a2)
        with self.assertRaises(UserError):
            self._manual(self.sup_province, self.staff_no_unit)
        with Form(self.env["shouwen.finding"].with_user(self.sup_a1)) as form:
            form.person_id = self.staff_a1b
            self.assertEqual(form.unit_id, self.county_a1)
            with self.assertRaises(AssertionError):  # read-only in the form
                form.unit_id = self.county_a2
            form.finding_type = "no_handover"
            form.facts = "未交接"
        self.assertEqual(form.record.unit_id, self.county_a1)
        # the system's proposal about a person without a unit: the matter's
        Finding = self.env["shouwen.finding"]
        matter = self.register(self.staff_a1)
        finding = Finding._propose(
            [
                Finding._fact_values(
                    "overdue_closure", matter, self.staff_no_unit, "超期"
                )
            ]
        )
        self.assertEqual(finding.unit_id, self.county_a1)

    # ------------------------------------------------------------------
    # 3. reclassification
    # ------------------------------------------------------------------

    def test_an_overdue_consultation_reclassified_keeps_its_deadline_and_finding(self):
        with freeze_time(shanghai(2025, 9, 15, 10, 0)) as frozen:
            matter = self.register(self.staff_a1, kind="consult")
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 15, 17, 30))
            frozen.move_to(shanghai(2025, 9, 16, 10, 0))
            with self.assertRaises(UserError):
                matter.write({"kind": "business"})
            with self.assertLogged(
                matter,
                {
                    "action": "reclassify",
                    "user_id": self.staff_a1,
                    "from_user_id": self.staff_a1,
                    "to_user_id": None,
                    "state_from": None,
                    "state_to": "registered",
                    "reason": "Kind: Consultation → Business. Reason: 客户需办理批改",
                },
            ):
                matter.reclassify("客户需办理批改", kind="business")
            self.assertEqual(matter.kind, "business")
            self.assertEqual(
                matter.policy_id,
                self.env.ref("shouwen_responsibility.shouwen_time_policy_business"),
            )
            # the passed deadline stays; the response deadline to come follows
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 15, 17, 30))
            self.assertEqual(matter.response_deadline, shanghai(2025, 9, 16, 17, 30))
            self.env.flush_all()
            self.env.cr.precommit.run()
            tracked = self.messages(matter).tracking_value_ids.filtered(
                lambda t: t.field_id.name == "kind"
            )
            self.assertEqual(len(tracked), 1)
            matter.answer("已办理", "phone")
            matter.action_close()
        finding = self.env["shouwen.finding"].search([("matter_id", "=", matter.id)])
        self.assertEqual(finding.finding_type, "overdue")

    def test_a_deadline_still_to_come_follows_the_new_class(self):
        with freeze_time(shanghai(2025, 9, 15, 10, 0)) as frozen:
            matter = self.register(self.staff_a1, kind="consult")
            frozen.move_to(shanghai(2025, 9, 15, 11, 0))
            matter.with_user(self.sup_a1).reclassify("需补办", kind="business")
            self.assertEqual(matter.closure_deadline, shanghai(2025, 9, 18, 17, 30))

    def test_a_complaint_changes_kind_only_before_its_path_starts(self):
        complaint = self.register(
            self.staff_a1, kind="complaint", business_domain="complaint"
        )
        complaint.propose_assignment(user=self.staff_a1b.id)
        with self.assertRefused(complaint):
            complaint.reclassify("其实是咨询", kind="consult")
        # its priority may still be corrected
        complaint.reclassify("客户情绪激动", priority="1")
        self.assertEqual(complaint.priority, "1")
        handled = self.register(self.staff_a1)
        handled.action_handle()
        with self.assertRefused(handled):
            handled.reclassify("客户要投诉", kind="complaint")
        registered = self.register(
            self.staff_a1, kind="complaint", business_domain="complaint"
        )
        registered.reclassify("只是咨询", kind="consult")
        self.assertEqual(registered.kind, "consult")
        again = self.register(self.staff_a1)
        again.reclassify("客户明确投诉", kind="complaint", business_domain="complaint")
        self.assertEqual(again.kind, "complaint")
        self.assertTrue(again.is_repeat, "the same customer's complaint is a repeat")

    def test_reclassify_is_for_the_first_responsible_and_supervisors_while_open(self):
        matter = self.accepted(self.staff_a1, self.staff_a1b)
        for user in (self.staff_a1, self.inspector, self.staff_b1, self.sup_a2):
            with self.subTest(user=user.login), self.assertRefused(matter, Exception):
                matter.with_user(user).reclassify("改类", channel="phone")
        with self.assertRefused(matter):
            matter.reclassify("", channel="phone")
        with self.assertRefused(matter):
            matter.reclassify("无变化", channel=matter.channel)
        matter.answer("已答复", "phone")
        matter.action_close()
        with self.assertRefused(matter):
            matter.with_user(self.sup_a1).reclassify("结案后改类", channel="phone")

    def test_the_reclassify_dialog_starts_from_the_matter(self):
        matter = self.register(self.staff_a1, kind="consult", business_domain="claims")
        wizard = Form(
            self.env["shouwen.matter.wizard"]
            .with_user(self.staff_a1)
            .with_context(default_action="reclassify", default_matter_id=matter.id)
        )
        self.assertEqual(wizard.new_kind, "consult")
        self.assertEqual(wizard.new_business_domain, "claims")
        wizard.new_kind = "query"
        wizard.text = "客户只想查进度"
        wizard.save().action_confirm()
        self.assertEqual(matter.kind, "query")

    # ------------------------------------------------------------------
    # 6. and 7. complaints assigned to a person, to the person's unit
    # ------------------------------------------------------------------

    def test_a_complaint_assigned_to_a_person_is_theirs_not_their_units(self):
        complaint = self.register(
            self.staff_a1, kind="complaint", business_domain="complaint"
        )
        complaint.propose_assignment(user=self.staff_a2.id)
        complaint.with_user(self.sup_city_a).validate_tier()
        self.assertEqual(complaint.state, "assigned")
        peer = complaint.with_user(self.staff_a2b)
        with self.assertRaises(AccessError):
            peer.read(["subject"])
        with self.assertRaises(AccessError):
            peer.action_sign()
        self.assertFalse(
            self.env["shouwen.matter"]
            .with_user(self.staff_a2b)
            .search([("id", "=", complaint.id)])
        )
        complaint.with_user(self.staff_a2).action_sign()
        self.assertEqual(complaint.handler_id, self.staff_a2)

    def test_an_assignment_is_to_the_persons_own_unit(self):
        complaint = self.register(
            self.staff_a1, kind="complaint", business_domain="complaint"
        )
        with self.assertRefused(complaint):
            complaint.propose_assignment(user=self.staff_b1.id, unit=self.county_a1.id)
        self.assertFalse(complaint.review_ids)
        complaint.propose_assignment(user=self.staff_b1.id, unit=self.county_b1.id)
        self.assertEqual(complaint.assign_unit_id, self.county_b1)
        # the lowest unit above county A1 and county B1: the province
        self.assertEqual(complaint.assignment_approver_ids, self.sup_province)

    # ------------------------------------------------------------------
    # 8. the customer's status link
    # ------------------------------------------------------------------

    def test_no_status_link_is_made_on_the_way(self):
        matter = self.register(self.staff_a1, partner_id=self.customer.id)
        matter.sudo().message_subscribe(partner_ids=self.customer.ids)
        self.customer.email = "sw_portal@example.com"
        # a message that emails the customer, links of every kind, as anyone
        matter.message_post(
            body=Markup("<p>已受理</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        for user in (self.staff_a1, self.sup_a1, self.inspector):
            as_user = matter.with_user(user)
            self.assertNotIn("False", as_user.get_portal_url())
            as_user._get_share_url()
            as_user.sudo()._portal_ensure_token()
        self.assertFalse(matter.access_token)
        self.assertFalse(matter.status_url)
        for user in (self.sup_a1, self.staff_a1b, self.inspector):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):  # access errors included
                    matter.with_user(user).action_make_status_link()
        self.assertFalse(matter.access_token)
        with self.assertLogged(
            matter,
            {
                "action": "status_link",
                "user_id": self.staff_a1,
                "to_user_id": self.staff_a1,
                "from_user_id": None,
                "state_from": None,
                "state_to": "registered",
            },
        ):
            matter.action_make_status_link()
            # made once: a second click changes nothing
            matter.action_make_status_link()
        self.assertTrue(matter.access_token)
        self.assertIn(matter.access_token, matter.status_url)
