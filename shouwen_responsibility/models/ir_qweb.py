# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import contextmanager
from contextvars import ContextVar

from lxml import etree

from odoo import models

#: compiled inline templates, shared inside ``compiled_once()``
COMPILED = ContextVar("shouwen_qweb_compiled", default=None)


@contextmanager
def compiled_once():
    """Inside the block, an inline QWeb template (a mail template's body) is
    compiled once per source and language however many records it is
    rendered for: mail's renderer parses and compiles it again for each
    record (5 ms each), which was a fifth of the follow-up sweep."""
    token = COMPILED.set({})
    try:
        yield
    finally:
        COMPILED.reset(token)


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
