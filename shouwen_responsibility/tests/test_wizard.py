# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ShouwenCase, expect_log


@tagged("post_install", "-at_install")
class TestMatterWizard(ShouwenCase):
    """The dialog only collects the input; the matter's own methods check and
    act, so the wizard obeys the same rules."""

    def _confirm(self, user, matter, action, **values):
        wizard = (
            self.env["shouwen.matter.wizard"]
            .with_user(user)
            .create({"matter_id": matter.id, "action": action, **values})
        )
        return wizard.action_confirm()

    def test_the_dialog_opens_on_the_active_matter(self):
        matter = self.register(self.staff_a1)
        form = Form(
            self.env["shouwen.matter.wizard"]
            .with_user(self.staff_a1)
            .with_context(
                active_model="shouwen.matter",
                active_id=matter.id,
                default_action="guide",
            )
        )
        self.assertEqual(form.matter_id, matter)
        form.user_id = self.staff_a2
        form.text = "请协助办理"
        form.save().action_confirm()
        self.assertEqual(matter.state, "guiding")
        self.assertEqual(matter.guide_to_id, self.staff_a2)

    def test_each_dialog_is_titled_with_its_action(self):
        """Every action's dialog bears the action's own name (in the user's
        language), not one title for all."""
        matter = self.register(self.staff_a1)
        for key, label in (("return", "Return"), ("answer", "Answer")):
            action = matter.with_context(default_action=key).action_open_wizard()
            self.assertEqual(action["name"], label)
            self.assertEqual(action["res_model"], "shouwen.matter.wizard")
            self.assertEqual(action["context"]["default_action"], key)
            self.assertEqual(action["context"]["default_matter_id"], matter.id)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["shouwen_responsibility"], ["zh_CN"]
        )
        action = matter.with_context(
            lang="zh_CN", default_action="return"
        ).action_open_wizard()
        self.assertEqual(action["name"], "退回")

    def test_guide_and_return_through_the_dialog(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            self._confirm(self.staff_a1, matter, "guide", text="没有选人")
        with self.assertRefused(matter):
            self._confirm(self.sup_a1, matter, "guide", user_id=self.staff_a2.id)
        with self.assertLogged(
            matter,
            expect_log(
                "guide",
                self.staff_a1,
                from_user=self.staff_a1,
                to_user=self.staff_a2,
                state_from="registered",
                state_to="guiding",
                reason="请协助办理",
            ),
        ):
            result = self._confirm(
                self.staff_a1,
                matter,
                "guide",
                user_id=self.staff_a2.id,
                text="请协助办理",
            )
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        with self.assertRefused(matter):
            self._confirm(
                self.staff_a2, matter, "return", text="", return_category="other"
            )
        # the reason's category is asked too
        with self.assertRefused(matter):
            self._confirm(self.staff_a2, matter, "return", text="非本岗职责")
        with self.assertLogged(
            matter,
            expect_log(
                "return",
                self.staff_a2,
                from_user=self.staff_a2,
                to_user=self.staff_a1,
                state_from="guiding",
                state_to="returned",
                reason="非本岗职责",
            ),
        ):
            self._confirm(
                self.staff_a2,
                matter,
                "return",
                text="非本岗职责",
                return_category="not_our_remit",
            )
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertEqual(matter.sudo().handover_ids.return_category, "not_our_remit")

    def test_coordinate_finish_and_close_parts_through_the_dialog(self):
        matter = self.register(self.staff_a1)
        matter.action_handle()
        self._confirm(
            self.staff_a1, matter, "coordinate", user_id=self.staff_b1.id, text="核对"
        )
        self._confirm(
            self.staff_a1, matter, "coordinate", user_id=self.staff_a2.id, text="复核"
        )
        first, second = matter.sudo().part_ids.sorted("id")
        self.assertEqual(matter.state, "coordinating")
        # someone without a part has nothing to finish
        with self.assertRefused(matter):
            self._confirm(self.staff_a1, matter, "finish_part", text="代办完")
        # the assignee's own part is found without choosing it; a result is needed
        with self.assertRefused(matter):
            self._confirm(self.staff_b1, matter, "finish_part", text="")
        self._confirm(self.staff_b1, matter, "finish_part", text="保单无误")
        self.assertEqual(first.state, "done")
        self.assertEqual(first.result, "保单无误")
        self.assertEqual(matter.state, "coordinating")
        with self.assertRefused(matter):
            self._confirm(self.staff_a1, matter, "cancel_part", text="不再需要")
        with self.assertRefused(matter):
            self._confirm(
                self.staff_a2, matter, "cancel_part", part_id=second.id, text="我关"
            )
        with self.assertLogged(
            matter,
            expect_log(
                "part_cancel",
                self.staff_a1,
                from_user=self.staff_a2,
                to_user=self.staff_a1,
                state_to="coordinating",
                reason="复核: 不再需要",
            ),
            expect_log(
                "parts_done",
                self.staff_a1,
                state_from="coordinating",
                state_to="in_progress",
            ),
        ):
            self._confirm(
                self.staff_a1, matter, "cancel_part", part_id=second.id, text="不再需要"
            )
        self.assertEqual(matter.state, "in_progress")

    @freeze_time("2025-03-12 02:00:00")
    def test_answer_and_reopen_through_the_dialog(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter):
            self._confirm(self.staff_a1, matter, "answer", text="已答复")
        with self.assertRefused(matter):
            self._confirm(
                self.staff_a1,
                matter,
                "answer",
                text="已答复",
                told_method="phone",
                told_date="2025-03-13 02:00:00",
            )
        self._confirm(
            self.staff_a1,
            matter,
            "answer",
            text="已答复理赔进度",
            told_method="phone",
            told_note="客户满意",
        )
        self.assertEqual(matter.state, "answered")
        self.assertEqual(matter.result, "已答复理赔进度")
        self.assertEqual(matter.told_method, "phone")
        self.assertEqual(str(matter.told_date), "2025-03-12 02:00:00")
        with self.assertRefused(matter):
            self._confirm(self.staff_a1, matter, "reopen", text=" ")
        self._confirm(self.staff_a1, matter, "reopen", text="客户不满意")
        self.assertEqual(matter.state, "reopened")
        self.assertEqual(matter.reopen_count, 1)

    def test_materials_through_the_dialog(self):
        matter = self.register(self.staff_a1)
        self._confirm(self.staff_a1, matter, "notify_materials", text="事故证明")
        self.assertEqual(matter.materials_notice, "事故证明")

    def test_actions_without_input_have_no_dialog(self):
        matter = self.register(self.staff_a1)
        for action in ("handle", "accept", "close"):
            with self.subTest(action=action), self.assertRefused(matter):
                self._confirm(self.staff_a1, matter, action)

    def test_the_dialog_cannot_reach_a_matter_the_user_cannot_read(self):
        matter = self.register(self.staff_a1)
        with self.assertRefused(matter, UserError):
            self._confirm(self.staff_b1, matter, "guide", user_id=self.staff_a2.id)
