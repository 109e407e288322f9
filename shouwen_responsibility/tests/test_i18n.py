# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import datetime

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


#: a word of the Latin alphabet a Chinese user would have to read
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: what may stay in Latin letters: matter and unit numbers, addresses of mail
#: and web, the insurer's product codes and the abbreviations Chinese staff use
NOT_WORDS = re.compile(
    r"[A-Z]{2}\d*-\d{4}-\d+"  # matter numbers (ZZ01-2026-000001)
    r"|[\w.+-]+@[\w-]+(\.[\w-]+)+"  # email addresses
    r"|https?://\S+|www\.\S+"  # links
    r"|\b(?:PDF|XLSX|ICP|SMS|APP|API|OCA|Odoo|OdooBot)\b"
)
TAGS = re.compile(r"<(script|style|title)\b.*?</\1>|<!--.*?-->|<[^>]+>", re.S)


def latin_words(text):
    """The Latin words of ``text`` (markup left out)."""
    text = NOT_WORDS.sub(" ", TAGS.sub(" ", str(text or "")))
    return LATIN_WORD.findall(text)


@tagged("post_install", "-at_install")
class TestTheDemoReadsInChinese(TransactionCase):
    """What a Chinese user of the demo reads — the screens of a matter, its
    chatter and to-dos, the counter slip and the monthly report — has no
    English word and no placeholder left in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="zh_CN"))
        cls.matters = (
            cls.env["shouwen.matter"]
            .with_context(active_test=False)
            .search([("name", "!=", False)])
        )

    def assertChinese(self, texts):
        english = [
            f"{where}: {words} in {text!r:.160}"
            for where, text in texts
            if (words := latin_words(text))
        ]
        self.assertFalse(english, "English for Chinese users:\n" + "\n".join(english))

    def test_the_chatter_and_to_dos_of_the_demo_read_in_chinese(self):
        self.assertTrue(self.matters, "the demo has matters")
        messages = self.env["mail.message"].search(
            [
                ("model", "in", ["shouwen.matter", "shouwen.finding"]),
                ("message_type", "!=", "email"),  # the customers' own letters
            ]
        )
        texts = [(f"message {m.id} of {m.record_name}", m.body) for m in messages]
        texts += [(f"message {m.id} subject", m.subject) for m in messages if m.subject]
        for value in messages.tracking_value_ids:
            where = f"tracking of {value.field_id.name} on {value.mail_message_id.id}"
            texts += [
                (where, value.field_id.field_description),
                (where, value.old_value_char),
                (where, value.new_value_char),
            ]
        activities = self.env["mail.activity"].search(
            [("res_model", "in", ["shouwen.matter", "shouwen.finding"])]
        )
        texts += [(f"to-do {a.id}", a.summary) for a in activities]
        texts += [(f"to-do {a.id} note", a.note) for a in activities]
        texts += [(f"to-do type {t.id}", t.name) for t in activities.activity_type_id]
        self.assertChinese(texts)

    def test_the_screens_of_a_matter_read_in_chinese(self):
        texts = []
        for model, view_types in (
            ("shouwen.matter", ("form", "list", "search")),
            ("shouwen.matter.wizard", ("form",)),
        ):
            views = self.env[model].get_views([(False, vt) for vt in view_types])
            for view_type, view in views["views"].items():
                arch = view["arch"]
                texts += [
                    (f"{model} {view_type} view {attr}", value)
                    for attr, value in re.findall(
                        r'\b(string|help|placeholder|title|confirm)="([^"]*)"', arch
                    )
                ]
                texts += [
                    (f"{model} {view_type} view text", text)
                    for text in re.findall(r">([^<]+)<", arch)
                ]
            for fname, field in views["models"][model]["fields"].items():
                texts.append((f"{model}.{fname} label", field.get("string")))
                texts += [
                    (f"{model}.{fname} choice", label)
                    for _value, label in field.get("selection") or []
                ]
        self.assertChinese(texts)

    def test_the_slip_and_the_monthly_report_read_in_chinese(self):
        texts = []
        matter = self.matters[:1]
        for xmlid in (
            "shouwen_responsibility.action_report_shouwen_matter_slip_a4",
            "shouwen_responsibility.action_report_shouwen_matter_slip_a5",
        ):
            report = self.env.ref(xmlid)
            html, _type = report._render_qweb_html(report.report_name, matter.ids)
            texts.append((xmlid, html.decode()))
        unit = self.env.ref("shouwen_responsibility.unit_zz_demo")
        report = self.env.ref("shouwen_responsibility.action_report_unit_monthly")
        html, _type = report._render_qweb_html(
            report.report_name, unit.ids, data={"month": "2026-11"}
        )
        texts.append(("monthly report", html.decode()))
        self.assertChinese(texts)

    def test_times_are_shown_to_the_minute(self):
        """A deadline reads 09:30 in the web client, as the slip and the notes
        write it, not Odoo's 09时30分00秒: the web client formats dates and
        times with the formats of the user's language it is given."""
        lang = self.env["res.lang"]._get_data(code="zh_CN")
        moment = datetime(2026, 12, 3, 9, 30)
        shown = moment.strftime(f"{lang.date_format} {lang.time_format}")
        self.assertEqual(shown, "2026年12月03日 09:30")
