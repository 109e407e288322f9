# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Customers' personal data move to their system-only clear columns (the
fields users read are computed from them since 18.0.1.1.0)."""

from odoo.tools import SQL, column_exists

RENAMED = (
    ("shouwen_matter", "customer_phone", "customer_phone_clear"),
    ("shouwen_matter", "customer_id_number", "customer_id_number_clear"),
    ("shouwen_complaint_representative", "phone", "phone_clear"),
)


def migrate(cr, version):
    if not version:
        return
    for table, old, new in RENAMED:
        if column_exists(cr, table, old) and not column_exists(cr, table, new):
            cr.execute(
                SQL(
                    "ALTER TABLE %s RENAME COLUMN %s TO %s",
                    SQL.identifier(table),
                    SQL.identifier(old),
                    SQL.identifier(new),
                )
            )
            cr.execute(
                SQL(
                    "ALTER INDEX IF EXISTS %s RENAME TO %s",
                    SQL.identifier(f"{table}__{old}_index"),
                    SQL.identifier(f"{table}__{new}_index"),
                )
            )
