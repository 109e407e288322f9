# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo import models

from ..tools.ambient import COMPILED


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        compiled = COMPILED.get()
        if compiled is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        # the compiled functions depend on the source and on the context keys
        # Odoo caches views by, never on the values they are rendered with
        key = (
            etree.tostring(template),
            tuple(self.env.context.get(k) for k in self._get_template_cache_keys()),
        )
        if key not in compiled:
            compiled[key] = super()._compile(template)
        return compiled[key]
