# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The figures of a unit over a period, each rate beside its definition, and
the report of that period (PDF, XLSX) — not only last month's."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

#: the figures shown, each a field of the wizard
RATES = ("on_time_rate", "sign_rate", "handover_return_rate", "rework_rate")
RATES_MORE = ("satisfaction_rate",)
COUNTS = ("received", "closed", "open", "overdue", "repeats")


def _default_from(wizard):
    # the last twelve months, this one included: never an empty page at
    # the start of a month or a year, and the same window as the pivot
    today = fields.Date.context_today(wizard)
    return today.replace(day=1) - relativedelta(months=11)


class ShouwenFiguresWizard(models.TransientModel):
    _name = "shouwen.figures.wizard"
    _description = "Figures of a unit over a period"

    unit_id = fields.Many2one(
        "shouwen.unit",
        required=True,
        default=lambda self: self.env.user.shouwen_unit_id,
        help="The unit and the units below it.",
    )
    date_from = fields.Date(string="Period start", required=True, default=_default_from)
    date_to = fields.Date(
        string="Period end (included)",
        required=True,
        default=fields.Date.context_today,
    )
    received = fields.Integer(compute="_compute_figures")
    closed = fields.Integer(compute="_compute_figures")
    open = fields.Integer(compute="_compute_figures")
    overdue = fields.Integer(compute="_compute_figures")
    repeats = fields.Integer(compute="_compute_figures", string="Repeat complaints")
    on_time_rate = fields.Char(
        compute="_compute_figures", string="On-time closure rate (%)"
    )
    sign_rate = fields.Char(compute="_compute_figures", string="Sign-for rate (%)")
    handover_return_rate = fields.Char(
        compute="_compute_figures", string="Return rate of handovers (%)"
    )
    rework_rate = fields.Char(compute="_compute_figures", string="Rework rate (%)")
    satisfaction_rate = fields.Char(
        compute="_compute_figures", string="Satisfaction rate (%)"
    )
    definitions = fields.Html(compute="_compute_figures", sanitize=False)

    @api.constrains("unit_id")
    def _check_unit(self):
        # the figures of a unit are for its supervisors (or above) and the
        # inspectors, as its report
        for wizard in self:
            wizard.unit_id._check_figures_access()

    @api.depends("unit_id", "date_from", "date_to")
    def _compute_figures(self):
        """The figures of the report of the period, as the user may see
        them (the matters' and handovers' record rules)."""
        for wizard in self:
            wizard.update(dict.fromkeys(COUNTS, 0))
            wizard.update(dict.fromkeys(RATES + RATES_MORE, "—"))
            wizard.definitions = False
            unit = wizard.unit_id
            if not unit or not wizard.date_from or not wizard.date_to:
                continue
            if wizard.date_from > wizard.date_to:
                continue
            summary = unit._period_summary(wizard.date_from, wizard.date_to)
            for name in COUNTS:
                wizard[name] = summary.get(name) or 0
            for name in RATES + RATES_MORE:
                value = summary.get(name)
                wizard[name] = "—" if value is None else f"{value:.1f}"
            wizard.definitions = unit._figure_definitions_html()

    def _unit_in_context(self):
        self.ensure_one()
        return self.unit_id.with_context(
            shouwen_date_from=fields.Date.to_string(self.date_from),
            shouwen_date_to=fields.Date.to_string(self.date_to),
        )

    def action_print(self):
        """The report of the period (PDF)."""
        return self._unit_in_context().action_print_monthly_report()

    def action_export_xlsx(self):
        """The figures of the period (XLSX)."""
        return self._unit_in_context().action_export_monthly_xlsx()
