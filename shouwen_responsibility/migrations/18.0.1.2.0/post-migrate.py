# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The contacts' rules read a matter's customer contacts, past and present,
from ``shouwen_matter_customer_rel`` since 18.0.1.2.0: the matters' current
contacts are its first rows (the contacts replaced before are not known)."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "INSERT INTO shouwen_matter_customer_rel (matter_id, partner_id) "
            "SELECT id, partner_id FROM shouwen_matter "
            "WHERE partner_id IS NOT NULL ON CONFLICT DO NOTHING"
        )
    )
