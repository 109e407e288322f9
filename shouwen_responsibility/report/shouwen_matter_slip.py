# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io

import qrcode

from odoo import api, models
from odoo.tools.image import image_data_uri

from ..tools import personal_data

#: the language of the slip, when installed: it is for the customer
SLIP_LANG = "zh_CN"


def _qr_png(text):
    """``text`` as a QR code, a PNG image."""
    out = io.BytesIO()
    qrcode.make(text, box_size=6, border=2).save(out, format="PNG")
    return out.getvalue()


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
        # the customer's private status link, when one was made (the online
        # form, or the first responsible on purpose), as a QR code to scan;
        # drawn here (with qrcode, one of Odoo's own requirements), so that
        # the PDF needs no request back to the server
        qr_codes = {
            matter.id: image_data_uri(base64.b64encode(_qr_png(matter.status_url)))
            for matter in matters
            if matter.status_url
        }
        return {
            "doc_ids": matters.ids,
            "doc_model": "shouwen.matter",
            "docs": matters,
            "slip_lang": SLIP_LANG if installed else self.env.lang,
            "qr_codes": qr_codes,
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
