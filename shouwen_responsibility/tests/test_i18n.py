# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%s")
CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    """Every string the users see exists in Chinese."""

    def test_every_source_string_of_the_addon_is_translated(self):
        po = polib.pofile(get_module_path("shouwen_responsibility") + "/i18n/zh_CN.po")
        translated = {entry.msgid: entry.msgstr for entry in po if entry.msgstr}
        reader = TranslationModuleReader(self.env.cr, ["shouwen_responsibility"])
        sources = {
            source
            for module, _type, _name, _id, source, _value, _comments in reader
            if module == "shouwen_responsibility" and source
        }
        self.assertTrue(sources)
        missing = sorted(sources - set(translated))
        self.assertFalse(missing, f"not translated in zh_CN.po: {missing}")
        for msgid in sources:
            self.assertEqual(
                sorted(PLACEHOLDER.findall(msgid)),
                sorted(PLACEHOLDER.findall(translated[msgid])),
                f"placeholders differ in the translation of {msgid!r}",
            )

    def test_menus_actions_fields_and_choices_are_shown_in_chinese(self):
        """What Odoo translates from its records (menus, actions, field labels,
        choices) needs the places of each string in the .pot: a string of the
        .po alone translates the code's messages, not these."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.env["res.lang"]._activate_lang("zh_CN")
            self.env.ref("base.module_shouwen_responsibility")._update_translations(
                ["zh_CN"]
            )
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "shouwen_responsibility"),
                (
                    "model",
                    "in",
                    [
                        "ir.ui.menu",
                        "ir.actions.act_window",
                        "ir.model.fields",
                        "ir.model.fields.selection",
                    ],
                ),
            ]
        )
        label = {
            "ir.ui.menu": "name",
            "ir.actions.act_window": "name",
            "ir.model.fields": "field_description",
            "ir.model.fields.selection": "name",
        }
        english = []
        for entry in data:
            record = self.env[entry.model].browse(entry.res_id).exists()
            if not record:
                continue
            if entry.model == "ir.model.fields" and record.name == "id":
                continue  # Odoo's own "ID"
            text = record.with_context(lang="zh_CN")[label[entry.model]]
            if text and not CJK.search(text):
                english.append(f"{entry.model} {entry.name}: {text}")
        self.assertFalse(
            english, "shown in English to Chinese users:\n" + "\n".join(english)
        )
