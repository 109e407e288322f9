# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import MANAGER, ShouwenCase

MATERIALS = "身份证复印件\n行驶证\n驾驶证\n事故认定书\n维修发票"
ANSWER = "理赔款已支付，预计三个工作日内到账。"


@tagged("post_install", "-at_install")
class TestNoticeTemplates(ShouwenCase):
    """One-time notice templates (一次性告知模板): the receiver picks one of the
    matter's business domain and kind, adapts the text, and what was told is
    stored on the matter with the template it started from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["shouwen.notice.template"]
        cls.claims_any = Template.create(
            {
                "name": "理赔材料（所有类型）",
                "business_domain": "claims",
                "materials": MATERIALS,
                "answer_text": ANSWER,
            }
        )
        cls.claims_consult = Template.create(
            {
                "name": "理赔咨询答复",
                "business_domain": "claims",
                "kind": "consult",
                "answer_text": "出险后请在48小时内报案。",
            }
        )
        cls.claims_business = Template.create(
            {
                "name": "理赔办理材料",
                "business_domain": "claims",
                "kind": "business",
                "materials": "被保险人银行卡复印件",
            }
        )
        cls.endorsement = Template.create(
            {
                "name": "批改材料",
                "business_domain": "endorsement",
                "materials": "批改申请书\n保险单正本",
            }
        )
        cls.archived = Template.create(
            {
                "name": "旧版理赔材料",
                "business_domain": "claims",
                "materials": "旧清单",
                "active": False,
            }
        )
        cls.templates = (
            cls.claims_any
            | cls.claims_consult
            | cls.claims_business
            | cls.endorsement
            | cls.archived
        ).with_context(active_test=False)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _dialog(self, user, matter, action):
        return Form(
            self.env["shouwen.matter.wizard"]
            .with_user(user)
            .with_context(
                active_model="shouwen.matter",
                active_id=matter.id,
                default_action=action,
            )
        )

    def _offered(self, user, matter, action):
        """The fixture templates the dialog offers: the template field's
        domain, evaluated on the dialog's values as the client does, searched
        as ``user``."""
        wizard = (
            self.env["shouwen.matter.wizard"]
            .with_user(user)
            .create({"matter_id": matter.id, "action": action})
        )
        values = {}
        for fname, field in wizard._fields.items():
            value = wizard[fname]
            if field.type == "many2one":
                value = value.id
            elif field.relational:
                value = value.ids
            values[fname] = value
        domain = safe_eval(wizard._fields["notice_template_id"].domain, values)
        return (
            self.env["shouwen.notice.template"].with_user(user).search(domain)
            & self.templates
        )

    # ------------------------------------------------------------------
    # the choice offered
    # ------------------------------------------------------------------

    def test_the_dialog_offers_the_templates_of_the_matters_domain_and_kind(self):
        consult = self.register(self.staff_a1, kind="consult")
        self.assertEqual(
            self._offered(self.staff_a1, consult, "answer"),
            self.claims_any | self.claims_consult,
        )
        business = self.register(self.staff_a1, kind="business")
        self.assertEqual(
            self._offered(self.staff_a1, business, "notify_materials"),
            self.claims_any | self.claims_business,
        )
        endorsement = self.register(
            self.staff_a1, kind="business", business_domain="endorsement"
        )
        self.assertEqual(
            self._offered(self.staff_a1, endorsement, "notify_materials"),
            self.endorsement,
        )

    def test_archived_templates_are_not_offered(self):
        matter = self.register(self.staff_a1)
        self.assertNotIn(
            self.archived, self._offered(self.staff_a1, matter, "notify_materials")
        )
        self.claims_any.action_archive()
        self.assertNotIn(
            self.claims_any, self._offered(self.staff_a1, matter, "notify_materials")
        )

    def test_the_template_is_chosen_only_for_materials_and_answers(self):
        matter = self.register(self.staff_a1)
        for action in ("guide", "reopen", "request_extension"):
            form = self._dialog(self.staff_a1, matter, action)
            with self.subTest(action=action), self.assertRaises(AssertionError):
                form.notice_template_id = self.claims_any

    # ------------------------------------------------------------------
    # the dialog fills the text, the edited text is stored
    # ------------------------------------------------------------------

    def test_choosing_a_template_fills_the_missing_materials(self):
        matter = self.register(self.staff_a1)
        form = self._dialog(self.staff_a1, matter, "notify_materials")
        form.notice_template_id = self.claims_any
        self.assertEqual(form.text, MATERIALS)

    def test_choosing_a_template_fills_the_answer(self):
        matter = self.register(self.staff_a1)
        form = self._dialog(self.staff_a1, matter, "answer")
        form.notice_template_id = self.claims_any
        self.assertEqual(form.text, ANSWER)
        form.notice_template_id = self.claims_consult
        self.assertEqual(form.text, "出险后请在48小时内报案。")

    def test_the_edited_materials_are_stored_with_the_template(self):
        matter = self.register(self.staff_a1)
        form = self._dialog(self.staff_a1, matter, "notify_materials")
        form.notice_template_id = self.claims_any
        edited = MATERIALS.replace("\n驾驶证", "") + "\n医院诊断证明"
        form.text = edited
        form.save().action_confirm()
        self.assertEqual(matter.materials_notice, edited)
        self.assertEqual(matter.notice_template_id, self.claims_any)
        # the template itself is unchanged
        self.assertEqual(self.claims_any.materials, MATERIALS)
        line = matter.sudo().log_ids.filtered(
            lambda log: log.action == "notify_materials"
        )
        self.assertEqual(line.reason, edited)

    def test_the_edited_answer_is_stored_with_the_template(self):
        matter = self.register(self.staff_a1)
        form = self._dialog(self.staff_a1, matter, "answer")
        form.notice_template_id = self.claims_consult
        form.text = "出险后请在48小时内拨打客服电话报案，已短信告知流程。"
        form.told_method = "sms"
        form.save().action_confirm()
        self.assertEqual(matter.state, "answered")
        self.assertEqual(
            matter.result, "出险后请在48小时内拨打客服电话报案，已短信告知流程。"
        )
        self.assertEqual(matter.notice_template_id, self.claims_consult)

    def test_the_matter_methods_take_a_template_record_or_id(self):
        matter = self.register(self.staff_a1)
        matter.notify_materials("身份证复印件", template=self.claims_any.id)
        self.assertEqual(matter.notice_template_id, self.claims_any)
        matter.answer("已告知", "phone", template=self.claims_consult)
        self.assertEqual(matter.notice_template_id, self.claims_consult)
        self.assertEqual(matter.materials_notice, "身份证复印件")

    def test_without_a_template_the_notice_is_stored_as_before(self):
        matter = self.register(self.staff_a1)
        matter.notify_materials("事故证明")
        self.assertEqual(matter.materials_notice, "事故证明")
        self.assertFalse(matter.notice_template_id)

    # ------------------------------------------------------------------
    # refused
    # ------------------------------------------------------------------

    def test_a_template_of_another_business_domain_is_refused(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter) as catcher:
            matter.notify_materials("批改申请书", template=self.endorsement)
        self.assertIn("not meant for matter", str(catcher.exception))
        self.assertFalse(matter.materials_notice)
        self.assertFalse(matter.notice_template_id)

    def test_a_template_of_another_kind_is_refused(self):
        matter = self.register(self.staff_a1, kind="consult")
        with self.assertRefused(matter):
            matter.answer("已告知", "phone", template=self.claims_business.id)
        self.assertFalse(matter.notice_template_id)

    def test_the_dialog_refuses_a_template_of_another_domain(self):
        matter = self.register(self.staff_a1)
        wizard = (
            self.env["shouwen.matter.wizard"]
            .with_user(self.staff_a1)
            .create(
                {
                    "matter_id": matter.id,
                    "action": "notify_materials",
                    "notice_template_id": self.endorsement.id,
                    "text": "批改申请书",
                }
            )
        )
        with self.assertRefused(matter):
            wizard.action_confirm()
        self.assertFalse(matter.materials_notice)

    def test_an_archived_or_missing_template_is_refused(self):
        matter = self.register(self.staff_a1)
        for template in (self.archived, 2_000_000_000, "x"):
            with self.subTest(template=template), self.assertRefused(matter):
                matter.notify_materials("旧清单", template=template)
        self.assertFalse(matter.materials_notice)

    def test_the_template_used_is_set_by_the_actions_only(self):
        matter = self.register(self.staff_a1)
        with self.assertRaises(UserError):
            matter.write({"notice_template_id": self.claims_any.id})
        with self.assertRaises(UserError):
            self.register(self.staff_a1, notice_template_id=self.claims_any.id)
        self.assertFalse(matter.notice_template_id)

    # ------------------------------------------------------------------
    # the templates themselves
    # ------------------------------------------------------------------

    def test_a_template_without_materials_or_answer_is_invalid(self):
        Template = self.env["shouwen.notice.template"]
        with self.assertRaises(ValidationError):
            Template.create(
                {"name": "空模板", "business_domain": "claims", "materials": " \n"}
            )
        with self.assertRaises(ValidationError):
            self.claims_consult.write({"answer_text": False})

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_staff_and_supervisors_only_read_templates(self):
        values = {"name": "新模板", "business_domain": "claims", "materials": "x"}
        for user in (self.staff_a1, self.sup_a1, self.sup_province, self.inspector):
            Template = self.env["shouwen.notice.template"].with_user(user)
            with self.subTest(user=user.login):
                self.assertIn(self.claims_any, Template.search([]))
                with self.assertRaises(AccessError):
                    Template.create(values)
                with self.assertRaises(AccessError):
                    self.claims_any.with_user(user).write({"materials": "x"})
                with self.assertRaises(AccessError):
                    self.claims_any.with_user(user).unlink()
        self.assertEqual(self.claims_any.materials, MATERIALS)

    def test_a_manager_maintains_templates(self):
        self.assertTrue(self.manager.has_group(MANAGER))
        Template = self.env["shouwen.notice.template"].with_user(self.manager)
        template = Template.create(
            {
                "name": "退保材料",
                "business_domain": "endorsement",
                "kind": "business",
                "materials": "退保申请书\n保险单正本",
            }
        )
        template.write({"answer_text": "材料齐全后七个工作日内退费。"})
        template.action_archive()
        self.assertFalse(template.active)
        template.unlink()
        self.assertFalse(template.exists())
