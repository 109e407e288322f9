# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import logging

from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import safe_eval

from odoo.addons.base_automation.models.base_automation import (
    DATE_RANGE_FUNCTION,
    TIME_TRIGGERS,
)

from .res_users import MANAGER_GROUP
from .shouwen_matter_followup import SWEEP_BATCH

#: what the addon's administrators change on its follow-up rules without
#: Settings rights: whether a rule runs, and its delay.  Never the filter nor
#: the actions: both are code the server runs (a filter is evaluated with the
#: user's record at hand), which is for Settings administrators only.
FOLLOWUP_RULE_FIELDS = frozenset({"active", "trg_date_range", "trg_date_range_type"})


_logger = logging.getLogger(__name__)

#: the field of the matter that says when the follow-up sweep has a step due
DUE = "next_followup_date"
#: the most matters a rule takes in one pass of Odoo's automation cron
BATCH = SWEEP_BATCH


class BaseAutomation(models.Model):
    _inherit = "base.automation"

    # ------------------------------------------------------------------
    # Odoo's pass over its time-based rules, at a province's scale
    # ------------------------------------------------------------------

    @api.model
    def _check(self, automatic=False, use_new_cursor=False):
        """Odoo's cron "Automation rules: check and execute" searches every
        record a time-based rule's filter matches and reads its date in
        Python: for the addon's follow-up rules, every open matter of the
        province (at a million matters it ran out of memory).  Those rules
        are given only the matters whose follow-up is due (``DUE <= now``,
        through its index): on any other, the rule's step is done or still to
        come, and its action (``_followup``) would do nothing.  Which of them
        run is decided as Odoo decides it (the date, the delay, the last
        run); the other rules run as Odoo runs them."""
        if "__action_done" not in self.env.context:
            self = self.with_context(__action_done={})
        ours = self._shouwen_followup_rules()
        ours._shouwen_check_due()
        return super(
            BaseAutomation, self.with_context(shouwen_rules_apart=tuple(ours.ids))
        )._check(automatic=automatic, use_new_cursor=use_new_cursor)

    @api.model
    def _search(self, domain, *args, **kwargs):
        apart = self.env.context.get("shouwen_rules_apart")
        if apart:
            # the addon's follow-up rules were checked before (see _check)
            domain = expression.AND([domain, [("id", "not in", list(apart))]])
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _shouwen_followup_rules(self):
        """The addon's own time-based follow-up rules that are switched on."""
        # sudo: which module made each rule (the cron runs as the system)
        ids = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("module", "=", "shouwen_responsibility"),
                ]
            )
            .mapped("res_id")
        )
        return self.with_context(active_test=True).search(
            [("id", "in", ids), ("trigger", "in", TIME_TRIGGERS)]
        )

    def _shouwen_check_due(self):
        """Run these rules on the matters whose follow-up is due, as Odoo's
        ``_check`` would run them on all.  The matters a rule will run on are
        locked first as the follow-up sweep locks its own, skipping those a
        sweep holds (on this node or another): the two never work on one
        matter at once, so neither waits for nor deadlocks with the other, and
        a matter skipped here is the sweep's.  A rule runs its step as the
        sweep does: on its matters at once, in a savepoint, one at a time when
        that fails."""
        if not self:
            return
        now = datetime.datetime.now()
        plan = [(rule, rule._shouwen_due_records(now)) for rule in self]
        free = self.env["shouwen.matter"]._followup_lock(
            set().union(*(records.ids for _rule, records in plan))
        )
        steps = {
            rule.id: step
            for step, rule in self.env["shouwen.matter"]._followup_automations().items()
            if rule
        }
        free = set(free)
        for rule, records in plan:
            # every rule of the addon is the rule of a follow-up step
            mine = records.filtered(lambda r, free=free: r.id in free)
            if mine and rule.id in steps:
                rule._shouwen_run_step(steps[rule.id], mine)
            rule.write({"last_run": now})

    def _shouwen_run_step(self, step, matters):
        """Run this rule's follow-up ``step`` on ``matters`` as the sweep runs
        it: on the batch at once, then one matter at a time if the batch
        fails (a matter that fails is logged, the others go on)."""
        Matter = self.env["shouwen.matter"]
        try:
            with self.env.cr.savepoint(), Matter._activities_in_batch():
                matters._run_step(step, self)
            return
        except TransactionRollbackError:
            _logger.info("Follow-up rule %s: matters left to the sweep", self.name)
            return
        except Exception:
            if len(matters) == 1:
                _logger.exception("Follow-up rule %s failed", self.name)
                return
        for matter in matters:
            try:
                with self.env.cr.savepoint(), Matter._activities_in_batch():
                    matter._run_step(step, self)
            except TransactionRollbackError:
                _logger.info(
                    "Follow-up rule %s: %s left to the sweep", self.name, matter.name
                )
            except Exception:
                _logger.exception(
                    "Follow-up rule %s failed on %s", self.name, matter.name
                )

    def _shouwen_due_records(self, now):
        """The records this rule runs on now, as Odoo's ``_check`` decides
        (the date, the delay, the last run), among the most overdue of those
        whose follow-up is due: one batch of the sweep's size, so that a run
        stays short whatever the backlog; the sweep, which runs these same
        rules' actions every few minutes, does the rest."""
        self.ensure_one()
        last_run = self.last_run or datetime.datetime.fromtimestamp(0)
        domain = []
        if self.filter_domain:
            domain = safe_eval.safe_eval(self.filter_domain, self._get_eval_context())
        records = self.env[self.model_name].search(
            expression.AND([domain, [(DUE, "<=", fields.Datetime.now())]]),
            order=DUE,
            limit=BATCH,
        )
        delay = DATE_RANGE_FUNCTION[self.trg_date_range_type](self.trg_date_range)
        fname = self.trg_date_id.name
        due = []
        for record in records:
            record_dt = record[fname]
            if not record_dt:
                continue
            if self.trg_date_calendar_id and self.trg_date_range_type == "day":
                calendar = self._get_calendar(self, record)
                low = calendar.plan_days(
                    -self.trg_date_range, last_run, compute_leaves=True
                )
                high = calendar.plan_days(
                    -self.trg_date_range, now, compute_leaves=True
                )
                if low <= record_dt < high:
                    due.append(record.id)
            elif last_run <= record_dt + delay < now:
                due.append(record.id)
        return records.browse(due)

    def write(self, vals):
        if self._is_shouwen_administrator():
            self._check_followup_rule_setting(vals)
            # sudo: only the switch and the delay of the addon's own follow-up
            # rules, by the addon's administrator (checked above)
            return super(BaseAutomation, self.sudo()).write(vals)
        return super().write(vals)

    def _is_shouwen_administrator(self):
        """The addon's administrator without Settings rights: their access
        to automation rules is this switch and delay, nothing else."""
        user = self.env.user
        return (
            not self.env.su
            and user.has_group(MANAGER_GROUP)
            and not user.has_group("base.group_system")
        )

    def _check_followup_rule_setting(self, vals):
        if set(vals) - FOLLOWUP_RULE_FIELDS:
            raise AccessError(
                self.env._(
                    "Here a follow-up rule can only be switched on or off and "
                    "given another delay; its filter and its actions are for "
                    "Settings administrators."
                )
            )
        self.check_access("write")
        # sudo: which module made each rule, to keep to the addon's own
        ours = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("module", "=", "shouwen_responsibility"),
                ]
            )
            .mapped("res_id")
        )
        if set(self.ids) - set(ours):
            raise AccessError(
                self.env._(
                    "Only the first-inquiry follow-up rules can be switched or "
                    "delayed here; other automation rules are for Settings "
                    "administrators."
                )
            )
