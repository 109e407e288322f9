# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _shouwen_lang(self):
        """The language of what the system itself writes into the record
        (tracking values, notes and to-dos of crons, rules, the mail gateway):
        the language of the company's contact when it was set to one other
        than English, else Chinese when it is installed, else English.  Odoo
        creates the company's contact in English unless told otherwise, so an
        English contact is read as "not set" while Chinese is installed."""
        langs = self.env["res.lang"]
        lang = self.partner_id.lang
        if lang and lang != "en_US" and langs._lang_get(lang):
            return lang
        return "zh_CN" if langs._lang_get("zh_CN") else "en_US"
