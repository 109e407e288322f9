# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What registering and answering cost in queries (issue 7): pinned, and the
same for one matter as for fifty registered in one call — the work grows with
the matters registered, the number of queries does not."""

from freezegun import freeze_time

from odoo.tests import tagged, warmup

from .common import ShouwenCase, shanghai

REGISTERED = shanghai(2025, 9, 15, 10, 0)

#: queries of one registration call, whatever the number of matters in it
REGISTER_QUERIES = 27
#: queries of answering a matter being handled
ANSWER_QUERIES = 20


@tagged("post_install", "-at_install")
class TestQueryCounts(ShouwenCase):
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
