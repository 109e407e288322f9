# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What registering, answering and the follow-up sweep cost in queries
(issue 7): pinned, and the same for one matter as for fifty — the work grows
with the matters, the number of queries does not."""

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged, warmup

from .common import PHONE, ShouwenClockCase, shanghai

REGISTERED = shanghai(2025, 9, 15, 10, 0)
NEXT_DAY = shanghai(2025, 9, 16, 10, 0)

#: queries of one registration call, whatever the number of matters in it (one
#: of them locks the chains of the log and reads their heads, issue 18)
REGISTER_QUERIES = 11
#: queries of answering a matter being handled (one of them finds the
#: reminders the stopped clock answers, to mark them done)
ANSWER_QUERIES = 17
#: queries of a sweep that reminds, whatever the number of matters due (the
#: follow-up rules read at once; one query finds the to-dos already open, one
#: the handovers whose own clock runs; the lock of the due matters is taken in
#: a savepoint of its own, two more, so that another node's run is no error)
SWEEP_QUERIES = 38
#: queries of a clerk's list page (web_search_read): the page with its
#: fields, the pager's count, the names of the related records, the clear
#: phones and their record of views; the rules of the page's matters are not
#: asked again (the search applied them)
LIST_QUERIES = 6
#: queries of a registration in the form (web_save): the creation, then the
#: form read back — the rules of the new matter asked once, when it is
#: fetched, not again by the fields computed from them (who may see the
#: customer's data, the actions offered, who takes part)
FORM_SAVE_QUERIES = 19
#: the list's fields of this measure
LIST_SPEC = {
    "name": {},
    "registered_date": {},
    "state": {},
    "customer_phone": {},
    "unit_id": {"fields": {"display_name": {}}},
}


@tagged("post_install", "-at_install")
class TestQueryCounts(ShouwenClockCase):
    def values(self, count):
        return [
            self._matter_values(kind="business", business_domain="underwriting")
            for _i in range(count)
        ]

    def registered(self, matters, count):
        self.assertEqual(len(matters), count)
        self.assertEqual(len(set(matters.mapped("name"))), count)
        self.assertTrue(all(matters.mapped("closure_deadline")))
        self.assertTrue(all(matters.mapped("next_followup_date")))
        logged = matters.sudo().log_ids.filtered(lambda line: line.action == "register")
        self.assertEqual(len(logged), count)

    @warmup
    def test_registering_one_or_fifty_matters_costs_the_same_queries(self):
        Matter = self.env["shouwen.matter"].with_user(self.staff_a1)
        with freeze_time(REGISTERED):
            Matter.create(self.values(1))  # the unit's first number, caches
            self.env.invalidate_all()
            one_vals, fifty_vals = self.values(1), self.values(50)
            with self.assertQueryCount(REGISTER_QUERIES):
                one = Matter.create(one_vals)
            self.env.invalidate_all()
            with self.assertQueryCount(REGISTER_QUERIES):
                fifty = Matter.create(fifty_vals)
        self.registered(one, 1)
        self.registered(fifty, 50)
        self.assertFalse(set(one.mapped("name")) & set(fifty.mapped("name")))

    @warmup
    def test_answering_costs_the_same_queries_for_each_matter(self):
        Matter = self.env["shouwen.matter"].with_user(self.staff_a1)
        with freeze_time(REGISTERED):
            first, second = Matter.create(self.values(2))
            (first | second).action_handle()
            for matter in (first, second):
                self.env.invalidate_all()
                with self.assertQueryCount(ANSWER_QUERIES):
                    matter.answer("已按政策答复客户", "phone")
        self.assertEqual(set((first | second).mapped("state")), {"answered"})

    def due_groups(self):
        """One matter, then fifty a working day later, handled by Staff A1:
        returns the two groups and the moments of their first reminders."""
        Matter = self.env["shouwen.matter"].with_user(self.staff_a1)
        groups = []
        for count, registered in ((1, REGISTERED), (50, NEXT_DAY)):
            with freeze_time(registered):
                matters = Matter.create(self.values(count))
                matters.action_handle()
            groups.append(matters)
        self.env.flush_all()
        moments = [set(group.mapped("first_reminder_date")) for group in groups]
        self.assertEqual([len(m) for m in moments], [1, 1])
        return groups, [m.pop() for m in moments]

    @warmup
    def test_sweeping_one_or_fifty_due_matters_costs_the_same_queries(self):
        (one, fifty), (first, second) = self.due_groups()
        self.assertLess(first, min(fifty.mapped("next_followup_date")))
        with freeze_time(first):
            self.env.invalidate_all()
            with self.assertQueryCount(SWEEP_QUERIES):
                self.assertEqual(self.sweep(), 1)
        with freeze_time(second):
            self.env.invalidate_all()
            with self.assertQueryCount(SWEEP_QUERIES):
                self.assertEqual(self.sweep(), 50)
        for matter in one | fifty:
            self.assertEqual(len(self.activities(matter, "reminder")), 1)
            self.assertEqual(len(self.notes(matter, "reminder")), 1)

    @warmup
    def test_a_clerks_list_is_read_without_asking_its_rules_again(self):
        Matter = self.env["shouwen.matter"].with_user(self.staff_a1)
        with freeze_time(REGISTERED):
            mine = Matter.create(self.values(3))
            theirs = (
                self.env["shouwen.matter"]
                .with_user(self.staff_b1)
                .create(self.values(2))
            )
        self.env.invalidate_all()
        with self.assertQueryCount(LIST_QUERIES):
            page = Matter.web_search_read([], LIST_SPEC, limit=80, count_limit=1001)
        listed = {row["id"] for row in page["records"]}
        self.assertLessEqual(set(mine.ids), listed)
        self.assertFalse(listed & set(theirs.ids))
        self.assertEqual(page["length"], len(listed))
        # the clerk handles them: the phone is theirs to read in clear
        self.assertEqual(
            {row["customer_phone"] for row in page["records"] if row["id"] in mine.ids},
            set(mine.mapped("customer_phone")),
        )

    def form_specification(self, user):
        """The fields the web client reads back after saving the form, as
        ``user`` gets the form (their groups apply)."""
        Matter = self.env["shouwen.matter"].with_user(user)
        views = Matter.get_views([(False, "form")])
        fields = views["models"]["shouwen.matter"]["fields"]
        spec = {}
        for node in etree.fromstring(views["views"]["form"]["arch"]).iter("field"):
            if any(parent.tag == "field" for parent in node.iterancestors()):
                continue  # a sub-view's field
            relational = fields[node.get("name")]["type"] in (
                "many2one",
                "one2many",
                "many2many",
            )
            spec[node.get("name")] = (
                {"fields": {"display_name": {}}} if relational else {}
            )
        return spec

    @warmup
    def test_a_registration_in_the_form_asks_the_new_matters_rules_once(self):
        Matter = self.env["shouwen.matter"].with_user(self.staff_a1)
        spec = self.form_specification(self.staff_a1)
        with freeze_time(REGISTERED):
            Matter.web_save(self.values(1)[0], spec)  # the unit's number, caches
            self.env.invalidate_all()
            values = self.values(1)[0]
            with self.assertQueryCount(FORM_SAVE_QUERIES):
                saved = Matter.web_save(values, spec)[0]
        matter = Matter.browse(saved["id"])
        self.registered(matter, 1)
        # the form the clerk gets back: theirs, the phone in clear, the
        # actions of its first responsible
        self.assertEqual(saved["first_responsible_id"]["id"], self.staff_a1.id)
        self.assertEqual(saved["customer_phone"], PHONE)
        self.assertTrue(saved["can_see_personal"])
        self.assertIn("answer", saved["available_actions"])
