# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The monthly report of a unit (月度报告): the figures of the month, the
trend over twelve months, the ten oldest open matters, the overdue matters by
unit and the findings — as a PDF for people and an XLSX for spreadsheets, from
the same data, which is the figures' one definition."""

import io
import re
from datetime import date, datetime, time

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.workflow import DONE_STATES
from .shouwen_handover_report import FIGURES as HANDOVER_REPORT_FIGURES
from .shouwen_matter_report import FIGURES

TZ = pytz.timezone("Asia/Shanghai")
#: the figures of the summary, in their order
SUMMARY = (
    "received",
    "closed",
    "open",
    "overdue",
    "on_time_rate",
    "sign_rate",
    "handover_return_rate",
    "rework_rate",
    "satisfaction_rate",
    "avg_hours",
    "p90_hours",
    "returns",
    "return_rate",
    "extensions",
    "repeats",
)

#: the figures of the summary read from the handovers (签收与退单), under the
#: summary's name: the handover figure they are
HANDOVER_FIGURES = {"sign_rate": "sign_rate", "handover_return_rate": "return_rate"}


#: a month as the report takes it: ``2026-10`` or a day of it, ``2026-10-01``
MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
#: the years a report may be asked for (its trend reaches a year back)
MIN_YEAR, MAX_YEAR = 1901, 9998


def month_start(value=None):
    """The first day of the month of ``value`` (a date, ``YYYY-MM`` or
    ``YYYY-MM-DD``), of the previous month when empty; ``ValueError`` for
    anything else.

    >>> month_start("2026-10"), month_start("2026-10-31")
    (datetime.date(2026, 10, 1), datetime.date(2026, 10, 1))
    >>> for garbage in ("2026-13", "2026-02-30", "0000-01", "２０２６-１０", [1], "x"):
    ...     try:
    ...         month_start(garbage)
    ...     except ValueError:
    ...         pass
    ...     else:
    ...         print("accepted", garbage)
    """
    if not value:
        today = datetime.now(TZ).date()
        return (today.replace(day=1)) - relativedelta(months=1)
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        match = MONTH_RE.fullmatch(value) if isinstance(value, str) else None
        if not match:
            raise ValueError(f"not a month: {value!r}")
        year, month, day_of_month = match.groups()
        # ValueError for a month or a day that does not exist
        day = date(int(year), int(month), int(day_of_month or 1))
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"not a month: {value!r}")
    return day.replace(day=1)


def utc_bounds(first_day, months=1):
    """``[start, end)`` of ``months`` months from ``first_day``, on a clock in
    Shanghai, as naive UTC."""

    def utc(day):
        local = TZ.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    return utc(first_day), utc(first_day + relativedelta(months=months))


def period_bounds(first_day, last_day):
    """``[start, end)`` from the start of ``first_day`` to the end of
    ``last_day``, on a clock in Shanghai, as naive UTC."""
    start, _end = utc_bounds(first_day, 0)
    end, _end = utc_bounds(last_day + relativedelta(days=1), 0)
    return start, end


class ShouwenUnitMonthlyReport(models.Model):
    # the monthly report is read per unit
    _inherit = "shouwen.unit"  # pylint: disable=consider-merging-classes-inherited

    def _check_figures_access(self):
        """Supervisors of the unit (or above), administrators and inspectors
        read a unit's report; nobody else."""
        user = self.env.user
        if self.env.su or user.has_group(
            "shouwen_responsibility.group_shouwen_inspector"
        ):
            return
        scope = user._shouwen_scope_domain()
        allowed = user.has_group(
            "shouwen_responsibility.group_shouwen_unit_supervisor"
            # sudo: the units are only tested against the user's scope (yes or no)
        ) and (not scope or len(self.sudo().filtered_domain(scope)) == len(self))
        if not allowed:
            raise AccessError(
                self.env._(
                    "Only the supervisors of %(units)s read their monthly report.",
                    # sudo: the names of the units the user asked for, in the refusal
                    units=", ".join(self.sudo().mapped("name")),
                )
            )

    def _report_month(self, month):
        """The first day of the report's month, ``month`` as given by the
        caller (an option of the report's URL, a context key): a clear
        refusal for anything that is no month."""
        try:
            return month_start(month)
        except ValueError:
            shown = repr(month) if not isinstance(month, str) else month
            shown = shown if shown.isprintable() else repr(shown)[1:-1]
            raise UserError(
                self.env._(
                    "“%(month)s” is not a month: give one such as 2026-10, "
                    "from %(first)s to %(last)s.",
                    month=shown[:40],
                    first=MIN_YEAR,
                    last=MAX_YEAR,
                )
            ) from None

    def _report_period(self, date_from, date_to):
        """``(first day, last day)`` of a period given by the caller: two
        dates (or ``YYYY-MM-DD``), the first not after the last, within the
        years a report may be asked for."""
        try:
            first, last = (
                fields.Date.to_date(value) if value else None
                for value in (date_from, date_to)
            )
        except (TypeError, ValueError):
            first = last = None
        if (
            not first
            or not last
            or first > last
            or not (MIN_YEAR <= first.year and last.year <= MAX_YEAR)
        ):
            raise UserError(
                self.env._(
                    "Give a period as two dates, the first not after the last "
                    "(e.g. 2026-01-01 to 2026-06-30)."
                )
            )
        return first, last

    def _period_summary(self, first_day, last_day):
        """The summary's figures of this unit and the units below it, for
        what happened from ``first_day`` to ``last_day`` (included): matters
        received, closed, fallen overdue and called back, handovers due and
        made, as the user may see them: ``{figure:
        value}`` with the keys of :data:`SUMMARY` (and ``closed``, ``open``),
        ``None`` where there is nothing to measure."""
        self.ensure_one()
        self._check_figures_access()
        start, end = period_bounds(first_day, last_day)
        scope = [("unit_id", "child_of", self.id)]
        Report = self.env["shouwen.matter.report"].with_context(tz=TZ.zone)
        summary = Report._figures(
            [*scope, ("date", ">=", start), ("date", "<", end)],
            None,
        ).get(None) or dict.fromkeys(SUMMARY)
        # 签收率 of the handovers due in the period, 退单率 of those made in it
        Handovers = self.env["shouwen.handover.report"]
        due = Handovers._figures(
            [*scope, ("sign_deadline", ">=", start), ("sign_deadline", "<", end)],
            None,
        ).get(None, {})
        made = Handovers._figures(
            [*scope, ("sent_date", ">=", start), ("sent_date", "<", end)], None
        ).get(None, {})
        for name, figure in HANDOVER_FIGURES.items():
            summary[name] = (due if figure == "sign_rate" else made).get(figure)
        return summary

    def _monthly_data(self, month=None, date_from=None, date_to=None):
        """The data of the report of this unit and the units below it, for
        the month of ``month`` (the previous month by default) or the period
        from ``date_from`` to ``date_to`` (days included), as the user may
        see it."""
        self.ensure_one()
        self._check_figures_access()
        if date_from or date_to:
            first_day, last_day = self._report_period(date_from, date_to)
        else:
            first_day = self._report_month(month)
            last_day = first_day + relativedelta(months=1, days=-1)
        start, end = period_bounds(first_day, last_day)
        whole_month = first_day.day == 1 and last_day == first_day + relativedelta(
            months=1, days=-1
        )
        label = (
            first_day.strftime("%Y-%m")
            if whole_month
            else f"{first_day:%Y-%m-%d} – {last_day:%Y-%m-%d}"
        )
        # the trend: the twelve months up to the period's last
        first = last_day.replace(day=1)
        # months on a clock in Shanghai, whoever asks
        Report = self.env["shouwen.matter.report"].with_context(tz=TZ.zone)
        scope = [("unit_id", "child_of", self.id)]
        summary = self._period_summary(first_day, last_day)
        trend_start, trend_end = utc_bounds(first - relativedelta(months=11), 12)
        trend_groups = Report._read_group(
            [
                *scope,
                ("date", ">=", trend_start),
                ("date", "<", trend_end),
            ],
            ["date:month"],
            ["received_count:sum", "on_time_rate:avg"],
        )
        by_month = {
            fields.Date.to_date(key).replace(day=1): (received, rate)
            for key, received, rate in trend_groups
        }
        trend = []
        for index in range(12):
            day = first - relativedelta(months=11 - index)
            received, rate = by_month.get(day, (0, None))
            trend.append(
                {
                    "month": day.strftime("%Y-%m"),
                    "received": int(received or 0),
                    # nothing closed nor overdue: no rate
                    "on_time_rate": None if rate is None else round(rate, 1),
                }
            )
        oldest = self.env["shouwen.matter"].search(
            [*scope, ("state", "not in", DONE_STATES)],
            order="registered_date",
            limit=10,
        )
        overdue = {
            unit: values
            for unit, values in Report._figures(scope, "unit_id").items()
            if values["overdue"]
        }
        findings = self.env["shouwen.finding"]._read_group(
            [
                ("unit_id", "child_of", self.id),
                ("create_date", ">=", start),
                ("create_date", "<", end),
            ],
            ["finding_type"],
            ["__count"],
        )
        finding_labels = dict(
            self.env["shouwen.finding"]
            ._fields["finding_type"]
            ._description_selection(self.env)
        )
        return {
            "unit": self,
            "month": label,
            "date_from": fields.Date.to_string(first_day),
            "date_to": fields.Date.to_string(last_day),
            "summary": summary,
            "trend": trend,
            "oldest": [
                {
                    "name": matter.name,
                    "subject": matter.subject,
                    "unit": matter.unit_id.name,
                    "registered": fields.Datetime.context_timestamp(
                        matter, matter.registered_date
                    ).strftime("%Y-%m-%d"),
                    "deadline": matter.closure_deadline
                    and fields.Datetime.context_timestamp(
                        matter, matter.closure_deadline
                    ).strftime("%Y-%m-%d %H:%M"),
                    "state": dict(
                        matter._fields["state"]._description_selection(self.env)
                    )[matter.state],
                    "responsible": matter.first_responsible_id.name,
                }
                for matter in oldest
            ],
            "overdue": [
                {
                    "unit": unit.display_name,
                    "count": values["overdue"],
                    "days": values["max_overdue_days"],
                }
                for unit, values in sorted(
                    overdue.items(), key=lambda item: -item[1]["overdue"]
                )
            ],
            "findings": [
                {"type": finding_labels[finding_type], "count": count}
                for finding_type, count in findings
            ],
        }

    @api.model
    def _trend_svg(self, trend, width=640, height=180):
        """A bar chart of the matters received per month, with the on-time
        closure rate as a line (0–100 %), as inline SVG."""
        top = max([row["received"] for row in trend] + [1])
        step = width / len(trend)
        bars, points, labels = [], [], []
        for index, row in enumerate(trend):
            x = index * step
            bar = (height - 30) * row["received"] / top
            bars.append(
                f'<rect x="{x + step * 0.2:.1f}" y="{height - 20 - bar:.1f}" '
                f'width="{step * 0.6:.1f}" height="{bar:.1f}" fill="#5b8def"/>'
                f'<text x="{x + step / 2:.1f}" y="{height - 24 - bar:.1f}" '
                f'font-size="9" text-anchor="middle">{row["received"]}</text>'
            )
            labels.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 6}" font-size="9" '
                f'text-anchor="middle">{escape(row["month"][2:])}</text>'
            )
            if row["on_time_rate"] is not None:
                y = (height - 20) - (height - 30) * row["on_time_rate"] / 100
                points.append(f"{x + step / 2:.1f},{y:.1f}")
        line = (
            f'<polyline points="{" ".join(points)}" fill="none" '
            f'stroke="#e8590c" stroke-width="2"/>'
            if len(points) > 1
            else ""
        )
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">'
            f"{''.join(bars)}{line}{''.join(labels)}</svg>"
        )

    def _figure_fields(self):
        """``{figure: field}`` of the summary's figures that are fields of
        the matter or the handover figures."""
        matter = self.env["shouwen.matter.report"]._fields
        handover = self.env["shouwen.handover.report"]._fields
        result = {
            name: matter[aggregate.split(":")[0]]
            for name, aggregate in FIGURES.items()
            if name in SUMMARY
        }
        for name, figure in HANDOVER_FIGURES.items():
            result[name] = handover[HANDOVER_REPORT_FIGURES[figure].split(":")[0]]
        return result

    def _figure_labels(self):
        """``[(figure, label)]`` of the summary: the report's field labels,
        the two handling times named for what they are."""
        fields_ = self._figure_fields()
        labels = {
            "avg_hours": self.env._("Average handling time (working hours)"),
            "p90_hours": self.env._("90th percentile of the handling time"),
            "handover_return_rate": self.env._("Return rate of handovers (%)"),
        }
        for name, field in fields_.items():
            if name not in labels:
                labels[name] = field._description_string(self.env)
        return [(name, labels[name]) for name in SUMMARY]

    def _figure_definitions(self):
        """``[(label, definition)]`` of the summary's rates, as head office
        counts them: the help of their fields."""
        fields_ = self._figure_fields()
        return [
            (label, fields_[name]._description_help(self.env))
            for name, label in self._figure_labels()
            if name.endswith("_rate") and fields_[name]._description_help(self.env)
        ]

    def _figure_definitions_html(self):
        """The definitions of the rates, as a list for a form."""
        items = Markup("").join(
            Markup("<li><b>%s</b>: %s</li>") % (label, definition)
            for label, definition in self._figure_definitions()
        )
        return Markup("<ul class='o_shouwen_definitions mb-0'>%s</ul>") % items

    def _monthly_xlsx(self, month=None, date_from=None, date_to=None):
        """The monthly figures of this unit (or of a period) as an XLSX
        workbook (bytes)."""
        self.ensure_one()
        data = self._monthly_data(month, date_from, date_to)
        _ = self.env._
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = book.add_format({"bold": True})
        sheet = book.add_worksheet(_("Summary"))
        sheet.set_column(0, 0, 36)
        sheet.write(0, 0, f"{self.display_name} {data['month']}", bold)
        for row, (name, label) in enumerate(self._figure_labels(), start=2):
            sheet.write(row, 0, label)
            value = data["summary"].get(name)
            if value is not None:
                sheet.write_number(row, 1, value)
        sheet.set_column(2, 2, 80)
        definitions = dict(self._figure_definitions())
        for row, (_name, label) in enumerate(self._figure_labels(), start=2):
            if label in definitions:
                sheet.write(row, 2, definitions[label])
        sheet = book.add_worksheet(_("Trend"))
        sheet.write_row(
            0, 0, [_("Month"), _("Received"), _("On-time closure rate (%)")], bold
        )
        for row, values in enumerate(data["trend"], start=1):
            sheet.write(row, 0, values["month"])
            sheet.write_number(row, 1, values["received"])
            if values["on_time_rate"] is not None:
                sheet.write_number(row, 2, values["on_time_rate"])
        sheet = book.add_worksheet(_("Oldest open"))
        sheet.write_row(
            0,
            0,
            [
                _("Number"),
                _("Subject"),
                _("Unit"),
                _("Registered on"),
                _("Deadline"),
                _("State"),
                _("First responsible"),
            ],
            bold,
        )
        for row, values in enumerate(data["oldest"], start=1):
            sheet.write_row(
                row,
                0,
                [
                    values["name"],
                    values["subject"],
                    values["unit"],
                    values["registered"],
                    values["deadline"] or "",
                    values["state"],
                    values["responsible"],
                ],
            )
        sheet = book.add_worksheet(_("Overdue by unit"))
        sheet.write_row(0, 0, [_("Unit"), _("Overdue"), _("Overdue for (days)")], bold)
        for row, values in enumerate(data["overdue"], start=1):
            sheet.write(row, 0, values["unit"])
            sheet.write_number(row, 1, values["count"])
            sheet.write_number(row, 2, values["days"] or 0)
        sheet = book.add_worksheet(_("Findings"))
        sheet.write_row(0, 0, [_("Type"), _("Findings")], bold)
        for row, values in enumerate(data["findings"], start=1):
            sheet.write(row, 0, values["type"])
            sheet.write_number(row, 1, values["count"])
        book.close()
        return output.getvalue()

    def action_export_monthly_xlsx(self):
        """Download the previous month's figures of the unit as XLSX."""
        self.ensure_one()
        month = self.env.context.get("shouwen_month")
        date_from = self.env.context.get("shouwen_date_from")
        date_to = self.env.context.get("shouwen_date_to")
        if date_from or date_to:
            first, last = self._report_period(date_from, date_to)
            name = f"{self.code}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
        else:
            name = f"{self.code}-{self._report_month(month):%Y-%m}.xlsx"
        content = self._monthly_xlsx(month, date_from, date_to)
        # linked to no record: only its creator reads it
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_print_monthly_report(self):
        """Print the previous month's report of the unit (PDF)."""
        self.ensure_one()
        self._check_figures_access()
        month = self.env.context.get("shouwen_month")
        date_from = self.env.context.get("shouwen_date_from")
        date_to = self.env.context.get("shouwen_date_to")
        # refused now rather than when the PDF is rendered
        if date_from or date_to:
            first, last = self._report_period(date_from, date_to)
            data = {
                "date_from": fields.Date.to_string(first),
                "date_to": fields.Date.to_string(last),
            }
        else:
            self._report_month(month)
            data = {"month": month}
        return self.env.ref(
            "shouwen_responsibility.action_report_unit_monthly"
        ).report_action(self, data=data)

    @api.model
    def _cron_monthly_reports(self):
        """On the first of the month: each unit's report of the month before,
        posted to its supervisors, in the system's language (the company's)."""
        lang = self.env.company._shouwen_lang()
        report = self.env.ref("shouwen_responsibility.action_report_unit_monthly")
        month = month_start()
        label = month.strftime("%Y-%m")
        for unit in self.search([("supervisor_ids", "!=", False)]):
            unit = unit.with_context(lang=lang)
            pdf, _type = report.with_context(lang=lang)._render_qweb_pdf(
                report.report_name,
                unit.ids,
                data={"month": fields.Date.to_string(month)},
            )
            attachment = self.env["ir.attachment"].create(
                {
                    "name": f"{unit.code}-{month:%Y-%m}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": "shouwen.unit",
                    "res_id": unit.id,
                }
            )
            self.env["mail.thread"].message_notify(
                partner_ids=unit.supervisor_ids.partner_id.ids,
                model="shouwen.unit",
                res_id=unit.id,
                subject=unit.env._(
                    "Monthly report %(month)s: %(unit)s",
                    month=label,
                    unit=unit.name,
                ),
                body=unit.env._("The monthly report of the unit is attached."),
                attachment_ids=attachment.ids,
            )


class ReportUnitMonthly(models.AbstractModel):
    _name = "report.shouwen_responsibility.report_unit_monthly"
    _description = "Monthly report of a unit"

    @api.model
    def _get_report_values(self, docids, data=None):
        units = self.env["shouwen.unit"].browse(docids)
        data = data or {}
        reports = []
        for unit in units:
            values = unit._monthly_data(
                data.get("month"), data.get("date_from"), data.get("date_to")
            )
            values["chart"] = unit._trend_svg(values["trend"])
            values["labels"] = unit._figure_labels()
            values["definitions"] = unit._figure_definitions()
            reports.append(values)
        return {
            "doc_ids": docids,
            "doc_model": "shouwen.unit",
            "docs": units,
            "reports": reports,
        }
