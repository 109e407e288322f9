# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, new_test_user, tagged

SUBJECT = "投诉理赔拖延（导览）"
ACTION = "/odoo/action-shouwen_responsibility.shouwen_matter_action"


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase):
    """In a real browser, one complaint from its registration to the callback,
    each step taken by whoever it falls to: the receiver registers it and
    proposes the handler, the supervisor approves, the handler signs and
    replies, the supervisor accepts the reply, the receiver tells the
    complainant and records the callback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        Unit = cls.env["shouwen.unit"]
        province = Unit.create(
            {"name": "导览省公司（投诉）", "code": "TCP", "level": "province"}
        )
        city = Unit.create(
            {
                "name": "导览市公司（投诉）",
                "code": "TCC",
                "level": "city",
                "parent_id": province.id,
            }
        )
        county = Unit.create(
            {
                "name": "导览支公司（投诉）",
                "code": "TCX",
                "level": "county",
                "parent_id": city.id,
            }
        )

        def user(login, name, group):
            return new_test_user(
                cls.env,
                login=login,
                name=name,
                groups=f"shouwen_responsibility.{group}",
                email=f"{login}@example.com",
                shouwen_unit_id=county.id,
                lang="en_US",
                tz="Asia/Shanghai",
            )

        cls.receiver = user(
            "tour_c_receiver", "Tour Complaint Receiver", "group_shouwen_staff"
        )
        cls.handler = user(
            "tour_c_handler", "Tour Complaint Handler", "group_shouwen_staff"
        )
        cls.supervisor = user(
            "tour_c_supervisor",
            "Tour Complaint Supervisor",
            "group_shouwen_unit_supervisor",
        )
        county.supervisor_ids = cls.supervisor

    def assertState(self, matter, state, **values):
        matter.invalidate_recordset()
        self.assertEqual(matter.state, state)
        for fname, value in values.items():
            self.assertEqual(matter[fname], value, fname)

    def test_complaint_from_registration_to_callback(self):
        self.start_tour(
            "/odoo/action-shouwen_responsibility.shouwen_matter_action_mine",
            "shouwen_complaint_tour",
            login="tour_c_receiver",
        )
        matter = self.env["shouwen.matter"].search([("subject", "=", SUBJECT)])
        self.assertEqual(len(matter), 1)
        self.assertState(
            matter,
            "approval",
            kind="complaint",
            first_responsible_id=self.receiver,
            assign_user_id=self.handler,
            assignment_approver_ids=self.supervisor,
        )
        url = f"{ACTION}/{matter.id}"

        self.start_tour(
            url, "shouwen_complaint_tour_approve", login="tour_c_supervisor"
        )
        self.assertState(
            matter,
            "assigned",
            assignment_approved_by_id=self.supervisor,
            validation_status="validated",
        )

        self.start_tour(
            url, "shouwen_complaint_tour_sign_and_reply", login="tour_c_handler"
        )
        self.assertState(
            matter,
            "review",
            handler_id=self.handler,
            reply="理赔款已于今日支付，并向客户致歉",
        )

        self.start_tour(
            url, "shouwen_complaint_tour_accept_reply", login="tour_c_supervisor"
        )
        self.assertState(matter, "feedback")

        self.start_tour(
            url, "shouwen_complaint_tour_tell_and_callback", login="tour_c_receiver"
        )
        self.assertState(
            matter,
            "closed",
            told_method="phone",
            result="理赔款已于今日支付，并向客户致歉",
            callback_outcome="satisfied",
            callback_note="客户表示满意",
            first_responsible_id=self.receiver,
        )
        self.assertEqual(
            matter.log_ids.sorted("id").mapped("action"),
            [
                "register",
                "propose_assignment",
                "approval_granted",
                "sign",
                "submit_reply",
                "review_accept",
                "tell_complainant",
                "callback",
                "close",
            ],
        )
        self.assertEqual(
            [line.user_id for line in matter.log_ids.sorted("id")],
            [
                self.receiver,
                self.receiver,
                self.supervisor,
                self.handler,
                self.handler,
                self.supervisor,
                self.receiver,
                self.receiver,
                self.receiver,
            ],
        )
