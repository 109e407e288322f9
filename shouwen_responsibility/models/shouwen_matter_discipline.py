# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Work-order discipline: sign-for (签收) of every handover, disputed returns
(退单审定), urging (催办) and supervision one level up after rework
(提级督办)."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, plaintext2html

from ..tools import access
from ..tools import clock as clocks
from .shouwen_handover import RETURN_CATEGORIES
from .shouwen_matter_followup import CLOCK_STATES, CLOCK_VIEW_DEPENDS

SUPERVISION_REASONS = [
    ("reopens", "Reopened repeatedly"),
    ("transfers", "Transferred repeatedly"),
    ("repeat_complaint", "Repeat complaint"),
]


class ShouwenMatterDiscipline(models.Model):
    # the discipline rules are a concern of their own, beside the clock
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    handover_ids = fields.One2many(
        "shouwen.handover", "matter_id", string="Handovers", readonly=True
    )
    urge_count = fields.Integer(string="Times urged", readonly=True)
    # the latest return, shown at the top of a returned matter
    last_return_user_id = fields.Many2one(
        "res.users", compute="_compute_last_return", string="Returned by"
    )
    last_return_category = fields.Selection(
        RETURN_CATEGORIES, compute="_compute_last_return", string="Return category"
    )
    last_return_reason = fields.Text(
        compute="_compute_last_return", string="Return reason"
    )
    # a disputed return waits for these supervisors
    dispute_decider_ids = fields.Many2many(
        "res.users",
        "shouwen_matter_dispute_decider_rel",
        "matter_id",
        "user_id",
        string="Deciding the disputed return",
        readonly=True,
    )
    # supervision one level up (提级督办)
    supervision_unit_id = fields.Many2one(
        "shouwen.unit",
        string="Supervised by",
        readonly=True,
        index="btree_not_null",
        tracking=True,
    )
    supervision_reason = fields.Selection(SUPERVISION_REASONS, readonly=True)
    supervision_date = fields.Datetime(string="Supervised since", readonly=True)
    overseer_ids = fields.Many2many(
        "res.users",
        "shouwen_matter_overseer_rel",
        "matter_id",
        "user_id",
        string="Supervisors of record",
        readonly=True,
    )
    # who takes part in the matter, in every layer (the staff's read rule);
    # declared here, after the last layer's people, to depend on them all
    party_user_ids = fields.Many2many(
        "res.users",
        string="Taking part or following",
        compute="_compute_party_user_ids",
        search="_search_party_user_ids",
        help="The people who take part in the matter or follow it: those the "
        "staff's rule lets read it.",
    )
    closure_approved_by_id = fields.Many2one(
        "res.users", string="Closure approved by", readonly=True
    )
    closure_approved_date = fields.Datetime(string="Closure approved on", readonly=True)

    def _workflow_fields(self):
        return super()._workflow_fields() | {
            "handover_ids",
            "urge_count",
            "dispute_decider_ids",
            "supervision_unit_id",
            "supervision_reason",
            "supervision_date",
            "overseer_ids",
            "closure_approved_by_id",
            "closure_approved_date",
        }

    # ------------------------------------------------------------------
    # roles
    # ------------------------------------------------------------------

    def _roles(self, user):
        roles = super()._roles(user)
        if self.state == "disputed" and user in self.dispute_decider_ids:
            roles.add("decider")
        if self.supervision_unit_id and user in self.overseer_ids:
            roles.add("overseer")
        return roles

    @api.depends(
        "handover_ids.return_date",
        "handover_ids.user_id",
        "handover_ids.return_category",
        "handover_ids.return_reason",
    )
    def _compute_last_return(self):
        for matter in self:
            returned = matter.handover_ids.filtered("return_date")
            last = returned.sorted("return_date")[-1:]
            matter.last_return_user_id = last.user_id
            matter.last_return_category = last.return_category
            matter.last_return_reason = last.return_reason

    def _party_users(self):
        # sudo: only who the people are, for the field the staff's rule reads
        matter = self.sudo()
        return super()._party_users() | matter.dispute_decider_ids | matter.overseer_ids

    @api.depends_context("uid")
    @api.depends(
        "first_receiver_id",
        "first_responsible_id",
        "handler_id",
        "guide_to_id",
        "part_ids.assignee_id",
        "message_follower_ids.partner_id",
        "state",
        "assign_user_id",
        "assign_unit_id",
        "assignment_approver_ids",
        "dispute_decider_ids",
        "overseer_ids",
    )
    def _compute_party_user_ids(self):
        # a computed field is reached without Odoo's record access check
        # (``mapped`` on ids the user may not read): there it holds nobody
        stored = self.filtered(lambda m: isinstance(m.id, int))
        readable = stored._filtered_access("read")
        for matter in self:
            matter.party_user_ids = (
                matter._party_users() if matter in readable else False
            )

    def _search_party_user_ids(self, operator, value):
        """``id IN (the matters they take part in)``, a union of indexed
        queries (:meth:`_party_subqueries`): PostgreSQL joins the few matters
        found, where an OR of the same conditions made it read every matter
        (2.6 s for a clerk's list at a million matters, 60 ms this way)."""
        ids = [value] if isinstance(value, int) else value
        if operator not in ("in", "=") or not (
            isinstance(ids, list | tuple)
            and all(isinstance(id_, int) and not isinstance(id_, bool) for id_ in ids)
        ):
            raise UserError(
                self.env._(
                    "Matters can be searched by who takes part in them only "
                    "with a list of users."
                )
            )
        if not ids:
            return expression.FALSE_DOMAIN
        union = SQL("(%s)", SQL(" UNION ALL ").join(self._party_subqueries(ids)))
        # the pending changes of who takes part are written first (a matter
        # just guided to someone is theirs to read in the same transaction)
        return [("id", "in", access.flushing(union, *self._party_fields()))]

    @api.model
    def _party_fields(self):
        """The fields the union of :meth:`_party_subqueries` reads: those the
        field ``party_user_ids`` depends on, their inverses, and the users'
        partner and unit."""
        found = []
        for path in self.pool.field_depends[self._fields["party_user_ids"]]:
            model = self
            for name in path.split("."):
                field = model._fields[name]
                found.append(field)
                if not field.relational:
                    break
                model = self.env[field.comodel_name]
                if field.type == "one2many":
                    found.append(model._fields[field.inverse_name])
        Users = self.env["res.users"]
        return [*found, Users._fields["partner_id"], Users._fields["shouwen_unit_id"]]

    @api.model
    def _party_subqueries(self, user_ids):
        # the supervisors deciding a disputed return, and those of record
        users = tuple(user_ids)
        return [
            *super()._party_subqueries(user_ids),
            self._party_many2many_query("dispute_decider_ids", users),
            self._party_many2many_query("overseer_ids", users),
        ]

    @api.depends_context("uid")
    @api.depends(
        *CLOCK_VIEW_DEPENDS,
        "handover_ids.dispute_state",
        "overseer_ids",
        "closure_approved_by_id",
        "dispute_decider_ids",
    )
    def _compute_user_view(self):
        result = super()._compute_user_view()
        for matter in self:
            actions = set(matter.available_actions or ())
            if not matter._open_return():
                actions.discard("dispute_return")
            if matter.closure_approved_by_id:
                actions.discard("approve_closure")
            open_parts = matter.part_ids.filtered(lambda p: p.state == "open")
            mine = open_parts.filtered(lambda p: p.assignee_id == self.env.user)
            if mine.filtered(lambda p: not p.signed_date):
                actions.add("sign_part")
            roles = matter._roles(self.env.user)
            if open_parts - mine and roles & {"responsible", "supervisor", "overseer"}:
                actions.add("urge_part")
            matter.available_actions = sorted(actions)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        matters = super().create(vals_list)
        Params = self.env["ir.config_parameter"]
        if Params._shouwen_threshold("supervise_repeat_complaints"):
            repeats = matters.filtered(lambda m: m.kind == "complaint" and m.is_repeat)
            # the overseers' to-dos of a batch together, one email each
            with self._activities_in_batch():
                for matter in repeats:
                    matter._supervise("repeat_complaint")
        return matters

    def _own_clock_handovers(self):
        """The signed handovers whose recipient's own clock (本人办理时限)
        runs: the current handler's last one, and those of the parts still
        open (a hook of the follow-up layer)."""
        self.ensure_one()
        if self.state not in CLOCK_STATES:
            return self.env["shouwen.handover"]
        # sudo: the clock's bookkeeping reads the own deadlines of the matter's
        # handovers into its follow-up dates; nothing is returned to the user
        signed = self.sudo().handover_ids.filtered(
            lambda h: h.state == "signed" and h.own_deadline
        )
        mine = signed.filtered(
            lambda h: not h.part_id and h.user_id == self.handler_id
        ).sorted(lambda h: (h.signed_date, h.id))[-1:]
        parts = signed.filtered(lambda h: h.part_id and h.part_id.state == "open")
        return mine | parts

    def _pending_handovers(self):
        return self.handover_ids.filtered(
            lambda h: h.state == "pending" and not h.part_id
        )

    def _open_return(self):
        """The last return of the matter, while its dispatcher has not
        accepted nor disputed it."""
        self.ensure_one()
        # sudo: the matter's handovers decide; they are not returned
        returned = self.sudo().handover_ids.filtered(
            lambda h: h.state == "returned" and not h.part_id
        )
        last = returned.sorted(lambda h: (h.return_date, h.id))[-1:]
        return last if last.dispute_state == "open" else last.browse()

    def _accept_open_returns(self):
        """Dispatching the matter again accepts the return that came back."""
        for matter in self:
            # sudo: dispatching again, which the caller was allowed, accepts the return
            matter._open_return().sudo().write({"dispute_state": "accepted"})

    # ------------------------------------------------------------------
    # sign-for (签收) of each handover
    # ------------------------------------------------------------------

    def action_handle(self):
        result = super().action_handle()
        self._accept_open_returns()
        return result

    def guide(self, user, note=None):
        result = super().guide(user, note=note)
        self._accept_open_returns()
        self.env["shouwen.handover"]._record(self, "guide", user=self.guide_to_id)
        return result

    def action_accept(self):
        self.ensure_one()
        pending = self._pending_handovers()
        result = super().action_accept()
        pending._sign(self.env.user)
        self._check_supervision_triggers()
        return result

    def _assignment_granted(self):
        result = super()._assignment_granted()
        self._accept_open_returns()
        self.env["shouwen.handover"]._record(
            self,
            "assign",
            user=self.assign_user_id or None,
            unit=self.assign_unit_id or None,
            # approved by a supervisor, dispatched by who proposed it
            dispatcher=self.first_responsible_id,
        )
        return result

    def action_sign(self):
        self.ensure_one()
        pending = self._pending_handovers()
        result = super().action_sign()
        pending._sign(self.env.user)
        self._check_supervision_triggers()
        return result

    def action_sign_part(self):
        """The assignee signs for their open part of the matter."""
        self.ensure_one()
        part = self.part_ids.filtered(
            lambda p: (
                p.state == "open"
                and p.assignee_id == self.env.user
                and not p.signed_date
            )
        )[:1]
        if not part:
            raise UserError(self.env._("You have no part of this matter to sign for."))
        return part.action_sign()

    def coordinate(self, user, task):
        part = super().coordinate(user, task)
        self.env["shouwen.handover"]._record(
            self, "part", user=part.assignee_id, part=part
        )
        return part

    # ------------------------------------------------------------------
    # returns (退单) and their dispute (退单审定)
    # ------------------------------------------------------------------

    def return_guide(self, reason, category="other"):
        """Return the matter with a reason category and text; a matter given
        by a decision cannot be returned by the person it names."""
        self.ensure_one()
        if category not in dict(RETURN_CATEGORIES):
            raise UserError(self.env._("Choose why the matter is returned."))
        pending = self._pending_handovers()
        bound = pending.filtered(lambda h: h.binding and h.user_id == self.env.user)
        if bound:
            raise UserError(
                self.env._(
                    "Matter %(number)s was given to you by the decision of "
                    "%(user)s on a disputed return: it cannot be returned "
                    "without a new decision.",
                    number=self.name,
                    # sudo: the decider's name, for the person the decision binds
                    user=bound[:1].sudo().from_user_id.name,
                )
            )
        result = super().return_guide(reason)
        pending._return(self.env.user, category, (reason or "").strip())
        return result

    def dispute_return(self, reason):
        """The dispatcher disputes the last return: the supervisors of the
        lowest unit above both parties decide."""
        self.ensure_one()
        reason = self._required_text(
            reason, self.env._("Say why the return is not justified.")
        )
        new_states = self._check_action("dispute_return")
        handover = self._open_return()
        if not handover:
            raise UserError(
                self.env._(
                    "Matter %(number)s has no return waiting for your decision.",
                    number=self.name,
                )
            )
        # sudo: the return the caller decides on (checked above)
        handover = handover.sudo()
        parties = handover.from_user_id | handover.user_id | self.env.user
        unit = (
            self.unit_id | parties.mapped("shouwen_unit_id")
        )._lowest_common() or self.unit_id
        deciders, decision_unit = self.env["res.users"], unit
        for ancestor, users in unit._supervisors_upwards():
            deciders, decision_unit = (
                users - parties - self.complained_person_id,
                ancestor,
            )
            if deciders:
                break
        if not deciders:
            raise UserError(
                self.env._(
                    "No supervisor above %(unit)s can decide this dispute: "
                    "ask the administrator to name the unit supervisors.",
                    unit=unit.display_name,
                )
            )
        state_from = self.state
        self._workflow_write(
            {
                "state": new_states[self],
                "dispute_decider_ids": [fields.Command.set(deciders.ids)],
            }
        )
        handover.write(
            {
                "dispute_state": "disputed",
                "dispute_reason": reason,
                "decision_unit_id": decision_unit.id,
            }
        )
        self._log(
            "dispute_return",
            from_user=self.env.user,
            to_user=deciders[:1],
            reason=reason,
            state_from=state_from,
        )
        # disputing is the first responsible's answer to the return
        self._activities_done("todo", self.env.user, feedback=reason)
        for user in deciders:
            self._schedule(
                "approval",
                user,
                self.with_context(lang=user.lang).env._(
                    "Decide the disputed return of matter %(number)s",
                    number=self.name,
                ),
                note=reason,
            )
        return True

    def decide_return(self, justified, user, note):
        """The decision on a disputed return: whether the return was justified,
        and who signs for the matter now — bound by the decision."""
        self.ensure_one()
        target = self._as_user(user)
        note = self._required_text(
            note, self.env._("Give the reasons of the decision.")
        )
        # allowed from "disputed" only, by a decider; the decision then puts
        # the matter where the named person signs for it
        self._check_action("decide_return")
        handover = self.sudo().handover_ids.filtered(
            lambda h: h.dispute_state == "disputed"
        )[-1:]
        if target == self.env.user:
            raise UserError(self.env._("Name another person than yourself."))
        self._check_staff_target(target, self.env._("give"))
        state = "assigned" if self.kind == "complaint" else "guiding"
        state_from = self.state
        vals = {"state": state, "dispute_decider_ids": [fields.Command.clear()]}
        if self.kind == "complaint":
            vals.update(
                assign_user_id=target.id, assign_unit_id=target.shouwen_unit_id.id
            )
        else:
            vals.update(guide_to_id=target.id, guided_by_id=self.env.uid)
        self._workflow_write(vals)
        handover.write(
            {
                "dispute_state": "justified" if justified else "unjustified",
                "unjustified_count": 0 if justified else 1,
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
                "decision_note": note,
                "decided_user_id": target.id,
            }
        )
        self._log(
            "decide_return",
            from_user=self.env.user,
            to_user=target,
            reason=note,
            state_from=state_from,
        )
        self._activities_done("approval", feedback=note)
        self.env["shouwen.handover"]._record(
            self, "decision", user=target, binding=True
        )
        self._schedule(
            "accept",
            target,
            self.with_context(lang=target.lang).env._(
                "Sign for matter %(number)s, given to you by a decision",
                number=self.name,
            ),
            note=note,
        )
        if not justified:
            self._propose_findings_on_unjustified_return(handover)
        return True

    def _propose_findings_on_unjustified_return(self, handover):
        Finding = self.env["shouwen.finding"]
        returner = handover.user_id
        Finding._propose(
            [
                Finding._fact_values(
                    "unjustified_return",
                    self,
                    returner,
                    self.env._(
                        "%(user)s returned matter %(number)s (%(reason)s); the "
                        "return was judged unjustified by %(decider)s: %(note)s",
                        user=returner.name,
                        number=self.name,
                        reason=handover.return_reason,
                        decider=self.env.user.name,
                        note=handover.decision_note,
                    ),
                    occurrence=handover.id,
                )
            ]
        )

    # ------------------------------------------------------------------
    # urging (催办)
    # ------------------------------------------------------------------

    def _urge_due_date(self):
        days = self.env["ir.config_parameter"]._shouwen_threshold("urge_days")
        calendar = self.env["shouwen.work.calendar"]._calendar()
        moment = clocks.working_days_after(calendar, fields.Datetime.now(), days)
        return fields.Datetime.context_timestamp(self, moment).date()

    def urge(self, message):
        """A supervisor urges whoever must act now: a message and an activity
        with a short due date, counted on the matter."""
        self.ensure_one()
        message = self._required_text(message, self.env._("Write the urging message."))
        self._check_action("urge")
        target = self._who_must_act()
        if target == self.env.user:
            raise UserError(self.env._("You cannot urge yourself."))
        self._urge(target, message)
        return True

    def _urge(self, target, message, part=None, due_date=None):
        """Urge ``target``; written by the action checked by the caller."""
        self._clock_write({"urge_count": self.urge_count + 1})
        self._log(
            "urge",
            from_user=self.env.user,
            to_user=target,
            reason=f"{part.name}: {message}" if part else message,
        )
        self._schedule(
            "urge",
            target,
            self.with_context(lang=target.lang).env._(
                "Urged: matter %(number)s", number=self.name
            ),
            note=message,
            date_deadline=due_date or self._urge_due_date(),
        )
        text = self.env._(
            "%(user)s urged %(target)s: %(message)s",
            user=self.env._("The system")
            if self.env.user._is_superuser()
            else self.env.user.name,
            target=target.name,
            message=message,
        )
        # a sweep: the note is written with the others, and the target
        # reads of it in the one email listing their new to-dos
        if self._queue_note(plaintext2html(text)):
            return
        self.message_post(
            body=text, partner_ids=target.partner_id.ids, subtype_xmlid="mail.mt_note"
        )

    def _auto_urge(self):
        """The sweep urges whoever must act the day after the deadline."""
        due_date = self._urge_due_date() if self else None
        for matter in self:
            target = matter._who_must_act()
            text = matter.with_context(lang=target.lang).env._(
                "The closure deadline %(deadline)s has passed.",
                deadline=matter._format_datetime(matter.closure_deadline),
            )
            matter._urge(target, text, due_date=due_date)

    # ------------------------------------------------------------------
    # supervision one level up (提级督办)
    # ------------------------------------------------------------------

    def _check_supervision_triggers(self):
        # the thresholds of the supervision one level up (提级督办)
        threshold = self.env["ir.config_parameter"]._shouwen_threshold
        reopens = threshold("supervise_after_reopens")
        transfers = threshold("supervise_after_transfers")
        for matter in self.filtered(lambda m: not m.supervision_unit_id):
            # sudo: counts the signed handovers to trigger supervision
            signed = matter.sudo().handover_ids.filtered(
                lambda h: h.state == "signed" and not h.part_id
            )
            if reopens and matter.reopen_count >= reopens:
                matter._supervise("reopens")
            elif transfers and len(signed) >= transfers:
                matter._supervise("transfers")

    def _supervise(self, reason):
        """The unit above the matter's supervises it: its supervisors see it,
        get its alerts and must approve its closure."""
        self.ensure_one()
        unit, overseers = self.unit_id.parent_id or self.unit_id, self.env["res.users"]
        for ancestor, users in unit._supervisors_upwards():
            overseers = users - self.complained_person_id
            if overseers:
                unit = ancestor
                break
        if not overseers:
            return
        # a consequence of the action that reached the threshold
        self._clock_write(
            {
                "supervision_unit_id": unit.id,
                "supervision_reason": reason,
                "supervision_date": fields.Datetime.now(),
                "overseer_ids": [fields.Command.set(overseers.ids)],
                "closure_approved_by_id": False,
                "closure_approved_date": False,
            }
        )
        reason_label = dict(
            self._fields["supervision_reason"]._description_selection(
                self.with_context(lang=self.first_responsible_id.lang).env
            )
        )[reason]
        self._log(
            "supervise",
            to_user=overseers[:1],
            reason=f"{unit.display_name}: {reason_label}",
        )
        for user in overseers:
            # sudo: the overseers' alerts, the consequence of supervision
            self.sudo()._schedule(
                "escalation",
                user,
                self.with_context(lang=user.lang).env._(
                    "Supervise matter %(number)s and approve its closure",
                    number=self.name,
                ),
            )

    def reopen(self, reason):
        result = super().reopen(reason)
        self._clock_write(
            {"closure_approved_by_id": False, "closure_approved_date": False}
        )
        self._check_supervision_triggers()
        return result

    def record_callback(self, outcome, note=None):
        attempts = self.callback_attempts + 1
        closing = outcome == "satisfied" or (
            outcome == "unreachable" and attempts >= self._max_callback_attempts()
        )
        if closing:
            self._check_closure_approved()
        result = super().record_callback(outcome, note=note)
        if self.state == "reopened":
            self._clock_write(
                {"closure_approved_by_id": False, "closure_approved_date": False}
            )
            self._check_supervision_triggers()
        return result

    def action_close(self):
        self._check_closure_approved()
        return super().action_close()

    def _check_closure_approved(self):
        for matter in self:
            if matter.supervision_unit_id and not matter.closure_approved_by_id:
                raise UserError(
                    self.env._(
                        "Matter %(number)s is supervised by %(unit)s: its "
                        "supervisor must approve the closure first.",
                        number=matter.name,
                        unit=matter.supervision_unit_id.display_name,
                    )
                )

    def approve_closure(self, note=None):
        """A supervisor of record approves closing the supervised matter."""
        self.ensure_one()
        new_states = self._check_action("approve_closure")
        if self.closure_approved_by_id:
            raise UserError(self.env._("The closure is already approved."))
        return self._transition(
            "approve_closure",
            {
                "closure_approved_by_id": self.env.uid,
                "closure_approved_date": fields.Datetime.now(),
            },
            new_states=new_states,
            from_user=self.env.user,
            to_user=self.first_responsible_id,
            reason=note,
            done=("escalation", None, note or self.env._("Approved")),
            stays=True,
        )

    def _escalation_alerted(self, users):
        """Overdue alerts reach the supervisors of record too."""
        return super()._escalation_alerted(users) | self.overseer_ids
