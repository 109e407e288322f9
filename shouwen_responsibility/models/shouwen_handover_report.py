# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""签收与退单 as head office counts them (DOMAIN §10), one row per handover.

Like the matter figures, each rate is a column worth 100 or 0 on the rows it
applies to and empty elsewhere, so that its average *is* the rate:

- 签收率 (sign-for rate): handovers signed within their sign-for limit ÷
  handovers due (signed, or still unsigned past the limit).  A handover signed
  late, or not signed when its limit has passed, counts against it; a returned
  one is counted by the return rate instead.
- 退单率 (return rate): handovers returned ÷ handovers made.

Handovers withdrawn by their dispatcher (superseded) are not counted.  A row
is visible exactly when its handover is: the handovers' record rules apply."""

from odoo import api, fields, models
from odoo.tools import SQL

from .shouwen_handover import HANDOVER_KINDS, HANDOVER_STATES, RETURN_CATEGORIES

#: the figures :meth:`_figures` returns, with the aggregate that makes each
FIGURES = {
    "received": "received_count:sum",
    "due": "due_count:sum",
    "signed": "signed_count:sum",
    "on_time": "on_time_count:sum",
    "returned": "returned_count:sum",
    "unjustified": "unjustified_count:sum",
    "sign_rate": "sign_rate:avg",
    "return_rate": "return_rate:avg",
    "avg_sign_hours": "sign_hours:avg",
}

#: the count each average is taken over: with none, the figure is empty
DENOMINATORS = {
    "sign_rate": "due",
    "return_rate": "received",
    "avg_sign_hours": "signed",
}


class ShouwenHandoverReport(models.Model):
    _name = "shouwen.handover.report"
    _inherit = "shouwen.figures.mixin"
    _description = "Sign-for and return figures"
    _auto = False
    _order = "sent_date desc, id desc"
    _rec_name = "matter_id"
    _depends = {
        "shouwen.handover": [
            "matter_id",
            "kind",
            "from_user_id",
            "user_id",
            "unit_id",
            "state",
            "sent_date",
            "sign_deadline",
            "signed_date",
            "sign_hours",
            "on_time_count",
            "unjustified_count",
            "return_category",
        ],
        "shouwen.unit": ["city_unit_id"],
    }

    handover_id = fields.Many2one("shouwen.handover", readonly=True)
    matter_id = fields.Many2one("shouwen.matter", readonly=True)
    kind = fields.Selection(HANDOVER_KINDS, readonly=True)
    from_user_id = fields.Many2one("res.users", string="Dispatcher", readonly=True)
    user_id = fields.Many2one("res.users", string="Recipient", readonly=True)
    unit_id = fields.Many2one("shouwen.unit", string="Recipient's unit", readonly=True)
    city_unit_id = fields.Many2one(
        "shouwen.unit",
        string="Recipient's city",
        readonly=True,
        help="The city branch of the recipient's unit; the province for the "
        "province's own staff.",
    )
    state = fields.Selection(HANDOVER_STATES, readonly=True)
    sent_date = fields.Datetime(string="Given on", readonly=True)
    sign_deadline = fields.Datetime(string="Sign for by", readonly=True)
    signed_date = fields.Datetime(string="Signed on", readonly=True)
    return_category = fields.Selection(RETURN_CATEGORIES, readonly=True)
    received_count = fields.Integer(
        string="Handovers", readonly=True, help="Handovers made (not withdrawn)."
    )
    due_count = fields.Integer(
        string="Due for signing",
        readonly=True,
        help="Handovers signed, or not signed when their sign-for limit has "
        "passed: what the sign-for rate counts.",
    )
    signed_count = fields.Integer(string="Signed", readonly=True)
    on_time_count = fields.Integer(
        string="Signed in time",
        readonly=True,
        help="Signed within the sign-for limit.",
    )
    returned_count = fields.Integer(string="Returned", readonly=True)
    unjustified_count = fields.Integer(
        string="Returns judged unjustified", readonly=True
    )
    sign_hours = fields.Float(
        string="Time to sign (working hours)", readonly=True, aggregator="avg"
    )
    sign_rate = fields.Float(
        string="Sign-for rate (%)",
        readonly=True,
        aggregator="avg",
        help="签收率: handovers signed within their sign-for limit ÷ handovers "
        "due in the period (signed, or still unsigned past the limit). Signed "
        "late or not signed in time counts against the rate.",
    )
    return_rate = fields.Float(
        string="Return rate (%)",
        readonly=True,
        aggregator="avg",
        help="退单率: handovers returned ÷ handovers made.",
    )

    @property
    def _table_query(self):
        now = SQL("%s::timestamp", fields.Datetime.now())
        handovers = self.env["shouwen.handover"]._search([("state", "!=", "cancelled")])
        h = SQL.identifier(handovers.table)
        handovers.add_join(
            "LEFT JOIN", "u", "shouwen_unit", SQL("u.id = %s.unit_id", h)
        )
        signed_in_time = SQL(
            "%(h)s.state = 'signed' AND (%(h)s.sign_deadline IS NULL "
            "OR %(h)s.signed_date <= %(h)s.sign_deadline)",
            h=h,
        )
        unsigned_late = SQL(
            "%(h)s.state = 'pending' AND %(h)s.sign_deadline < %(now)s", h=h, now=now
        )
        return handovers.select(
            SQL(
                """
                %(h)s.id AS id, %(h)s.id AS handover_id, %(h)s.matter_id,
                %(h)s.kind, %(h)s.from_user_id, %(h)s.user_id, %(h)s.unit_id,
                COALESCE(u.city_unit_id, u.id) AS city_unit_id, %(h)s.state,
                %(h)s.sent_date, %(h)s.sign_deadline, %(h)s.signed_date,
                %(h)s.return_category,
                1 AS received_count,
                CASE WHEN %(h)s.state = 'signed' OR %(late)s THEN 1 ELSE 0 END
                    AS due_count,
                CASE WHEN %(h)s.state = 'signed' THEN 1 ELSE 0 END AS signed_count,
                CASE WHEN %(in_time)s THEN 1 ELSE 0 END AS on_time_count,
                CASE WHEN %(h)s.state = 'returned' THEN 1 ELSE 0 END
                    AS returned_count,
                COALESCE(%(h)s.unjustified_count, 0) AS unjustified_count,
                CASE WHEN %(h)s.state = 'signed' THEN %(h)s.sign_hours END
                    AS sign_hours,
                CASE WHEN %(in_time)s THEN 100.0
                     WHEN %(h)s.state = 'signed' OR %(late)s THEN 0.0
                END AS sign_rate,
                CASE WHEN %(h)s.state = 'returned' THEN 100.0 ELSE 0.0 END
                    AS return_rate
                """,
                h=h,
                late=unsigned_late,
                in_time=signed_in_time,
            )
        )

    @api.model
    def _read_group(self, *args, **kwargs):
        # as the matter figures: no JIT compilation while somebody waits
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        return super()._read_group(*args, **kwargs)

    @api.model
    def _figures(self, domain, groupby):
        """The figures of the handovers of ``domain`` the user may see, per
        value of ``groupby`` (``user_id``, ``unit_id``, …; ``None`` for the
        totals, under the key ``None``): ``{key: {figure: value}}`` with the
        keys of :data:`FIGURES`; a rate with nothing to measure is ``None``."""
        figures = self._read_figures(domain, groupby, FIGURES)
        for values in figures.values():
            for name, count in DENOMINATORS.items():
                if not values[count]:
                    values[name] = None
        return figures
