# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The clock of a matter: deadlines, reminders, the escalation ladder (督办),
pauses for missing materials and extensions (延期)."""

import logging
from collections import defaultdict
from datetime import datetime

from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import clock as clocks
from ..tools.ambient import compiled_once
from ..tools.clock import OWN_STEPS, STEP_DATES
from ..tools.workflow import RUNNING_STATES
from .shouwen_matter import USER_VIEW_DEPENDS
from .shouwen_time_policy import CRITERIA

_logger = logging.getLogger(__name__)

#: states in which the closure clock runs
CLOCK_STATES = RUNNING_STATES

#: fields only the clock's own methods write
CLOCK_FIELDS = frozenset(
    {
        "policy_id",
        "clock_start",
        "response_deadline",
        "closure_deadline",
        "responded_date",
        "is_overdue",
        "escalation_step",
        "response_reminder_date",
        "first_reminder_date",
        "second_reminder_date",
        "next_escalation_date",
        "auto_urge_date",
        "own_reminder_date",
        "own_overdue_date",
        "next_followup_date",
        "clock_paused_since",
        "clock_paused_hours",
        "extension_ids",
    }
)

#: due matters per sweep run: one run is one transaction (the cron runner
#: commits it and calls again while work is left), kept short so that the
#: matters it holds are not locked for long (README, Performance: the time
#: per due matter)
SWEEP_BATCH = 150

#: the buttons also depend on the clock and its extensions
CLOCK_VIEW_DEPENDS = (
    *USER_VIEW_DEPENDS,
    "clock_paused_since",
    "extension_ids.state",
    "policy_id",
)


class ShouwenMatter(models.Model):
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    policy_id = fields.Many2one(
        "shouwen.time.policy", string="Time-limit policy", readonly=True, index=True
    )
    clock_start = fields.Datetime(
        readonly=True, help="Start of the closure clock: registration or reopening."
    )
    response_deadline = fields.Datetime(readonly=True, index="btree_not_null")
    closure_deadline = fields.Datetime(readonly=True, index="btree_not_null")
    responded_date = fields.Datetime(string="First response on", readonly=True)
    is_overdue = fields.Boolean(string="Overdue", readonly=True, index=True)
    escalation_step = fields.Integer(
        readonly=True, help="How many rungs of the escalation ladder were reached."
    )
    response_reminder_date = fields.Datetime(readonly=True)
    first_reminder_date = fields.Datetime(readonly=True)
    second_reminder_date = fields.Datetime(readonly=True)
    next_escalation_date = fields.Datetime(readonly=True)
    auto_urge_date = fields.Datetime(
        readonly=True, help="The morning after the closure deadline: urge."
    )
    own_reminder_date = fields.Datetime(
        readonly=True,
        help="When the handler is reminded of their own deadline (本人办理时限).",
    )
    own_overdue_date = fields.Datetime(
        readonly=True,
        help="When the handler's own deadline passes: their supervisors are alerted.",
    )
    next_followup_date = fields.Datetime(
        readonly=True,
        index="btree_not_null",
        help="When the follow-up sweep must next look at the matter.",
    )
    clock_paused_since = fields.Datetime(
        readonly=True,
        help="The closure clock stands still while the customer brings the "
        "missing materials.",
    )
    clock_paused_hours = fields.Float(
        readonly=True,
        help="How long the closure clock of the current round stood still, in "
        "working hours (clock hours for a limit in calendar days).",
    )
    extension_ids = fields.One2many("shouwen.extension", "matter_id", readonly=True)
    pending_extension_id = fields.Many2one(
        "shouwen.extension", compute="_compute_pending_extension_id"
    )
    pending_extension_new_deadline = fields.Datetime(
        compute="_compute_pending_extension_id", string="Proposed deadline"
    )

    @api.depends("extension_ids.state", "extension_ids.new_deadline")
    def _compute_pending_extension_id(self):
        for matter in self:
            pending = matter.extension_ids.filtered(lambda e: e.state == "pending")[:1]
            matter.pending_extension_id = pending
            matter.pending_extension_new_deadline = pending.new_deadline

    @api.depends_context("uid")
    @api.depends(*CLOCK_VIEW_DEPENDS)
    def _compute_user_view(self):
        result = super()._compute_user_view()
        for matter in self:
            actions = set(matter.available_actions or ())
            if not matter.clock_paused_since:
                actions.discard("resume_clock")
            pending = matter.pending_extension_id
            if pending or not matter.policy_id.extension_max:
                actions.discard("request_extension")
            if not pending:
                actions.discard("decide_extension")
            matter.available_actions = sorted(actions)
        return result

    def _workflow_fields(self):
        return super()._workflow_fields() | CLOCK_FIELDS

    def _prepare_registration(self, vals_list):
        """The clock of each new matter, in its creation values: one INSERT
        per batch, no write after it."""
        super()._prepare_registration(vals_list)
        wanted = [*(f for f in CRITERIA if f in self._fields), "registered_date"]
        missing = {fname for vals in vals_list for fname in wanted if fname not in vals}
        defaults = self.default_get(sorted(missing)) if missing else {}
        for vals in vals_list:
            for fname in missing:
                if fname not in vals and fname in defaults:
                    vals[fname] = defaults[fname]
            vals["registered_date"] = fields.Datetime.to_datetime(
                vals.get("registered_date") or fields.Datetime.now()
            )
        levels = {
            unit.id: unit.level
            for unit in self.env["shouwen.unit"].browse(
                {vals["unit_id"] for vals in vals_list}
            )
        }
        calendar = self.env["shouwen.work.calendar"]._calendar()
        policies = self.env["shouwen.time.policy"]._match_all(
            [
                {
                    **{fname: vals.get(fname) for fname in wanted[:-1]},
                    "unit_level": levels[vals["unit_id"]],
                }
                for vals in vals_list
            ]
        )
        # the matters of a batch registered at the same moment under the same
        # policy share their clock: it is computed once
        clocks = {}
        for vals, policy in zip(vals_list, policies, strict=True):
            key = (policy.id, vals["registered_date"], vals["state"])
            if key not in clocks:
                clocks[key] = self._registration_clock(calendar, policy, *key[1:])
            vals.update(clocks[key])
        return vals_list

    @api.model
    def _registration_clock(self, calendar, policy, registered, state):
        """The clock of a matter registered at ``registered`` under
        ``policy``: its deadlines and follow-up dates."""
        clock = {
            "clock_start": registered,
            "response_deadline": False,
            "closure_deadline": False,
            "clock_paused_since": False,
            "escalation_step": 0,
        }
        if policy:
            clock.update(
                clocks.deadlines(calendar, policy._terms(), registered, registered)
            )
        return dict(
            clock,
            policy_id=policy.id,
            **self._followup_dates(
                calendar,
                set(),
                policy,
                dict(clock, id=False, registered_date=registered, responded_date=False),
                state,
            ),
        )

    def write(self, vals):
        result = super().write(vals)
        # a matter reclassified (or, by the system, dated differently) gets the
        # deadlines of its policy, counted from its own start
        if set(vals) & {*CRITERIA, "registered_date"}:
            self.filtered(lambda m: m.state in CLOCK_STATES)._set_deadlines()
        return result

    # ------------------------------------------------------------------
    # deadlines
    # ------------------------------------------------------------------

    def _policy_criteria(self):
        self.ensure_one()
        values = {fname: self[fname] for fname in CRITERIA if fname in self._fields}
        values["unit_level"] = self.unit_id.level
        return values

    def _set_deadlines(self, restart=False, calendar=None, keep_passed=False):
        """Match the policy and compute the deadlines and follow-up dates,
        written in one go per matter.

        The clock starts at registration; ``restart`` starts a new one now (a
        reopened matter).  A returned or transferred matter keeps its clock;
        an extended deadline is kept; with ``keep_passed`` (a reclassified
        matter), so is a deadline that has already passed: an overdue matter
        stays overdue."""
        if not self:
            return
        calendar = calendar or self.env["shouwen.work.calendar"]._calendar()
        policies = self.env["shouwen.time.policy"]._match_all(
            [matter._policy_criteria() for matter in self]
        )
        done = self._followups_done()
        now = fields.Datetime.now()
        for matter, policy in zip(self, policies, strict=True):
            if restart:
                start = now
            elif matter.reopen_count and matter.clock_start:
                start = matter.clock_start  # the clock of the current round
            else:
                start = matter.registered_date
            vals = {"policy_id": policy.id, "clock_start": start}
            if policy:
                deadlines = clocks.deadlines(
                    calendar,
                    policy._terms(),
                    matter.registered_date,
                    start,
                    paused_hours=0 if restart else matter.clock_paused_hours,
                )
                if not restart:
                    vals["response_deadline"] = deadlines["response_deadline"]
                extended = matter.extension_ids.filtered(
                    lambda e: e.state == "approved"
                )
                if restart or not extended:
                    vals["closure_deadline"] = deadlines["closure_deadline"]
                if restart:
                    vals.update(
                        is_overdue=False,
                        escalation_step=0,
                        clock_paused_since=False,
                        clock_paused_hours=0,
                    )
            if keep_passed:
                for fname in ("response_deadline", "closure_deadline"):
                    if matter[fname] and matter[fname] <= now and fname in vals:
                        vals[fname] = matter[fname]
            vals.update(matter._followup_vals(calendar, done, vals, policy))
            matter._clock_write(vals)

    def _plan_followups(self, calendar=None):
        """Set the date of each follow-up step still to come, and the earliest
        of them for the sweep."""
        calendar = calendar or self.env["shouwen.work.calendar"]._calendar()
        done = self._followups_done()
        for matter in self:
            matter._clock_write(matter._followup_vals(calendar, done))

    def _followup_vals(self, calendar, done, pending=None, policy=None):
        """The follow-up dates of this matter and the earliest of them, its
        clock read from ``pending`` (values about to be written, with their
        ``policy``) where given."""
        self.ensure_one()
        pending = pending or {}
        clock = {
            fname: pending[fname] if fname in pending else self[fname]
            for fname in (
                "clock_start",
                "response_deadline",
                "closure_deadline",
                "clock_paused_since",
                "escalation_step",
            )
        }
        clock.update(
            id=self.id,
            registered_date=self.registered_date,
            responded_date=self.responded_date,
        )
        if policy is None:
            policy = self.policy_id
        vals = self._followup_dates(calendar, done, policy, clock, self.state)
        for step, moment in self._own_moments(calendar, done).items():
            vals[STEP_DATES[step]] = moment
        vals["next_followup_date"] = min(
            filter(None, (vals[fname] for fname in STEP_DATES.values())),
            default=False,
        )
        return vals

    def _own_clock_handovers(self):
        """Hook: the signed handovers of this matter whose recipient's own
        clock (本人办理时限) runs.  None here; the discipline layer, where the
        handovers are (``shouwen_matter_discipline.py``), names them."""
        return self.env["shouwen.handover"]

    def _recused(self):
        """Hook: who takes no part in this matter's handling (回避) and is
        never alerted about it.  Nobody here; the complaint layer names the
        person complained about."""
        return self.env["res.users"]

    def _own_moments(self, calendar, done, now=None):
        """``{step: earliest moment}`` of the own-clock steps still to do on
        this matter; with ``now``, ``{(step, handover): moment}`` of those due
        by then instead."""
        self.ensure_one()
        result = {}
        handovers = self._own_clock_handovers()
        if not handovers or not self.policy_id:
            return result
        terms = self.policy_id._terms()
        for handover in handovers:
            for step, moment in clocks.own_moments(
                calendar, terms, handover.signed_date, handover.own_deadline
            ).items():
                if (self.id, step, handover.id, handover.own_deadline) in done:
                    continue
                if now is None:
                    result[step] = min(moment, result.get(step, moment))
                elif moment <= now:
                    result[step, handover] = moment
        return result

    @api.model
    def _followup_dates(self, calendar, done, policy, clock, state):
        """The follow-up dates of a matter in ``state`` with this ``clock``
        (its deadlines, and its ``id``, ``registered_date`` and
        ``responded_date``), and the earliest of them."""
        running = (
            policy
            and state in CLOCK_STATES
            and not clock["clock_paused_since"]
            and clock["closure_deadline"]
        )
        vals = dict.fromkeys(STEP_DATES.values(), False)
        if running:
            vals.update(clocks.followup_moments(calendar, policy._terms(), clock, done))
        vals["next_followup_date"] = min(filter(None, vals.values()), default=False)
        return vals

    def _followups_done(self):
        """``{(matter_id, step, deadline)}`` of the reminders already done,
        and ``{(matter_id, step, handover id, deadline)}`` of the own-clock
        steps."""
        if not self.ids:
            return set()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT matter_id, step, rung, deadline FROM shouwen_followup "
                "WHERE matter_id IN %s AND (rung = 0 OR step IN %s)",
                tuple(self.ids),
                OWN_STEPS,
            )
        )
        return {
            (matter_id, step, rung, deadline)
            if step in OWN_STEPS
            else (matter_id, step, deadline)
            for matter_id, step, rung, deadline in self.env.cr.fetchall()
        }

    def _clock_write(self, vals):
        # the clock is the matter's own bookkeeping, written after the action
        # that moved it was checked; nobody may set it by hand
        return self.sudo()._workflow_write(vals, bump=False)

    def _clock_event(self, event):
        """Keep the clock in step with an action: ``respond`` (the first
        response), ``stop`` (answered or closed), ``restart`` (reopened)."""
        if event == "respond":
            pending = self.filtered(lambda m: not m.responded_date)
            if pending:
                pending._clock_write({"responded_date": fields.Datetime.now()})
                pending._plan_followups()
        elif event == "stop":
            self._plan_followups()
            # the clock they remind of has stopped: the reminders are answered
            self._activities_done("reminder", feedback=self.env._("Answered"))
        elif event == "restart":
            self._set_deadlines(restart=True)

    @api.model
    def _recompute_deadlines_for_policies(self, policies):
        # sudo: every running matter follows the policies an administrator changed
        matters = self.sudo().search(
            [("state", "in", CLOCK_STATES), ("policy_id", "in", policies.ids)]
        )
        # criteria may have changed: every running matter may match another one
        if not matters or any(
            policy.specificity or not policy.active for policy in policies
        ):
            matters = self.sudo().search([("state", "in", CLOCK_STATES)])
        matters._set_deadlines()

    @api.model
    def _recompute_deadlines_after_calendar_change(self):
        # sudo: every running matter follows the calendar an administrator changed
        self.sudo().search([("state", "in", CLOCK_STATES)])._set_deadlines()

    # ------------------------------------------------------------------
    # pause for missing materials
    # ------------------------------------------------------------------

    def _pause_clock(self):
        self.ensure_one()
        if self.kind == "complaint":
            raise UserError(
                self.env._("The clock of a complaint never stops (15 days by law).")
            )
        if not self.policy_id.can_pause:
            raise UserError(
                self.env._(
                    "The policy %(policy)s does not stop the clock for missing "
                    "materials.",
                    policy=self.policy_id.name,
                )
            )
        if not self.clock_paused_since:
            self._clock_write({"clock_paused_since": fields.Datetime.now()})
            self._plan_followups()

    def action_resume_clock(self):
        """The customer brought the missing materials: the clock runs again and
        the deadline moves by the time it stood still."""
        self.ensure_one()
        self._check_action("resume_clock")
        if not self.clock_paused_since:
            raise UserError(self.env._("The clock of this matter is running."))
        calendar = self.env["shouwen.work.calendar"]._calendar()
        paused_hours, new_deadline = clocks.resume(
            calendar,
            self.policy_id._terms(),
            self.clock_paused_since,
            fields.Datetime.now(),
            self.closure_deadline,
        )
        self._clock_write(
            {
                "clock_paused_since": False,
                "clock_paused_hours": self.clock_paused_hours + paused_hours,
                "closure_deadline": new_deadline,
            }
        )
        self._log(
            "resume_clock",
            to_user=self.env.user,
            reason=self.env._(
                "Materials received; new closure deadline %(deadline)s",
                deadline=self._format_datetime(new_deadline),
            ),
        )
        self._plan_followups(calendar)
        return True

    def _propose_findings_on_close(self):
        result = super()._propose_findings_on_close()
        self._propose_findings_on_overdue_closure()
        return result

    def _propose_findings_on_overdue_closure(self):
        """Closed after the closure deadline: a proposal about the first
        responsible (a person decides; nothing is sanctioned automatically)."""
        Finding = self.env["shouwen.finding"]
        vals_list = [
            Finding._fact_values(
                "overdue_closure",
                matter,
                matter.first_responsible_id,
                self.env._(
                    "Closed on %(closed)s, the closure deadline was %(deadline)s.",
                    closed=matter._format_datetime(matter.closed_date),
                    deadline=matter._format_datetime(matter.closure_deadline),
                ),
            )
            for matter in self
            if matter.closure_deadline
            and matter.closed_date
            and matter.closed_date > matter.closure_deadline
        ]
        if vals_list:
            Finding._propose(vals_list)

    # ------------------------------------------------------------------
    # extensions
    # ------------------------------------------------------------------

    def request_extension(self, new_deadline, reason):
        """Ask to move the closure deadline (延期), with a reason."""
        self.ensure_one()
        reason = self._required_text(
            reason, self.env._("Give the reason for the extension.")
        )
        self._check_action("request_extension")
        if self.pending_extension_id:
            raise UserError(self.env._("An extension is already waiting for approval."))
        policy = self.policy_id
        if not policy or not policy.extension_max:
            raise UserError(
                self.env._("The time limit of this matter cannot be extended.")
            )
        new_deadline = fields.Datetime.to_datetime(new_deadline)
        if not new_deadline or new_deadline <= (self.closure_deadline or datetime.min):
            raise UserError(
                self.env._("The new deadline must be later than the current one.")
            )
        cap, senior_limit = clocks.extension_limits(
            self.env["shouwen.work.calendar"]._calendar(),
            policy._terms(),
            self.clock_start,
        )
        if new_deadline > cap:
            units = dict(
                policy._fields["closure_unit"]._description_selection(self.env)
            )
            amount = f"{policy.extension_max:g}"
            raise UserError(
                self.env._(
                    "No extension beyond %(cap)s: the policy allows at most "
                    "%(amount)s %(unit)s in all, counted from registration.",
                    cap=self._format_datetime(cap),
                    amount=amount,
                    unit=units.get(policy.closure_unit, "").lower(),
                )
            )
        # the request is the consequence of the action checked above
        extension = (
            self.env["shouwen.extension"]
            .sudo()
            .create(
                {
                    "matter_id": self.id,
                    "requested_by_id": self.env.uid,
                    "reason": reason,
                    "old_deadline": self.closure_deadline,
                    "new_deadline": new_deadline,
                    "needs_senior": bool(senior_limit and new_deadline > senior_limit),
                }
            )
        )
        self._log("request_extension", from_user=self.env.user, reason=reason)
        for approver in self._extension_approvers(extension.needs_senior)[:5]:
            self._schedule(
                "extension",
                approver,
                self.with_context(lang=approver.lang).env._(
                    "Approve the extension of matter %(number)s", number=self.name
                ),
                note=reason,
            )
        return extension.with_env(self.env)

    def _approval_unit(self, senior):
        """The unit whose supervisors decide an extension: the matter's own, or
        for a senior decision the superior unit."""
        self.ensure_one()
        unit = self.unit_id
        return (unit.parent_id or unit) if senior else unit

    def _extension_approvers(self, senior):
        unit = self._approval_unit(senior)
        for _unit, users in unit._supervisors_upwards():
            if users:
                return users
        return self.env["res.users"]

    def _check_extension_approver(self, extension):
        unit = self._approval_unit(extension.needs_senior)
        scope = self.env.user._shouwen_scope_domain()
        if self.env.su:
            return
        if extension.requested_by_id == self.env.user or not (
            # sudo: the unit is only tested against the user's scope (yes or no)
            not scope or unit.sudo().filtered_domain(scope)
        ):
            raise UserError(
                self.env._(
                    "This extension is decided by a supervisor of %(unit)s who did "
                    "not ask for it.",
                    unit=unit.display_name,
                )
            )

    def approve_extension(self, note=None, customer_notice=None):
        """A supervisor of the competent level approves the pending extension;
        for a complaint, the notice given to the complainant is recorded."""
        self.ensure_one()
        self._check_action("decide_extension")
        extension = self.pending_extension_id
        if not extension:
            raise UserError(self.env._("No extension is waiting for approval."))
        self._check_extension_approver(extension)
        if self.kind == "complaint" and not (customer_notice or "").strip():
            raise UserError(
                self.env._(
                    "Record how the complainant was told of the extension before "
                    "approving it."
                )
            )
        # sudo: the extension is written by the approval checked above
        extension.sudo().write(
            {
                "state": "approved",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
                "decision_note": note or False,
                "customer_notice": customer_notice or False,
            }
        )
        self._clock_write(
            {
                "closure_deadline": extension.new_deadline,
                "is_overdue": False,
                "escalation_step": 0,
            }
        )
        self._log(
            "approve_extension",
            from_user=extension.requested_by_id,
            to_user=self.env.user,
            reason=self.env._(
                "New closure deadline %(deadline)s",
                deadline=self._format_datetime(extension.new_deadline),
            ),
        )
        self._activities_done("extension", feedback=self.env._("Approved"))
        self._plan_followups()
        return True

    def refuse_extension(self, note):
        """The extension is refused, with a reason: the deadline stays."""
        self.ensure_one()
        note = self._required_text(
            note, self.env._("Give the reason for refusing the extension.")
        )
        self._check_action("decide_extension")
        extension = self.pending_extension_id
        if not extension:
            raise UserError(self.env._("No extension is waiting for approval."))
        self._check_extension_approver(extension)
        # sudo: the extension is written by the refusal checked above
        extension.sudo().write(
            {
                "state": "refused",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
                "decision_note": note,
            }
        )
        self._log(
            "refuse_extension",
            from_user=extension.requested_by_id,
            to_user=self.env.user,
            reason=note,
        )
        self._activities_done("extension", feedback=note)
        return True

    # ------------------------------------------------------------------
    # the follow-up sweep
    # ------------------------------------------------------------------

    @api.model
    def _cron_followup_sweep(self, batch_size=SWEEP_BATCH):
        """Run the follow-up steps that are due, one batch a call.  Reads only
        the due matters through the index on ``next_followup_date``, skips
        those another sweep holds, and reports its progress so that the cron
        runner commits each batch and calls again while work remains."""
        self = self._fallback_lang()  # the system's language
        now = fields.Datetime.now()
        self.env.flush_all()
        ids = self._followup_lock(
            SQL(
                "SELECT id FROM shouwen_matter WHERE next_followup_date <= %s "
                "ORDER BY next_followup_date LIMIT %s",
                now,
                batch_size,
            )
        )
        self.env.cr.execute(
            SQL(
                "SELECT (SELECT count(*) FROM shouwen_matter "
                "WHERE next_followup_date <= %s), (SELECT count(*) FROM "
                "shouwen_handover WHERE next_check_date <= %s AND state = 'pending')",
                now,
                now,
            )
        )
        due = sum(self.env.cr.fetchone())
        self.browse(ids)._run_followups(now)
        done = len(ids) + self.env["shouwen.handover"]._sweep_unsigned(now, batch_size)
        self.env["ir.cron"]._notify_progress(done=done, remaining=max(due - done, 0))
        return done

    @api.model
    def _followup_lock(self, matters):
        """Lock for a follow-up run the matters ``matters`` (ids, or a query
        of their ids) that no other run holds, and return their ids, in
        order: a run on this node or another (the sweep, Odoo's automation
        cron) holds them until it commits.  A matter another run changed
        since this transaction began cannot be locked by it (PostgreSQL's
        repeatable read): then none is taken, quietly — the next run takes
        them, with fresh data."""
        if not isinstance(matters, SQL):
            if not matters:
                return []
            matters = SQL(
                "SELECT id FROM shouwen_matter WHERE id = ANY(%s) ORDER BY id",
                list(matters),
            )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("%s FOR NO KEY UPDATE SKIP LOCKED", matters),
                    log_exceptions=False,
                )
                return [row[0] for row in self.env.cr.fetchall()]
        except TransactionRollbackError:
            _logger.info("Follow-up: matters changed by another run, left to the next")
            return []

    def _run_followups(self, now=None):
        """Run each step due on these matters, once, step by step over the
        whole batch: its bookkeeping (claims, clock, next dates) costs the same
        queries for one matter as for a batch.  A step that fails on the batch
        is run again matter by matter: a matter that fails is logged and
        skipped, the others go on."""
        now = now or fields.Datetime.now()
        automations = self._followup_automations()
        # sudo: the sweep (cron) runs the due steps; it returns nothing to a user
        matters = self.sudo()
        for step, fname in STEP_DATES.items():
            finished = matters.browse()
            while True:
                due = (matters - finished).filtered(
                    lambda m, fname=fname: m[fname] and m[fname] <= now
                )
                if not due:
                    break
                moments = {matter.id: matter[fname] for matter in due}
                try:
                    with self.env.cr.savepoint(), self._activities_in_batch():
                        due._run_step(step, automations.get(step))
                except Exception:
                    for matter in due:
                        try:
                            with self.env.cr.savepoint(), self._activities_in_batch():
                                matter._run_step(step, automations.get(step))
                        except Exception:
                            _logger.exception(
                                "Follow-up of matter %s failed", matter.name
                            )
                            matters -= matter
                due &= matters
                # a step whose action did not move on is done, silently
                stuck = due.filtered(
                    lambda m, fname=fname, moments=moments: m[fname] == moments[m.id]
                )
                if stuck:
                    stuck._plan_after(step, notify=False)
                finished |= stuck

    @api.model
    def _followup_automations(self):
        """The automation rule of each step (an administrator may change its
        action or its filter, or switch it off): read at once."""
        ids = {
            step: self.env["ir.model.data"]._xmlid_to_res_id(
                f"shouwen_responsibility.base_automation_followup_{step}",
                raise_if_not_found=False,
            )
            for step in STEP_DATES
        }
        # sudo: the system runs the automation rules, as base_automation does
        existing = (
            self.env["base.automation"]
            .sudo()
            .with_context(active_test=False)
            .browse([rule_id for rule_id in ids.values() if rule_id])
            .exists()
        )
        return {
            step: existing.browse(rule_id) if rule_id in existing.ids else None
            for step, rule_id in ids.items()
        }

    def _run_step(self, step, automation):
        """Step ``step`` on these matters, all due: through its automation
        rule, whose actions run once on the matters its filter keeps (as a
        server action run on several records: ``records`` is all of them)."""
        chosen = self.browse()
        if automation and automation.active:
            chosen = automation._filter_post(self)
            for action in automation.action_server_ids:
                if chosen:
                    action.with_context(
                        active_model=self._name,
                        active_ids=chosen.ids,
                        active_id=chosen[:1].id,
                    ).run()
        # filtered out by the administrator, or no rule: done, silently
        (self - chosen)._followup(step, notify=False)

    def _followup(self, step, notify=True):
        """Do follow-up ``step`` on each matter where it is due, once per
        deadline."""
        self = self._fallback_lang()  # the system's language
        now = fields.Datetime.now()
        self.filtered(
            lambda m: m[STEP_DATES[step]] and m[STEP_DATES[step]] <= now
        )._plan_after(step, notify=notify)

    def _plan_after(self, step, notify=True):
        """Claim the step (once per matter, step, rung and deadline), notify,
        and plan what comes next."""
        if not self:
            return
        if step in OWN_STEPS:
            return self._plan_after_own(step, notify=notify)
        rows = {}
        for matter in self:
            deadline = (
                matter.response_deadline
                if step == "response_reminder"
                else matter.closure_deadline
            )
            rung = matter.escalation_step + 1 if step == "escalation" else 0
            rows[matter] = (matter.id, step, rung, deadline)
        claimed = self.env["shouwen.followup"]._claim(list(rows.values()))
        now = fields.Datetime.now()
        if step == "escalation":
            by_rung = defaultdict(list)
            for matter, (_id, _step, rung, _deadline) in rows.items():
                by_rung[rung].append(matter.id)
            for rung, ids in by_rung.items():
                self.browse(ids)._clock_write(
                    {
                        STEP_DATES[step]: False,
                        "is_overdue": True,
                        "escalation_step": rung,
                    }
                )
        else:
            self._clock_write({STEP_DATES[step]: False})
        notified = self.browse()
        for matter, row in rows.items():
            _id, _step, rung, deadline = row
            # a reminder of a deadline already passed is pointless: done, silently
            stale = step not in ("escalation", "urge") and deadline <= now
            if row in claimed and notify and not stale:
                notified |= matter
                if step == "escalation":
                    matter._escalate(rung)
                elif step == "urge":
                    matter._auto_urge()
                else:
                    matter._remind(step, deadline)
        if step == "escalation":
            notified._post_template("mail_template_shouwen_escalation")
        elif step != "urge":
            notified._post_template("mail_template_shouwen_reminder")
        self._plan_followups()

    def _plan_after_own(self, step, notify=True):
        """An own-clock step: claimed once per handover due, its recipient
        notified, and what comes next planned."""
        calendar = self.env["shouwen.work.calendar"]._calendar()
        done = self._followups_done()
        now = fields.Datetime.now()
        rows = {}
        for matter in self:
            for (due_step, handover), _moment in matter._own_moments(
                calendar, done, now=now
            ).items():
                if due_step == step:
                    rows[matter, handover] = (
                        matter.id,
                        step,
                        handover.id,
                        handover.own_deadline,
                    )
        claimed = self.env["shouwen.followup"]._claim(list(rows.values()))
        self._clock_write({STEP_DATES[step]: False})
        for (matter, handover), row in rows.items():
            # a reminder of an own deadline already passed is pointless
            stale = step == "own_reminder" and handover.own_deadline <= now
            if row in claimed and notify and not stale:
                if step == "own_reminder":
                    matter._remind_own(handover)
                else:
                    matter._alert_own_overdue(handover)
        self._plan_followups(calendar)

    def _remind_own(self, handover):
        """Remind the handler (or the part's assignee) of their own deadline."""
        user = handover.user_id
        env = self.with_context(lang=user.lang).env
        what = (
            env._("Your part of matter %(number)s", number=self.name)
            if handover.part_id
            else env._("Matter %(number)s", number=self.name)
        )
        self._schedule(
            "reminder",
            user,
            env._(
                "%(what)s: your own deadline is %(deadline)s",
                what=what,
                deadline=self._format_datetime(handover.own_deadline),
            ),
            date_deadline=fields.Datetime.context_timestamp(
                self, handover.own_deadline
            ).date(),
        )

    def _own_overdue_alerted(self, handover):
        """Who is alerted when a handler's own deadline passes: the first
        responsible who gave the part, or the supervisors of the handler's
        unit (the first responsible when it has none)."""
        handler = handover.user_id
        if handover.part_id:
            return (self.first_responsible_id - handler) or self.first_responsible_id
        supervisors = handover.unit_id.supervisor_ids - handler - self._recused()
        return supervisors or (self.first_responsible_id - handler)

    def _alert_own_overdue(self, handover):
        handler = handover.user_id
        alerted = self._own_overdue_alerted(handover)
        part = f" ({handover.part_id.name})" if handover.part_id else ""
        for user in alerted:
            self._schedule(
                "escalation",
                user,
                self.with_context(lang=user.lang).env._(
                    "Matter %(number)s: %(handler)s is past their own deadline",
                    number=self.name,
                    handler=handler.name,
                ),
                date_deadline=fields.Date.context_today(self),
            )
        self._log(
            "own_overdue",
            from_user=handler,
            to_user=alerted[:1] or None,
            # the log is read by the unit: written in the responsible's language
            reason=self.with_context(lang=self.first_responsible_id.lang).env._(
                "%(handler)s's own deadline %(deadline)s passed%(part)s: "
                "%(users)s alerted",
                handler=handler.name,
                deadline=self._format_datetime(handover.own_deadline),
                part=part,
                users=", ".join(alerted.mapped("name")),
            ),
        )

    def _auto_urge(self):
        """Hook: the sweep urges whoever must act the day after the deadline
        (``shouwen_matter_discipline.py``, where urging is)."""

    def _who_must_act(self):
        self.ensure_one()
        if self.state == "guiding" and self.guide_to_id:
            return self.guide_to_id
        return self.handler_id or self.first_responsible_id

    def _remind(self, step, deadline):
        user = self._who_must_act()
        step_label = dict(
            self.env["shouwen.followup"]
            ._fields["step"]
            ._description_selection(self.with_context(lang=user.lang).env)
        )[step]
        self._schedule(
            "reminder",
            user,
            self.with_context(lang=user.lang).env._(
                "%(step)s: matter %(number)s is due on %(deadline)s",
                step=step_label,
                number=self.name,
                deadline=self._format_datetime(deadline),
            ),
            date_deadline=fields.Datetime.context_timestamp(self, deadline).date(),
        )

    def _escalation_recipients(self, rung):
        """Unit and supervisors alerted at ``rung`` (1 = first): the nearest
        unit of the rung's level that has supervisors, always above the unit
        of the previous rung, so that each rung reaches somebody new."""
        levels = {
            "unit": ("county", "city", "province"),
            "city": ("city", "province"),
            "province": ("province",),
        }
        rungs = self.policy_id.escalation_step_ids.sorted(lambda s: (s.sequence, s.id))
        ladder = self.unit_id._supervisors_upwards()
        position, found = -1, (self.unit_id, self.env["res.users"])
        for index in range(min(rung, len(rungs)) or 1):
            level = rungs[index].level if rungs else "province"
            for offset, (unit, users) in enumerate(ladder[position + 1 :]):
                if unit.level in levels[level] and users:
                    position += offset + 1
                    found = (unit, users)
                    break
            else:
                break  # nobody higher: the last supervisors found stay in charge
        return found

    def _escalation_alerted(self, users):
        """Who gets the overdue alert beside the supervisors of the rung."""
        return users

    def _escalate(self, rung):
        unit, users = self._escalation_recipients(rung)
        level_label = dict(
            self.env["shouwen.unit"]._fields["level"]._description_selection(self.env)
        )[unit.level]
        for user in self._escalation_alerted(users):
            self._schedule(
                "escalation",
                user,
                self.with_context(lang=user.lang).env._(
                    "Overdue matter %(number)s: supervise its closure",
                    number=self.name,
                ),
                date_deadline=fields.Date.context_today(self),
            )
        self._log(
            "escalate",
            to_user=users[:1] or None,
            # the log is read by the unit: written in the responsible's language
            reason=self.with_context(lang=self.first_responsible_id.lang).env._(
                "Overdue since %(deadline)s: escalated to %(level)s (%(unit)s)",
                deadline=self._format_datetime(self.closure_deadline),
                level=level_label,
                unit=unit.display_name,
            ),
        )

    def _post_template(self, xmlid):
        """A note in the chatter of each matter from a mail template, rendered
        in the language the template says (the first responsible's): the
        notes of a batch rendered and written at once."""
        if not self:
            return
        # sudo: the template renders into the chatter of the matters at hand
        template = self.env.ref(f"shouwen_responsibility.{xmlid}").sudo()
        with compiled_once():
            subjects = template._render_field("subject", self.ids, compute_lang=True)
            bodies = template._render_field("body_html", self.ids, compute_lang=True)
        self._log_notes(
            [(matter, bodies[matter.id], subjects[matter.id]) for matter in self]
        )
