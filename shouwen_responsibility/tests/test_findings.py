# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ShouwenCase


@tagged("post_install", "-at_install")
class TestFindings(ShouwenCase):
    """Accountability findings (责任追究): proposed by the system once per fact,
    decided by a supervisor in scope or an inspector, seen by the person
    concerned and their supervisors, never by their peers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Finding = cls.env["shouwen.finding"]
        cls.matter = cls.register(cls.staff_a1, subject="超期未办结事项").sudo()

        def propose(fact, person, unit=None, facts="超过办结时限两个工作日"):
            vals = cls.Finding._fact_values(fact, cls.matter, person, facts)
            if unit:
                vals["unit_id"] = unit.id
            return cls.Finding._propose([vals])

        # one finding per unit of the tree, and one about a unit supervisor
        cls.finding = propose("overdue_closure", cls.staff_a1)
        cls.finding_a2 = propose("closed_without_feedback", cls.staff_a2)
        cls.finding_city = propose("overdue_closure", cls.staff_city_a)
        cls.finding_b1 = propose("repeated_returns", cls.staff_b1)
        cls.finding_sup = propose("unjustified_return", cls.sup_a1)
        cls.findings = (
            cls.finding
            | cls.finding_a2
            | cls.finding_city
            | cls.finding_b1
            | cls.finding_sup
        )

    def visible(self, user):
        return (
            self.env["shouwen.finding"]
            .with_user(user)
            .search([("id", "in", self.findings.ids)])
        )

    # ------------------------------------------------------------------
    # proposals
    # ------------------------------------------------------------------

    def test_a_fact_is_proposed_once_however_often_it_is_reported(self):
        vals = self.Finding._fact_values(
            "overdue_closure", self.matter, self.staff_a1b, "超期"
        )
        first = self.Finding._propose([vals, dict(vals, facts="同一事实再报")])
        second = self.Finding._propose([vals])
        self.assertEqual(len(first), 1)
        self.assertFalse(second)
        self.assertEqual(
            self.Finding.search_count([("origin_key", "=", vals["origin_key"])]), 1
        )

    def test_an_archived_finding_still_counts_as_proposed(self):
        self.finding.with_user(self.sup_a1).dismiss("已核实，客户同意延期")
        self.finding.with_user(self.sup_a1).action_archive()
        vals = self.Finding._fact_values(
            "overdue_closure", self.matter, self.staff_a1, "超期"
        )
        self.assertFalse(self.Finding._propose([vals]))

    def test_a_fact_proposed_meanwhile_by_another_transaction_is_skipped(self):
        """The unique key decides when the fact was recorded after the check:
        the other proposals of the batch are still created."""
        known = self.Finding._fact_values(
            "overdue_closure", self.matter, self.staff_a1, "超期"
        )
        new = self.Finding._fact_values(
            "overdue_closure", self.matter, self.staff_a1b, "超期"
        )
        Findings = self.Finding.sudo()
        created = Findings._create_new(
            [dict(vals, state="proposed", origin="system") for vals in (known, new)]
        )
        self.assertEqual(created.mapped("origin_key"), [new["origin_key"]])

    def test_a_proposal_of_the_system_decides_nothing(self):
        finding = self.finding.sudo()
        self.assertRecordValues(
            finding,
            [
                {
                    "state": "proposed",
                    "origin": "system",
                    "finding_type": "overdue",
                    "proposed_sanction": "criticism",
                    "sanction": False,
                    "decided_by_id": False,
                    "decision_date": False,
                    "person_id": self.staff_a1.id,
                    "unit_id": self.county_a1.id,
                    "matter_id": self.matter.id,
                }
            ],
        )
        vals = self.Finding._fact_values(
            "overdue_closure", self.matter, self.sup_a2, ""
        )
        for decision in (
            {"state": "confirmed"},
            {"sanction": "fine"},
            {"decided_by_id": self.sup_a1.id},
        ):
            with self.subTest(decision=decision), self.assertRaises(ValueError):
                self.Finding._propose([dict(vals, **decision)])
        with self.assertRaises(ValueError):  # a fact without its key
            self.Finding._propose([dict(vals, origin_key=False)])
        with self.assertRaises(ValueError):  # nobody to hold accountable
            self.Finding._propose(
                [dict(vals, person_id=self.staff_no_unit.id, unit_id=False)]
            )

    def test_a_proposal_asks_the_unit_supervisors_to_decide(self):
        activities = self.finding.sudo().activity_ids
        self.assertEqual(activities.user_id, self.sup_a1)
        self.assertEqual(
            activities.activity_type_id,
            self.env.ref("shouwen_responsibility.mail_activity_type_shouwen_finding"),
        )
        self.assertIn(self.sup_a1.partner_id, self.finding.sudo().message_partner_ids)
        self.assertNotIn(
            self.staff_a1.partner_id, self.finding.sudo().message_partner_ids
        )

    def test_a_proposal_about_a_unit_supervisor_goes_to_the_city(self):
        self.assertEqual(self.finding_sup.sudo().activity_ids.user_id, self.sup_city_a)

    def test_the_fact_table_gives_type_sanction_and_key(self):
        vals = self.Finding._fact_values(
            "repeated_returns", self.matter, self.staff_a2, "三次退回", occurrence=7
        )
        self.assertEqual(vals["finding_type"], "shirking")
        self.assertEqual(vals["proposed_sanction"], "circulated_notice")
        self.assertEqual(vals["unit_id"], self.county_a2.id)
        self.assertEqual(
            vals["origin_key"],
            f"repeated_returns:{self.matter.id}:{self.staff_a2.id}:7",
        )

    # ------------------------------------------------------------------
    # decisions
    # ------------------------------------------------------------------

    def test_supervisors_in_scope_and_inspectors_dismiss(self):
        for user in (self.sup_a1, self.sup_city_a, self.sup_province, self.inspector):
            with self.subTest(user=user.login), self.env.cr.savepoint() as savepoint:
                self.finding.with_user(user).dismiss("延期经客户同意，不予追究")
                self.assertRecordValues(
                    self.finding.sudo(),
                    [{"state": "dismissed", "decided_by_id": user.id}],
                )
                savepoint.close(rollback=True)
                self.env.invalidate_all()

    def test_supervisors_in_scope_and_inspectors_confirm(self):
        for user in (self.sup_a1, self.sup_city_a, self.sup_province, self.inspector):
            with self.subTest(user=user.login), self.env.cr.savepoint() as savepoint:
                finding = self.finding.with_user(user)
                self.assertTrue(finding.can_decide)
                finding.action_confirm()
                self.assertRecordValues(
                    finding.sudo(),
                    [
                        {
                            "state": "confirmed",
                            "sanction": "criticism",
                            "decided_by_id": user.id,
                        }
                    ],
                )
                self.assertTrue(finding.sudo().decision_date)
                self.assertFalse(finding.sudo().activity_ids)
                savepoint.close(rollback=True)
                self.env.invalidate_all()

    def test_the_decider_may_choose_another_sanction(self):
        finding = self.finding.with_user(self.sup_a1)
        finding.write(
            {"sanction": "performance_deduction", "decision_note": "屡教不改"}
        )
        finding.action_confirm()
        self.assertEqual(finding.sudo().sanction, "performance_deduction")

    def test_the_person_peers_and_other_supervisors_cannot_decide(self):
        for user in (
            self.staff_a1,  # the person concerned
            self.staff_a1b,  # a peer in the same unit
            self.sup_a2,  # supervisor of another unit of the same city
            self.sup_city_b,  # supervisor of another city
            self.staff_b1,
            self.employee,
        ):
            finding = self.finding.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    finding.action_confirm()
                with self.assertRaises(UserError):
                    finding.dismiss("不成立")
                with self.assertRaises(UserError):
                    finding.write({"decision_note": "x"})
        self.assertEqual(self.finding.sudo().state, "proposed")
        self.assertFalse(self.finding.sudo().decision_note)

    def test_a_supervisor_does_not_decide_a_finding_about_themselves(self):
        finding = self.finding_sup.with_user(self.sup_a1)
        self.assertTrue(finding.read(["state"]))  # they see it, as its person
        self.assertFalse(finding.can_decide)
        with self.assertRaisesRegex(UserError, "is about you"):
            finding.action_confirm()
        with self.assertRaises(UserError):
            finding.dismiss("不成立")
        self.finding_sup.with_user(self.sup_city_a).action_confirm()
        self.assertEqual(self.finding_sup.sudo().state, "confirmed")

    def test_dismissal_needs_a_reason(self):
        finding = self.finding.with_user(self.inspector)
        for note in (None, "", "   "):
            with self.subTest(note=note), self.assertRaises(UserError):
                finding.dismiss(note)
        with self.assertRaises(UserError):
            finding.action_dismiss()  # no decision note on the form
        self.assertEqual(finding.sudo().state, "proposed")
        finding.decision_note = "客户主动要求延后办理"
        finding.action_dismiss()
        self.assertRecordValues(
            finding.sudo(),
            [
                {
                    "state": "dismissed",
                    "sanction": False,
                    "decided_by_id": self.inspector.id,
                    "decision_note": "客户主动要求延后办理",
                }
            ],
        )

    def test_a_decision_is_final(self):
        finding = self.finding.with_user(self.sup_a1)
        finding.action_confirm()
        with self.assertRaises(UserError):
            finding.dismiss("改判")
        with self.assertRaises(UserError):
            finding.action_confirm()
        with self.assertRaises(UserError):
            finding.write({"sanction": "fine"})
        self.assertEqual(finding.sudo().sanction, "criticism")

    def test_the_state_changes_only_through_the_actions(self):
        finding = self.finding.with_user(self.sup_a1)
        for vals in (
            {"state": "confirmed"},
            {"decided_by_id": self.sup_a1.id},
            {"origin_key": "x"},
            {"person_id": self.staff_a1b.id},
            {"unit_id": self.county_a2.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                finding.write(vals)
        with self.assertRaises(UserError):
            self.Finding.with_user(self.sup_a1).create(
                {
                    "person_id": self.staff_a1b.id,
                    "finding_type": "attitude",
                    "facts": "x",
                    "state": "confirmed",
                }
            )
        self.assertEqual(finding.sudo().state, "proposed")

    def test_archiving_by_deciders_once_decided(self):
        with self.assertRaises(UserError):
            self.finding.with_user(self.sup_a1).action_archive()
        self.finding.with_user(self.sup_a1).action_confirm()
        with self.assertRaises(UserError):
            self.finding.with_user(self.staff_a1).action_archive()
        self.finding.with_user(self.sup_a1).action_archive()
        self.assertFalse(self.finding.sudo().active)

    # ------------------------------------------------------------------
    # who sees what
    # ------------------------------------------------------------------

    def test_who_sees_which_findings(self):
        expected = {
            self.staff_a1: self.finding,
            self.staff_a1b: self.Finding,
            self.staff_a2: self.finding_a2,
            self.sup_a1: self.finding | self.finding_sup,
            self.sup_a2: self.finding_a2,
            self.sup_city_a: self.findings - self.finding_b1,
            self.sup_city_b: self.finding_b1,
            self.sup_province: self.findings,
            self.inspector: self.findings,
            self.outsider: self.Finding,
        }
        for user, findings in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self.visible(user), findings.with_user(user))

    def test_the_search_filters_of_the_view_work_for_everyone(self):
        arch = self.env["shouwen.finding"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        filters = {
            node.get("name"): node.get("domain")
            for node in etree.fromstring(arch).iter("filter")
            if node.get("domain")
        }
        self.assertLessEqual({"mine", "my_unit", "proposed", "to_decide"}, set(filters))
        found = {}
        for user in (self.staff_a1, self.sup_a1, self.inspector):
            Finding = self.env["shouwen.finding"].with_user(user)
            for name, domain in filters.items():
                domain = safe_eval(domain, {"uid": user.id})
                found[user, name] = Finding.search(
                    [("id", "in", self.findings.ids), *domain]
                )
        self.assertEqual(found[self.staff_a1, "mine"], self.finding)
        self.assertEqual(found[self.sup_a1, "mine"], self.finding_sup)
        self.assertEqual(found[self.sup_a1, "my_unit"], self.finding | self.finding_sup)
        self.assertEqual(found[self.sup_a1, "to_decide"], self.finding)
        self.assertEqual(found[self.inspector, "proposed"], self.findings)

    def test_a_peer_cannot_read_a_colleagues_finding(self):
        with self.assertRaises(AccessError):
            self.finding.with_user(self.staff_a1b).read(["facts"])

    def test_an_employee_without_role_sees_no_finding(self):
        with self.assertRaises(AccessError):
            self.env["shouwen.finding"].with_user(self.employee).search([])

    # ------------------------------------------------------------------
    # recording by hand
    # ------------------------------------------------------------------

    def _manual(self, user, person, **values):
        return self.Finding.with_user(user).create(
            {
                "person_id": person.id,
                "finding_type": "attitude",
                "facts": "客户投诉柜面人员态度生硬",
                "proposed_sanction": "criticism",
                **values,
            }
        )

    def test_an_inspector_records_a_finding_but_cannot_write_a_matter(self):
        finding = self._manual(self.inspector, self.staff_b1)
        self.assertRecordValues(
            finding.sudo(),
            [{"unit_id": self.county_b1.id, "origin": "manual", "state": "proposed"}],
        )
        finding.action_confirm()
        self.assertEqual(finding.sudo().state, "confirmed")
        with self.assertRaises(AccessError):
            self.matter.with_user(self.inspector).write({"description": "x"})

    def test_a_supervisor_records_findings_in_their_scope_only(self):
        finding = self._manual(self.sup_a1, self.staff_a1b)
        self.assertEqual(finding.sudo().unit_id, self.county_a1)
        with self.assertRaises(UserError):
            self._manual(self.sup_a1, self.staff_a2)
        with self.assertRaises(UserError):
            self._manual(self.sup_a1, self.staff_a1b, unit_id=self.county_a2.id)
        with self.assertRaises(UserError):
            self._manual(self.sup_a1, self.sup_a1)
        self.assertTrue(self._manual(self.sup_city_a, self.staff_a2))

    def test_a_supervisor_records_a_finding_in_the_form(self):
        with Form(self.env["shouwen.finding"].with_user(self.sup_a1)) as form:
            form.person_id = self.staff_a1b
            self.assertEqual(form.unit_id, self.county_a1)
            form.finding_type = "no_handover"
            form.facts = "引导客户至理赔岗后未与承办人交接"
            form.proposed_sanction = "criticism"
        finding = form.record
        self.assertEqual(finding.state, "proposed")
        finding.action_confirm()
        self.assertEqual(finding.sanction, "criticism")

    def test_every_role_opens_the_findings_it_sees(self):
        for user in (self.staff_a1, self.sup_a1, self.sup_city_a, self.inspector):
            with self.subTest(user=user.login):
                Finding = self.env["shouwen.finding"].with_user(user)
                views = Finding.get_views(
                    [(False, "list"), (False, "form"), (False, "search")]
                )
                spec = {
                    name: {"fields": {"display_name": {}}}
                    if info["type"] == "many2one"
                    else {}
                    for name, info in views["models"]["shouwen.finding"][
                        "fields"
                    ].items()
                    if info["type"] not in ("one2many", "many2many")
                }
                result = Finding.web_search_read(
                    [("id", "in", self.findings.ids)], spec
                )
                self.assertEqual(result["length"], len(self.visible(user)))

    def test_staff_cannot_record_a_finding(self):
        with self.assertRaises(AccessError):
            self._manual(self.staff_a1, self.staff_a1b)

    # ------------------------------------------------------------------
    # deletion
    # ------------------------------------------------------------------

    def test_nobody_deletes_a_finding_but_the_superuser(self):
        self.finding.with_user(self.sup_a1).action_confirm()
        for user in (
            self.staff_a1,
            self.sup_a1,
            self.sup_province,
            self.manager,
            self.inspector,
        ):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.finding.with_user(user).unlink()
        with self.assertRaises(UserError):
            self.finding.with_user(self.manager).sudo().unlink()
        self.assertTrue(self.finding.exists())
        self.finding.with_user(SUPERUSER_ID).unlink()
        self.assertFalse(self.finding.exists())

    def test_a_finding_is_not_duplicated(self):
        with self.assertRaises(UserError):
            self.finding.with_user(self.sup_a1).copy()
