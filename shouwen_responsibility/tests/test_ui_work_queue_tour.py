# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

COMPLAINT = "投诉理赔拖延（待办导览）"
MATTER = "车险理赔进度查询（待办导览）"


@tagged("post_install", "-at_install")
class TestWorkQueueTour(HttpCase):
    """In a real browser, as the demo's own staff (their passwords are their
    logins), each leg starting from their home page 我的待办: a complaint from
    its registration to the callback, and a matter guided, accepted, answered
    and closed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"]
        cls.receiver = Users.search([("login", "=", "zz01_staff1")])
        cls.handler = Users.search([("login", "=", "zz01_staff2")])
        cls.supervisor = Users.search([("login", "=", "zz01_supervisor")])

    def _walk(self, tour, login):
        self.start_tour("/odoo", tour, login=login)

    def _matter(self, subject):
        matter = self.env["shouwen.matter"].search([("subject", "=", subject)])
        self.assertEqual(len(matter), 1)
        matter.invalidate_recordset()
        return matter

    def test_complaint_from_the_work_queue(self):
        self.assertTrue(self.receiver, "the demo's users are missing")
        self._walk("shouwen_queue_complaint_register", "zz01_staff1")
        complaint = self._matter(COMPLAINT)
        self.assertEqual(complaint.state, "approval")
        self.assertEqual(complaint.assignment_approver_ids, self.supervisor)
        self._walk("shouwen_queue_complaint_approve", "zz01_supervisor")
        self.assertEqual(self._matter(COMPLAINT).state, "assigned")
        self._walk("shouwen_queue_complaint_sign", "zz01_staff2")
        self.assertEqual(self._matter(COMPLAINT).state, "review")
        self._walk("shouwen_queue_complaint_review", "zz01_supervisor")
        self.assertEqual(self._matter(COMPLAINT).state, "feedback")
        self._walk("shouwen_queue_complaint_callback", "zz01_staff1")
        complaint = self._matter(COMPLAINT)
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.callback_outcome, "satisfied")
        self.assertEqual(complaint.handler_id, self.handler)
        self.assertEqual(complaint.first_responsible_id, self.receiver)

    def test_matter_from_the_work_queue(self):
        self._walk("shouwen_queue_matter_guide", "zz01_staff1")
        self.assertEqual(self._matter(MATTER).state, "guiding")
        self._walk("shouwen_queue_matter_accept", "zz01_staff2")
        matter = self._matter(MATTER)
        self.assertEqual(matter.state, "closed")
        self.assertEqual(matter.first_responsible_id, self.handler)
