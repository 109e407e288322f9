# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""我的待办: each list holds exactly the matters on which the user has its
button, counted as the user; the app and the demo staff open on it; a
proposed designated receiver is a to-do for the leader in charge."""

from odoo.tests import TransactionCase, tagged

from ..models.shouwen_matter_queue import QUEUE_ACTIONS, SCOPE_DOMAINS


@tagged("post_install", "-at_install")
class TestWorkQueue(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Matter = cls.env["shouwen.matter"]
        cls.users = cls.env["res.users"].search(
            [
                ("share", "=", False),
                (
                    "groups_id",
                    "in",
                    cls.env.ref("shouwen_responsibility.group_shouwen_staff").id,
                ),
                ("shouwen_unit_id", "!=", False),
            ]
        )

    def test_lists_hold_the_matters_with_their_buttons(self):
        self.assertGreater(len(self.users), 15, "the demo's users are missing")
        seen = 0
        for user in self.users:
            matters = self.Matter.with_user(user).search([])
            cards = {
                c["key"]: c
                for c in self.Matter.with_user(user).get_work_queue()["cards"]
            }
            for queue, actions in QUEUE_ACTIONS.items():
                expected = matters.filtered(
                    lambda m, actions=actions: (
                        set(actions) & set(m.available_actions or ())
                    )
                )
                if queue == "to_callback":
                    # a supervisor's right to record any callback of their
                    # scope: those wait in the scope, not for them
                    expected = expected.filtered(
                        lambda m, user=user: m.first_responsible_id == user
                    )
                if queue == "to_approve":
                    # an extension waits for the supervisors it was sent to
                    personal = {
                        "approve_assignment",
                        "review_accept",
                        "approve_closure",
                    }
                    expected = expected.filtered(
                        lambda m, user=user, personal=personal: (
                            personal & set(m.available_actions)
                            or user
                            in m._extension_approvers(
                                m.pending_extension_id.needs_senior
                            )
                        )
                    )
                found = self.Matter.with_user(user).search(
                    [(f"queue_{queue}", "=", True)]
                )
                self.assertEqual(found, expected, f"{user.login}: {queue}")
                self.assertEqual(cards[queue]["count"], len(expected))
                # the negation is the rest of what the user reads
                self.assertEqual(
                    self.Matter.with_user(user).search(
                        [(f"queue_{queue}", "!=", True)]
                    ),
                    matters - expected,
                )
                seen += len(expected)
            overdue = self.Matter.with_user(user).search([("queue_overdue", "=", True)])
            self.assertLessEqual(overdue, matters)
            self.assertTrue(all(m.is_overdue and m.is_open for m in overdue))
        self.assertGreater(seen, 5, "the demo should leave something waiting")

    def test_staff_see_their_own_clock_supervisors_their_scope(self):
        staff = self.users.filtered(lambda u: u.login == "zz01_staff1")
        supervisor = self.users.filtered(lambda u: u.login == "zz_manager")
        mine = self.Matter.with_user(staff).search([("queue_overdue", "=", True)])
        self.assertTrue(
            all(staff in (m.first_responsible_id | m.handler_id) for m in mine)
        )
        scope = self.Matter.with_user(supervisor).search(
            [("is_overdue", "=", True), ("is_open", "=", True)]
        )
        self.assertEqual(
            self.Matter.with_user(supervisor).search([("queue_overdue", "=", True)]),
            scope,
        )
        self.assertTrue(scope, "the demo has overdue matters in Zhengzhou")

    def test_a_card_opens_its_list(self):
        staff = self.users[:1]
        action = self.Matter.with_user(staff).action_open_work_queue("to_sign")
        self.assertEqual(action["res_model"], "shouwen.matter")
        self.assertEqual(action["context"], {"search_default_queue_to_sign": 1})
        action = self.Matter.with_user(staff).action_open_work_queue("receivers")
        self.assertEqual(action["res_model"], "shouwen.unit")

    def test_the_app_and_the_staff_open_on_the_queue(self):
        home = self.env.ref("shouwen_responsibility.shouwen_work_queue_action")
        self.assertEqual(
            self.env.ref("shouwen_responsibility.shouwen_menu_root").action, home
        )
        self.assertEqual(self.users.action_id.ids, home.ids)
        # staff without a home action land on the first app: this one, not Discuss
        staff = self.env["res.users"].create(
            {
                "name": "新员工",
                "login": "queue_new_staff",
                "groups_id": [
                    (
                        6,
                        0,
                        [self.env.ref("shouwen_responsibility.group_shouwen_staff").id],
                    )
                ],
            }
        )
        menus = self.env["ir.ui.menu"].with_user(staff).load_menus(False)
        first_app = menus[menus["root"]["children"][0]]
        self.assertEqual(first_app["xmlid"], "shouwen_responsibility.shouwen_menu_root")
        self.assertEqual(first_app["action"], f"ir.actions.client,{home.id}")

    def test_a_proposed_receiver_is_a_todo_for_the_leader(self):
        unit = self.env["shouwen.unit"].search(
            [("supervisor_ids", "!=", False), ("level", "=", "county")], limit=1
        )
        staff = self.users.filtered(lambda u: u.shouwen_unit_id == unit)[:1]
        leader = unit.supervisor_ids[:1]
        unit.designated_receiver_id = staff
        activity_type = self.env.ref(
            "shouwen_responsibility.mail_activity_type_shouwen_receiver"
        )
        todo = unit.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(todo.user_id, unit.supervisor_ids)
        self.assertIn(
            unit,
            self.env["shouwen.unit"]
            .with_user(leader)
            .search([("receiver_to_approve", "=", True)]),
        )
        self.assertNotIn(
            unit,
            self.env["shouwen.unit"]
            .with_user(staff)
            .search([("receiver_to_approve", "=", True)]),
        )
        unit.with_user(leader).action_approve_designated_receiver()
        self.assertFalse(todo.exists())
        self.assertFalse(unit.with_user(leader).receiver_to_approve)

    def test_the_handlers_own_clock_is_on_the_form(self):
        signed = self.env["shouwen.handover"].search(
            [
                ("state", "=", "signed"),
                ("own_deadline", "!=", False),
                ("part_id", "=", False),
            ]
        )
        matter = signed.matter_id.filtered(lambda m: m.is_open and m.handler_id)[:1]
        self.assertTrue(matter, "the demo has a signed, open matter")
        last = matter.handover_ids.filtered(
            lambda h: h.state == "signed" and h.user_id == matter.handler_id
        ).sorted(lambda h: (h.signed_date, h.id))[-1:]
        self.assertEqual(matter.handler_own_deadline, last.own_deadline)
        arch = self.env["shouwen.matter"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('name="handler_own_deadline"', arch)

    def test_a_supervisor_sees_what_waits_in_their_scope(self):
        supervisor = self.users.filtered(lambda u: u.login == "zz_manager")
        staff = self.users.filtered(lambda u: u.login == "zz01_staff2")
        as_supervisor = self.Matter.with_user(supervisor)
        queue = as_supervisor.get_work_queue(True)
        self.assertTrue(queue["scope"])
        counts = {c["key"]: c["count"] for c in queue["cards"]}
        for key, domain in SCOPE_DOMAINS.items():
            self.assertEqual(counts[key], as_supervisor.search_count(domain), key)
        # the guided matters of Zhengzhou wait for others: in the scope only
        self.assertGreater(counts["to_accept"], 0)
        self.assertEqual(
            {c["key"]: c["count"] for c in as_supervisor.get_work_queue()["cards"]}[
                "to_accept"
            ],
            0,
        )
        action = as_supervisor.action_open_work_queue("to_accept", True)
        self.assertTrue(action["context"]["shouwen_queue_scope"])
        # staff have no scope: the switch is refused quietly, their own lists
        as_staff = self.Matter.with_user(staff)
        self.assertFalse(as_staff.get_work_queue(True)["scope"])
        self.assertFalse(as_staff.get_work_queue()["switch"])
        self.assertEqual(
            as_staff.with_context(shouwen_queue_scope=True).search(
                [("queue_to_accept", "=", True)]
            ),
            as_staff.search([("queue_to_accept", "=", True)]),
        )
        self.assertNotIn(
            "shouwen_queue_scope",
            as_staff.action_open_work_queue("to_accept", True)["context"],
        )
