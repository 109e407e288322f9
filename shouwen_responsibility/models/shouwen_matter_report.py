# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What managers measure (DOMAIN §10), each figure defined once.

One row per matter, over SQL.  The figures are of the matters *registered* in
the period chosen (a cohort): how many were received, closed, are still open
or overdue; how many were closed in time; how long they took in working
hours; how many were returned, extended, repeated; how satisfied the
callbacks were.  Each rate is a column worth 100 or 0 on the rows it applies
to and empty elsewhere, so that its average *is* the rate — the same number in
the pivot, the graph, the monthly report and :meth:`_figures`.

A row is visible exactly when its matter is: the matter's record rules apply."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.catalogue import BUSINESS_DOMAINS, CHANNELS, KINDS
from ..tools.workflow import STATES

#: the figures :meth:`_figures` returns, with the aggregate that makes each
FIGURES = {
    "received": "received_count:sum",
    "closed": "closed_count:sum",
    "open": "open_count:sum",
    "overdue": "overdue_count:sum",
    "on_time_rate": "on_time_rate:avg",
    "avg_hours": "handling_hours:avg",
    "max_overdue_days": "overdue_days:max",
    "returns": "return_count:sum",
    "return_rate": "return_rate:avg",
    "extensions": "extension_count:sum",
    "satisfaction_rate": "satisfaction_rate:avg",
    "repeats": "repeat_count:sum",
    "callbacks": "callback_count:sum",
    "reworked": "reworked_count:sum",
    "rework_rate": "rework_rate:avg",
}

#: the count each average is taken over: with none, the figure is empty
DENOMINATORS = {
    "on_time_rate": ("closed", "overdue"),
    "avg_hours": ("closed",),
    "max_overdue_days": ("overdue",),
    "satisfaction_rate": ("callbacks",),
    "rework_rate": ("closed", "reworked"),
}


class ShouwenMatterHandling(models.Model):
    # the handling time is a figure of the report, stored on the matter
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    handling_hours = fields.Float(
        string="Handling time (working hours)",
        compute="_compute_handling_hours",
        store=True,
        aggregator="avg",
        help="Working hours from registration to closure.",
    )

    def _prepare_registration(self, vals_list):
        super()._prepare_registration(vals_list)
        for vals in vals_list:
            vals["handling_hours"] = 0.0  # a new matter is not closed
        return vals_list

    @api.depends("registered_date", "closed_date", "state")
    def _compute_handling_hours(self):
        closed = self.filtered(lambda m: m.state == "closed" and m.closed_date)
        (self - closed).handling_hours = 0.0
        if closed:
            calendar = self.env["shouwen.work.calendar"]._calendar()
            for matter in closed:
                matter.handling_hours = round(
                    calendar.working_hours_between(
                        matter.registered_date, matter.closed_date
                    ),
                    2,
                )


class ShouwenMatterReport(models.Model):
    _name = "shouwen.matter.report"
    _inherit = "shouwen.figures.mixin"
    _description = "Matter figures"
    _auto = False
    _order = "registered_date desc, id desc"
    _rec_name = "matter_id"
    # what the view reads: flushed before every query on it
    _depends = {
        "shouwen.matter": [
            "unit_id",
            "first_responsible_id",
            "channel",
            "kind",
            "business_domain",
            "state",
            "registered_date",
            "closed_date",
            "closure_deadline",
            "handling_hours",
            "return_count",
            "reopen_count",
            "callback_outcome",
            "is_repeat",
            "active",
        ],
        "shouwen.unit": ["city_unit_id", "province_unit_id"],
        "shouwen.extension": ["matter_id", "state"],
    }

    matter_id = fields.Many2one("shouwen.matter", readonly=True)
    unit_id = fields.Many2one("shouwen.unit", readonly=True)
    city_unit_id = fields.Many2one(
        "shouwen.unit",
        string="City",
        readonly=True,
        help="The city branch of the matter's unit; the province for the "
        "province's own matters (not an empty row).",
    )
    province_unit_id = fields.Many2one("shouwen.unit", string="Province", readonly=True)
    first_responsible_id = fields.Many2one("res.users", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    business_domain = fields.Selection(BUSINESS_DOMAINS, readonly=True)
    state = fields.Selection(STATES, readonly=True)
    registered_date = fields.Datetime(readonly=True)
    closed_date = fields.Datetime(readonly=True)
    received_count = fields.Integer(string="Received", readonly=True)
    closed_count = fields.Integer(string="Closed", readonly=True)
    open_count = fields.Integer(string="Open", readonly=True)
    overdue_count = fields.Integer(string="Overdue", readonly=True)
    on_time_rate = fields.Float(
        string="On-time closure rate (%)",
        readonly=True,
        aggregator="avg",
        help="按时办结率: matters closed by their (extended) closure deadline ÷ "
        "(matters closed + open matters past their deadline). An open overdue "
        "matter counts against the rate; an open matter not yet due does not "
        "count.",
    )
    handling_hours = fields.Float(
        string="Handling time (working hours)", readonly=True, aggregator="avg"
    )
    overdue_days = fields.Float(
        string="Overdue for (days)", readonly=True, aggregator="max"
    )
    return_count = fields.Integer(string="Returns", readonly=True)
    return_rate = fields.Float(
        string="Return rate (%)",
        readonly=True,
        aggregator="avg",
        help="退单率: matters returned (退单) at least once ÷ matters received.",
    )
    extension_count = fields.Integer(string="Extensions", readonly=True)
    satisfaction_rate = fields.Float(
        string="Satisfaction rate (%)",
        readonly=True,
        aggregator="avg",
        help="满意率: callbacks that reached the customer with 满意 ÷ callbacks "
        "that reached the customer.",
    )
    repeat_count = fields.Integer(string="Repeat complaints", readonly=True)
    callback_count = fields.Integer(
        string="Callbacks", readonly=True, help="Callbacks that reached the customer."
    )
    reworked_count = fields.Integer(
        string="Reopened matters",
        readonly=True,
        help="Matters reopened (重办) at least once.",
    )
    rework_rate = fields.Float(
        string="Rework rate (%)",
        readonly=True,
        aggregator="avg",
        help="重办率: matters reopened (重办) at least once ÷ matters closed "
        "(a matter reopened and not closed again counts as closed once).",
    )

    @property
    def _table_query(self):
        """The rows of the matters the user may see.  The matter's record
        rules filter the same scan of the matters that the figures read (no
        second pass over them to check each row), so that PostgreSQL applies
        the period, the unit and the rules together through their indexes."""
        # the moment of the request (the server's clock, as the deadlines)
        now = SQL("%s::timestamp", fields.Datetime.now())
        matters = (
            self.env["shouwen.matter"]
            .with_context(active_test=False)
            ._search([("active", "=", True)])
        )
        m = SQL.identifier(matters.table)
        matters.add_join("JOIN", "u", "shouwen_unit", SQL("u.id = %s.unit_id", m))
        open_ = SQL("%(m)s.state NOT IN ('closed', 'withdrawn')", m=m)
        overdue = SQL("%s AND %s.closure_deadline < %s", open_, m, now)
        return matters.select(
            SQL(
                """
                %(m)s.id AS id, %(m)s.id AS matter_id, %(m)s.unit_id,
                COALESCE(u.city_unit_id, u.id) AS city_unit_id,
                u.province_unit_id, %(m)s.first_responsible_id,
                %(m)s.channel, %(m)s.kind, %(m)s.business_domain, %(m)s.state,
                %(m)s.registered_date, %(m)s.closed_date,
                1 AS received_count,
                CASE WHEN %(m)s.state = 'closed' THEN 1 ELSE 0 END AS closed_count,
                CASE WHEN %(open)s THEN 1 ELSE 0 END AS open_count,
                CASE WHEN %(overdue)s THEN 1 ELSE 0 END AS overdue_count,
                CASE WHEN %(m)s.state = 'closed' THEN
                        CASE WHEN %(m)s.closure_deadline IS NULL
                                  OR %(m)s.closed_date <= %(m)s.closure_deadline
                             THEN 100.0 ELSE 0.0 END
                     -- an open matter past its deadline counts against it
                     WHEN %(overdue)s THEN 0.0
                END AS on_time_rate,
                CASE WHEN %(m)s.state = 'closed' THEN %(m)s.handling_hours END
                    AS handling_hours,
                CASE WHEN %(overdue)s THEN
                    round((extract(epoch FROM %(now)s - %(m)s.closure_deadline)
                           / 86400.0)::numeric, 1)
                END AS overdue_days,
                %(m)s.return_count,
                CASE WHEN %(m)s.return_count > 0 THEN 100.0 ELSE 0.0 END
                    AS return_rate,
                (SELECT count(*) FROM shouwen_extension e
                  WHERE e.matter_id = %(m)s.id AND e.state = 'approved')
                    AS extension_count,
                CASE %(m)s.callback_outcome WHEN 'satisfied' THEN 100.0
                     WHEN 'not_satisfied' THEN 0.0 END AS satisfaction_rate,
                CASE WHEN %(m)s.is_repeat THEN 1 ELSE 0 END AS repeat_count,
                CASE WHEN %(m)s.callback_outcome IN ('satisfied', 'not_satisfied')
                     THEN 1 ELSE 0 END AS callback_count,
                CASE WHEN %(m)s.reopen_count > 0 THEN 1 ELSE 0 END
                    AS reworked_count,
                CASE WHEN %(m)s.reopen_count > 0 THEN 100.0
                     WHEN %(m)s.state = 'closed' THEN 0.0 END AS rework_rate
                """,
                m=m,
                open=open_,
                overdue=overdue,
                now=now,
            )
        )

    @api.model
    def _read_group(self, *args, **kwargs):
        self._interactive()
        return super()._read_group(*args, **kwargs)

    def _interactive(self):
        """The figures are read while somebody waits: PostgreSQL's JIT
        compiler, which its cost estimate of the record rules' subqueries
        sets off, takes seconds to compile a query that runs in a fraction
        of one.  Off for the rest of this transaction only."""
        self.env.cr.execute(SQL("SET LOCAL jit = off"))

    @api.model
    def _figures(self, domain, groupby):
        """The figures of the matters of ``domain`` the user may see, per
        value of ``groupby`` (e.g. ``unit_id``, ``city_unit_id``,
        ``channel``): ``{key: {figure: value}}`` with the keys of
        :data:`FIGURES`, ``p90_hours`` (90th percentile of the handling time)
        and ``findings`` (``{finding type: count}``, per unit groupings)."""
        figures = self._read_figures(domain, groupby, FIGURES)
        for values in figures.values():
            for name, counts in DENOMINATORS.items():
                if not any(values[count] for count in counts):
                    values[name] = None
        p90 = self._p90_hours(domain, groupby)
        for key, values in figures.items():
            values["p90_hours"] = p90.get(key)
            values["findings"] = {}
        if groupby in ("unit_id", "city_unit_id", "province_unit_id"):
            self._add_findings(figures, domain, groupby)
        return figures

    def _p90_hours(self, domain, groupby):
        self._interactive()
        query = self._search([*domain, ("closed_count", "=", 1)])
        key = (
            self._field_to_sql(self._table, groupby, query) if groupby else SQL("NULL")
        )
        if groupby:
            query.groupby = key
        self.env.cr.execute(
            query.select(
                SQL("%s", key),
                SQL(
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY %s)",
                    self._field_to_sql(self._table, "handling_hours", query),
                ),
            )
        )
        field = self._fields.get(groupby)
        result = {}
        for key_value, p90 in self.env.cr.fetchall():
            if field and field.type == "many2one":
                key_value = self.env[field.comodel_name].browse(key_value)
            result[key_value] = None if p90 is None else round(p90, 1)
        return result

    def _add_findings(self, figures, domain, groupby):
        """Findings by type, of the units of the groups, as the user may see
        them; the period of ``domain`` applies to when they were recorded."""
        period = [
            ("create_date", operator, value)
            for fname, operator, value in (
                term for term in domain if isinstance(term, (list, tuple))
            )
            if fname == "registered_date"
        ]
        units = self.env["shouwen.unit"].browse([key.id for key in figures if key])
        if not units:
            return
        findings = self.env["shouwen.finding"]._read_group(
            [*period, ("unit_id", "child_of", units.ids), ("state", "!=", "dismissed")],
            ["unit_id", "finding_type"],
            ["__count"],
        )
        for unit, finding_type, count in findings:
            key = unit if groupby == "unit_id" else unit[groupby]
            if key in figures:
                bucket = figures[key]["findings"]
                bucket[finding_type] = bucket.get(finding_type, 0) + count
