# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

from ..tools import personal_data

#: the language of the slip, when installed: it is for the customer
SLIP_LANG = "zh_CN"


class ReportShouwenMatterSlipA4(models.AbstractModel):
    """The counter slip (柜面受理回执) on A4: what the customer takes home."""

    _name = "report.shouwen_responsibility.report_shouwen_matter_slip_a4"
    _description = "Counter slip (A4)"

    @api.model
    def _get_report_values(self, docids, data=None):
        matters = self.env["shouwen.matter"].browse(docids)
        # only who may read a matter prints it
        matters.check_access("read")
        installed = self.env["res.lang"]._lang_get(SLIP_LANG)
        # the customer's ID number never appears in full on paper: the slip
        # shows it masked, whoever prints it (so nobody is shown it in clear)
        clear = matters._personal_clear_values(["customer_id_number_clear"])
        return {
            "doc_ids": matters.ids,
            "doc_model": "shouwen.matter",
            "docs": matters,
            "slip_lang": SLIP_LANG if installed else self.env.lang,
            "id_numbers": {
                matter_id: personal_data.mask_id_number(
                    values["customer_id_number_clear"]
                )
                for matter_id, values in clear.items()
            },
        }


class ReportShouwenMatterSlipA5(models.AbstractModel):
    """The same slip on A5."""

    _name = "report.shouwen_responsibility.report_shouwen_matter_slip_a5"
    _inherit = "report.shouwen_responsibility.report_shouwen_matter_slip_a4"
    _description = "Counter slip (A5)"
