# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The followers of matters and findings are staff since 18.0.1.3.0: a
follower's name and email are shown to every reader of the record, a
customer's only to the staff of their matters.  The customers Odoo
subscribed before (the known author of an email, a portal poster, a
composer's recipients) are unsubscribed; the messages stay as they are."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            DELETE FROM mail_followers f
             WHERE f.res_model IN ('shouwen.matter', 'shouwen.finding')
               AND NOT EXISTS (SELECT FROM res_users u
                                WHERE u.partner_id = f.partner_id
                                  AND u.share IS NOT TRUE)
            """
        )
    )
