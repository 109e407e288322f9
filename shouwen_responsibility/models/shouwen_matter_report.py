# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What managers measure (DOMAIN §10), each figure defined once.

Rows over SQL, one per event a figure counts, dated when it happened: a
matter's registration, its closure, its deadline passing while it is open, the
callback that reached the customer.  A period selects what happened in it, as
head office counts (DOMAIN §10): the matters received in it, those closed in
it (in time or late, with their handling time in working hours, reopened
before or not), those still open whose deadline passed in it (against the
on-time rate), the callbacks made in it.  Each rate is a column worth 100 or 0
on the rows it applies to and empty elsewhere, so that its average *is* the
rate — the same number in the pivot, the graph, the monthly report and
:meth:`_figures`.

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

#: the events a figure counts, each a row dated when it happened
EVENTS = ("received", "closed", "overdue", "callback")

#: the figures' columns of a row, in the order of the query's branches
EVENT_COLUMNS = (
    "received_count",
    "closed_count",
    "open_count",
    "overdue_count",
    "on_time_rate",
    "handling_hours",
    "overdue_days",
    "return_count",
    "return_rate",
    "extension_count",
    "satisfaction_rate",
    "repeat_count",
    "callback_count",
    "reworked_count",
    "rework_rate",
)

#: the columns of a row that are the matter's (not its event's)
MATTER_COLUMNS = {
    None,
    "matter_id",
    "unit_id",
    "city_unit_id",
    "province_unit_id",
    "first_responsible_id",
    "channel",
    "kind",
    "business_domain",
    "state",
    "registered_date",
    "closed_date",
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
    _order = "date desc, id desc"
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
            "callback_date",
            "is_repeat",
            "active",
        ],
        "shouwen.unit": ["city_unit_id", "province_unit_id"],
        "shouwen.extension": ["matter_id", "state"],
    }

    matter_id = fields.Many2one("shouwen.matter", readonly=True)
    event = fields.Selection(
        [
            ("received", "Received"),
            ("closed", "Closed"),
            ("overdue", "Past its deadline, open"),
            ("callback", "Callback"),
        ],
        readonly=True,
        help="What the row counts: the registration, the closure, the "
        "deadline passing while the matter is open, the callback that reached "
        "the customer.",
    )
    date = fields.Datetime(
        readonly=True,
        help="When it happened: a period counts the matters received, closed, "
        "fallen overdue and called back in it.",
    )
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
        "(matters closed in the period + open matters whose deadline passed in "
        "the period). An open overdue matter counts against the rate; an open "
        "matter not yet due does not count.",
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
        help="重办率: matters reopened (重办) at least once ÷ matters closed in "
        "the period (a reopened matter counts when it is closed again).",
    )

    @property
    def _table_query(self):
        """The rows of the matters the user may see: one per event a figure
        counts, dated when it happened, so that a period selects what
        happened in it, as head office counts (DOMAIN §10):

        - ``received`` at the registration: received, still open, returns,
          extensions, repeats;
        - ``closed`` at the closure: closed, on time or late, handling time,
          reopened before;
        - ``overdue`` at the deadline of a matter still open past it: it
          counts against the on-time rate of the period its deadline passed
          in;
        - ``callback`` at the callback that reached the customer:
          satisfaction.

        Without a condition on the event's date or kind (the whole history,
        or a period of registration), one scan of the matters the user may
        see gives each its rows (joined to the events): their record rules,
        which PostgreSQL evaluates on every matter it scans, are evaluated
        once per matter instead of once per event.  With one (a period of
        events), each event is a branch of its own that scans the matters
        through the index of its date; the branches are ``UNION ALL``-ed.
        Either way the matters' record rules apply in the scan (no second
        pass over them to check each row), together with the period and the
        unit."""
        # the moment of the request (the server's clock, as the deadlines)
        now = SQL("%s::timestamp", fields.Datetime.now())
        rows = self.env.context.get("shouwen_report_rows")
        if rows == "matters":
            return self._matter_figure_rows(now)
        if rows == "scan":
            return self._matter_rows(now)
        return SQL(" UNION ALL ").join(
            self._event_rows(event, number, now) for number, event in enumerate(EVENTS)
        )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # the shape of the rows' query (see _table_query): one scan unless
        # the domain selects on the event's date or kind, which the branches
        # read through the index of each event's date
        if "shouwen_report_rows" not in self.env.context and not (
            self._domain_fields(domain) & {"date", "event"}
        ):
            self = self.with_context(shouwen_report_rows="scan")
        return super()._search(domain, *args, **kwargs)

    @staticmethod
    def _domain_fields(domain):
        """The fields ``domain`` reads (the first of each path; ``""`` for a
        term on no field)."""
        return {
            term[0].split(".")[0] if isinstance(term[0], str) else ""
            for term in domain
            if isinstance(term, list | tuple)
        }

    def _visible_matters(self):
        """The query of the active matters the user may see (their record
        rules), joined to their unit as ``u``."""
        matters = (
            self.env["shouwen.matter"]
            .with_context(active_test=False)
            ._search([("active", "=", True)])
        )
        m = SQL.identifier(matters.table)
        matters.add_join("JOIN", "u", "shouwen_unit", SQL("u.id = %s.unit_id", m))
        return matters, m

    def _event_columns(self, m, now, extensions=None):
        """``{event: {column: SQL}}``: the date, the condition (``where``:
        when the event happened) and the figures of each event's row, on the
        matter ``m``; ``extensions``: the count of its approved extensions
        (by default a subquery)."""
        open_ = SQL("%(m)s.state NOT IN ('closed', 'withdrawn')", m=m)
        overdue = SQL("%s AND %s.closure_deadline < %s", open_, m, now)
        closed = SQL("%(m)s.state = 'closed' AND %(m)s.closed_date IS NOT NULL", m=m)
        reached = SQL(
            "%(m)s.callback_outcome IN ('satisfied', 'not_satisfied') "
            "AND %(m)s.callback_date IS NOT NULL",
            m=m,
        )
        # the columns of the event's row, the others zero (counts) or empty
        # (what the averages must not see)
        return {
            "received": {
                "date": SQL("%s.registered_date", m),
                "received_count": SQL("1"),
                "open_count": SQL("CASE WHEN %s THEN 1 ELSE 0 END", open_),
                "return_count": SQL("%s.return_count", m),
                "return_rate": SQL(
                    "CASE WHEN %s.return_count > 0 THEN 100.0 ELSE 0.0 END", m
                ),
                "extension_count": extensions
                or SQL(
                    "(SELECT count(*) FROM shouwen_extension e "
                    "WHERE e.matter_id = %s.id AND e.state = 'approved')",
                    m,
                ),
                "repeat_count": SQL("CASE WHEN %s.is_repeat THEN 1 ELSE 0 END", m),
            },
            "closed": {
                "date": SQL("%s.closed_date", m),
                "where": closed,
                "closed_count": SQL("1"),
                "on_time_rate": SQL(
                    "CASE WHEN %(m)s.closure_deadline IS NULL "
                    "OR %(m)s.closed_date <= %(m)s.closure_deadline "
                    "THEN 100.0 ELSE 0.0 END",
                    m=m,
                ),
                "handling_hours": SQL("%s.handling_hours", m),
                "reworked_count": SQL(
                    "CASE WHEN %s.reopen_count > 0 THEN 1 ELSE 0 END", m
                ),
                "rework_rate": SQL(
                    "CASE WHEN %s.reopen_count > 0 THEN 100.0 ELSE 0.0 END", m
                ),
            },
            "overdue": {
                "date": SQL("%s.closure_deadline", m),
                "where": overdue,
                "overdue_count": SQL("1"),
                # an open matter past its deadline counts against the rate
                "on_time_rate": SQL("0.0"),
                "overdue_days": SQL(
                    "round((extract(epoch FROM %s - %s.closure_deadline) "
                    "/ 86400.0)::numeric, 1)::float",
                    now,
                    m,
                ),
            },
            "callback": {
                "date": SQL("%s.callback_date", m),
                "where": reached,
                "callback_count": SQL("1"),
                "satisfaction_rate": SQL(
                    "CASE %s.callback_outcome WHEN 'satisfied' THEN 100.0 ELSE 0.0 END",
                    m,
                ),
            },
        }

    @staticmethod
    def _figure_values(columns):
        """The figures of an event's row, in the order of EVENT_COLUMNS."""
        return [
            SQL(
                "(%s)::%s",
                columns.get(name, SQL("0" if name.endswith("_count") else "NULL")),
                SQL("integer" if name.endswith("_count") else "float"),
            )
            for name in EVENT_COLUMNS
        ]

    def _row_select(self, m, number, event, date, figures):
        return SQL(
            """
            %(m)s.id * %(events)s + %(number)s AS id, %(m)s.id AS matter_id,
            %(event)s AS event, %(date)s AS date, %(m)s.unit_id,
            COALESCE(u.city_unit_id, u.id) AS city_unit_id,
            u.province_unit_id, %(m)s.first_responsible_id,
            %(m)s.channel, %(m)s.kind, %(m)s.business_domain, %(m)s.state,
            %(m)s.registered_date, %(m)s.closed_date, %(figures)s
            """,
            m=m,
            events=len(EVENTS),
            number=number,
            event=event,
            date=date,
            figures=figures,
        )

    def _event_rows(self, event, number, now):
        """The rows of one event: a scan of the matters through its date."""
        matters, m = self._visible_matters()
        columns = self._event_columns(m, now)[event]
        if "where" in columns:
            matters.add_where(columns["where"])
        figures = SQL(", ").join(
            SQL("%s AS %s", value, SQL.identifier(name))
            for name, value in zip(
                EVENT_COLUMNS, self._figure_values(columns), strict=True
            )
        )
        return matters.select(
            self._row_select(m, SQL("%s", number), event, columns["date"], figures)
        )

    def _matter_figure_rows(self, now):
        """One row per matter with the figures of all its events, for
        :meth:`_figures` only, when it reads neither the events' dates nor
        any figure's column in its domain or groups: no row per event to
        make, half the rows to aggregate.  Each figure comes from one event
        (the on-time rate from the closure or, exclusive of it, the
        deadline passing while the matter is open), so that its sum, average,
        maximum and percentile over the matters' rows are those over the
        events' rows; the rows' count is the matters', not the events'."""
        matters, m, events = self._matters_and_events(now)
        figures = []
        for index, name in enumerate(EVENT_COLUMNS):
            default = SQL("0" if name.endswith("_count") else "NULL::float")
            cases = [
                SQL(
                    "WHEN %s THEN %s",
                    columns.get("where", SQL("TRUE")),
                    self._figure_values(columns)[index],
                )
                for columns in events.values()
                if name in columns
            ]
            figures.append(
                SQL(
                    "CASE %s ELSE %s END AS %s",
                    SQL(" ").join(cases),
                    default,
                    SQL.identifier(name),
                )
            )
        return matters.select(
            self._row_select(
                m,
                SQL("0"),
                "received",
                events["received"]["date"],
                SQL(", ").join(figures),
            )
        )

    def _matters_and_events(self, now):
        """The matters the user may see (a query and its alias), joined to
        the count of their approved extensions, counted in one pass (a
        subquery per matter would make the scan serial), and the columns of
        their events."""
        matters, m = self._visible_matters()
        matters.add_join(
            "LEFT JOIN",
            "x",
            SQL(
                "(SELECT matter_id, count(*) AS approved FROM shouwen_extension "
                "WHERE state = 'approved' GROUP BY matter_id)"
            ),
            SQL("x.matter_id = %s.id", m),
        )
        return matters, m, self._event_columns(m, now, SQL("COALESCE(x.approved, 0)"))

    def _matter_rows(self, now):
        """The rows of every event in one scan of the matters: each matter
        the user may see is joined to the four events, and gives a row for
        each that happened to it.  A plain join to a constant list and
        ``CASE`` columns, which PostgreSQL runs in parallel and evaluates
        for the rows kept only; the approved extensions are counted in one
        pass, not by a subquery per matter (either would make the scan
        serial, and cost as much as the scan)."""
        matters, m, events = self._matters_and_events(now)

        def case(values, default):
            return SQL(
                "CASE e.number %s ELSE %s END",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", number, values[event])
                    for number, event in enumerate(EVENTS)
                    if event in values
                ),
                default,
            )

        matters.add_join(
            "JOIN",
            "e",
            SQL(
                "(SELECT * FROM (VALUES %s) AS n (number))",
                SQL(", ").join(SQL("(%s)", number) for number in range(len(EVENTS))),
            ),
            case(
                {
                    event: columns.get("where", SQL("TRUE"))
                    for event, columns in events.items()
                },
                SQL("FALSE"),
            ),
        )
        figures = []
        for index, name in enumerate(EVENT_COLUMNS):
            values = {
                event: self._figure_values(columns)[index]
                for event, columns in events.items()
                if name in columns
            }
            default = SQL("0" if name.endswith("_count") else "NULL::float")
            figures.append(SQL("%s AS %s", case(values, default), SQL.identifier(name)))
        return matters.select(
            self._row_select(
                m,
                SQL("e.number"),
                case({event: SQL("%s", event) for event in EVENTS}, SQL("NULL")),
                case(
                    {event: columns["date"] for event, columns in events.items()},
                    SQL("NULL"),
                ),
                SQL(", ").join(figures),
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
        # the percentile in the same query (one scan of the matters)
        report = self
        if (
            "shouwen_report_rows" not in self.env.context
            and self._domain_fields(domain) | {groupby} <= MATTER_COLUMNS
        ):
            report = self.with_context(shouwen_report_rows="matters")
        figures = report._read_figures(
            domain, groupby, {**FIGURES, "p90_hours": "handling_hours:p90"}
        )
        for values in figures.values():
            for name, counts in DENOMINATORS.items():
                if not any(values[count] for count in counts):
                    values[name] = None
            values["findings"] = {}
        if groupby in ("unit_id", "city_unit_id", "province_unit_id"):
            self._add_findings(figures, domain, groupby)
        return figures

    def _read_group_select(self, aggregate_spec, query):
        # ``field:p90``: the 90th percentile of the field's values (the
        # rows where it is empty do not count: the handling time is empty
        # on every row but the closures)
        fname, __, func = aggregate_spec.partition(":")
        if func == "p90" and fname in self._fields:
            return SQL(
                "percentile_cont(0.9) WITHIN GROUP (ORDER BY %s)",
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_empty_value(self, spec):
        if spec.endswith(":p90"):
            return None  # nothing to measure: no figure, not 0
        return super()._read_group_empty_value(spec)

    def _add_findings(self, figures, domain, groupby):
        """Findings by type, of the units of the groups, as the user may see
        them; the period of ``domain`` applies to when they were recorded."""
        period = [
            ("create_date", operator, value)
            for fname, operator, value in (
                term for term in domain if isinstance(term, (list, tuple))
            )
            if fname == "date"
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
