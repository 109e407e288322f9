# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import Form, tagged

from .common import STAFF, ShouwenCase


@tagged("post_install", "-at_install")
class TestRegistrationAdvice(ShouwenCase):
    """The form tells the receiver whether their post handles the matter, and
    otherwise whom to guide the customer to, nearest unit first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # rescue requests are handled by one post, held in every corner of the
        # tree; the names are chosen so that alphabetical order is never the
        # order of distance
        cls.post_rescue = cls.env["shouwen.post"].create(
            {
                "name": "救援调度岗（测试）",
                "post_type": "call_center",
                "duty_ids": [
                    Command.create({"kind": "business", "business_domain": "rescue"})
                ],
            }
        )
        user = cls._new_user
        cls.rescue_same_unit = user("sw_r_same", "Zhu Same Unit", STAFF, cls.county_a1)
        cls.rescue_city = user("sw_r_city", "Wang City", STAFF, cls.city_a)
        cls.rescue_sibling = user("sw_r_sib", "Li Sibling", STAFF, cls.county_a2)
        cls.rescue_province = user("sw_r_prov", "Bai Province", STAFF, cls.province)
        cls.rescue_other_city = user("sw_r_oc", "An Other City", STAFF, cls.county_b1)
        cls.post_rescue.user_ids = (
            cls.rescue_same_unit
            | cls.rescue_city
            | cls.rescue_sibling
            | cls.rescue_province
            | cls.rescue_other_city
        )

    def _advice(self, user, kind, domain, post=None):
        matter = (
            self.env["shouwen.matter"]
            .with_user(user)
            .new(
                {
                    "kind": kind,
                    "business_domain": domain,
                    "post_id": (post or user.shouwen_post_ids[:1]).id,
                    "unit_id": user.shouwen_unit_id.id,
                }
            )
        )
        return matter.can_handle_here, matter.suggested_handler_ids._origin

    def test_a_post_whose_catalogue_covers_the_matter_handles_it_here(self):
        for kind, domain in (
            ("consult", "underwriting"),
            ("business", "endorsement"),
            ("consult", "product"),
        ):
            with self.subTest(kind=kind, domain=domain):
                can_handle, suggested = self._advice(self.staff_a1, kind, domain)
                self.assertTrue(can_handle)
                self.assertFalse(suggested)

    def test_a_duty_without_domain_covers_every_domain(self):
        for domain in ("claims", "underwriting", "other"):
            can_handle, _suggested = self._advice(
                self.staff_a2, "query", domain, self.post_claims
            )
            self.assertTrue(can_handle, domain)
        can_handle, _suggested = self._advice(
            self.staff_a2, "complaint", "claims", self.post_claims
        )
        self.assertFalse(can_handle)

    def _ours(self, users):
        """Our fixtures' users only (the database may hold demo staff)."""
        return users.filtered(
            lambda u: u.shouwen_unit_id.parent_path.startswith(
                self.province.parent_path
            )
        )

    def test_outside_the_catalogue_suggests_the_staff_whose_posts_cover_it(self):
        can_handle, suggested = self._advice(self.staff_a1, "consult", "claims")
        self.assertFalse(can_handle)
        # the loss adjusters, and no one else
        self.assertEqual(
            set(self._ours(suggested).ids),
            set((self.staff_a2 | self.staff_b1 | self.staff_city_a).ids),
        )

    def test_suggestions_stay_in_the_organisation(self):
        """Only staff one can guide to are suggested: a loss adjuster of
        another organisation is refused as a guide target, so is never
        suggested."""
        self.post_claims.user_ids |= self.outsider
        can_handle, suggested = self._advice(self.staff_a1, "consult", "claims")
        self.assertFalse(can_handle)
        self.assertIn(self.staff_a2, suggested)
        self.assertNotIn(self.outsider, suggested)

    def test_without_a_post_nothing_is_handled_here(self):
        matter = (
            self.env["shouwen.matter"]
            .with_user(self.staff_no_unit)
            .new({"kind": "consult", "business_domain": "underwriting"})
        )
        self.assertFalse(matter.can_handle_here)

    def test_suggested_handlers_nearest_unit_first(self):
        _can, suggested = self._advice(self.staff_a1, "business", "rescue")
        order = [
            self.rescue_same_unit,
            self.rescue_sibling,
            self.rescue_other_city,
        ]
        positions = [suggested.ids.index(user.id) for user in order]
        self.assertEqual(positions, sorted(positions), suggested.mapped("name"))
        self.assertEqual(suggested[:1], self.rescue_same_unit)
        self.assertEqual(len(self._ours(suggested)), 5)

    def test_suggested_handlers_prefer_the_own_line_to_other_branches(self):
        """The city branch right above the county is nearer than a sibling
        county; the province is nearer than a county of another city."""
        _can, suggested = self._advice(self.staff_a1, "business", "rescue")
        ids = suggested.ids
        self.assertLess(
            ids.index(self.rescue_city.id), ids.index(self.rescue_sibling.id)
        )
        self.assertLess(
            ids.index(self.rescue_province.id), ids.index(self.rescue_other_city.id)
        )

    def test_suggestions_leave_out_the_receiver_and_archived_staff(self):
        self.rescue_city.active = False
        # registered at a post that does not handle rescue
        _can, suggested = self._advice(
            self.rescue_same_unit, "business", "rescue", self.post_counter
        )
        self.assertNotIn(self.rescue_same_unit, suggested)
        self.assertNotIn(self.rescue_city, suggested)
        self.assertIn(self.rescue_sibling, suggested)

    def test_the_form_shows_the_advice_while_registering(self):
        form = Form(self.env["shouwen.matter"].with_user(self.staff_a1))
        self.assertEqual(form.unit_id, self.county_a1)
        self.assertEqual(form.post_id, self.post_counter)
        form.subject = "咨询理赔流程"
        form.customer_name = "李四"
        form.customer_phone = "13912345678"
        form.kind = "consult"
        form.business_domain = "underwriting"
        self.assertTrue(form.can_handle_here)
        form.business_domain = "claims"
        self.assertFalse(form.can_handle_here)
        self.assertIn(self.staff_a2, form.suggested_handler_ids)
        matter = form.save()
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertEqual(matter.state, "registered")
