# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%s")


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
