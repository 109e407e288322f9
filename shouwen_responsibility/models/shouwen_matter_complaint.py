# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Complaints (投诉): an approved assignment (派单审批) through OCA's tier
validation, sign-for (签收) or return (退单), the reply reviewed by the approving
supervisor, feedback to the complainant, callback (回访), withdrawal (撤回),
repeat complaints and root-cause rectification (溯源整改)."""

from collections import defaultdict
from datetime import timedelta

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.catalogue import TOLD_METHODS

#: how many earlier complaints the warning while typing names
REPEAT_WARNING_NAMED = 5

CALLBACK_OUTCOMES = [
    ("satisfied", "Satisfied"),
    ("not_satisfied", "Not satisfied"),
    ("unreachable", "Unreachable"),
]

SUBSTANTIATION = [
    ("substantiated", "Substantiated"),
    ("partly", "Partly substantiated"),
    ("unsubstantiated", "Not substantiated"),
]

ROOT_CAUSES = [
    ("product", "Product or terms"),
    ("process", "Process or rules"),
    ("service", "Service quality"),
    ("conduct", "Staff conduct"),
    ("system", "Systems"),
    ("third_party", "Third party"),
    ("other", "Other"),
]

#: the complaint fields only its actions write
COMPLAINT_FIELDS = frozenset(
    {
        "assign_user_id",
        "assign_unit_id",
        "assignment_approver_ids",
        "assignment_approved_by_id",
        "reply",
        "reply_date",
        "callback_attempts",
        "callback_outcome",
        "callback_date",
        "callback_note",
        "withdrawal_date",
        "withdrawal_note",
        "is_repeat",
        "repeat_of_ids",
    }
)

MAX_REPRESENTATIVES = 5


class ShouwenMatter(models.Model):
    _name = "shouwen.matter"
    _inherit = ["shouwen.matter", "tier.validation"]

    # tier validation: the assignment waits for approval in "approval"
    _state_from = ["approval"]
    _state_to = ["assigned"]
    _cancel_state = "withdrawn"
    _tier_validation_manual_config = True

    complained_person_id = fields.Many2one(
        "res.users",
        string="Person complained about",
        help="Neither the handler nor the approvers of the complaint may be this "
        "person (回避).",
    )
    representative_ids = fields.One2many(
        "shouwen.complaint.representative",
        "matter_id",
        string="Representatives",
        help="A group complaint records up to five representatives.",
    )
    assign_user_id = fields.Many2one(
        "res.users", string="Proposed handler", readonly=True, index="btree_not_null"
    )
    assign_unit_id = fields.Many2one(
        "shouwen.unit", string="Proposed unit", readonly=True
    )
    assignment_approver_ids = fields.Many2many(
        "res.users",
        "shouwen_matter_approver_rel",
        "matter_id",
        "user_id",
        string="Assignment approvers",
        readonly=True,
    )
    assignment_approved_by_id = fields.Many2one(
        "res.users", string="Assignment approved by", readonly=True
    )
    reply = fields.Text(readonly=True, help="The handler's reply, before review.")
    reply_date = fields.Datetime(readonly=True)
    callback_attempts = fields.Integer(readonly=True)
    callback_outcome = fields.Selection(CALLBACK_OUTCOMES, readonly=True)
    callback_date = fields.Datetime(readonly=True)
    callback_note = fields.Text(readonly=True)
    withdrawal_date = fields.Date(readonly=True)
    withdrawal_note = fields.Text(readonly=True)
    is_repeat = fields.Boolean(string="Repeat complaint", readonly=True, index=True)
    repeat_of_ids = fields.Many2many(
        "shouwen.matter",
        "shouwen_matter_repeat_rel",
        "matter_id",
        "earlier_id",
        string="Earlier complaints",
        readonly=True,
    )
    substantiation = fields.Selection(SUBSTANTIATION)
    root_cause = fields.Selection(ROOT_CAUSES)
    rectification_measure = fields.Text()
    rectification_owner_id = fields.Many2one("res.users", string="Rectification owner")
    rectification_due = fields.Date()
    rectification_done = fields.Boolean()

    @api.constrains("complained_person_id", "handler_id", "assign_user_id")
    def _check_recusal(self):
        for matter in self:
            person = matter.complained_person_id
            if person and person in (matter.handler_id | matter.assign_user_id):
                raise ValidationError(
                    self.env._(
                        "%(person)s is the person complained about: they cannot "
                        "handle the complaint.",
                        person=person.name,
                    )
                )

    def _tier_validation_check_write_allowed(self, vals):
        # the matter's own actions (``_workflow_write``) are the gatekeepers
        # of a complaint under approval: tier validation checks every other
        # write, and would otherwise look its exceptions up once per record
        if self.env.context.get("skip_validation_check"):
            return None
        return super()._tier_validation_check_write_allowed(vals)

    def _workflow_fields(self):
        return super()._workflow_fields() | COMPLAINT_FIELDS

    def write(self, vals):
        if (
            "complained_person_id" in vals
            and not self.env.su
            and self.env.user in self.complained_person_id
        ):
            raise AccessError(
                self.env._(
                    "The person complained about cannot change who the complaint "
                    "is about."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # roles and registration
    # ------------------------------------------------------------------

    def _role_holders(self):
        return {
            **super()._role_holders(),
            "assignee": self.assign_user_id.name or self.assign_unit_id.name,
            "approver": ", ".join(self.assignment_approver_ids.mapped("name")),
        }

    def _party_users(self):
        # sudo: only who the people are, for the field the staff's rule reads
        matter = self.sudo()
        proposed_unit = matter.state == "assigned" and not matter.assign_user_id
        unit_staff = self.env["res.users"]
        if proposed_unit and matter.assign_unit_id:
            unit_staff = unit_staff.sudo().search(
                [("shouwen_unit_id", "=", matter.assign_unit_id.id)]
            )
        return (
            super()._party_users()
            | matter.assign_user_id
            | matter.assignment_approver_ids
            | unit_staff
        )

    @api.model
    def _party_subqueries(self, user_ids):
        # the proposed handler, the approvers, and the staff of the unit a
        # complaint was assigned to while none of them has signed for it
        users = tuple(user_ids)
        return [
            *super()._party_subqueries(user_ids),
            SQL("SELECT id FROM shouwen_matter WHERE assign_user_id IN %s", users),
            self._party_many2many_query("assignment_approver_ids", users),
            SQL(
                "SELECT id FROM shouwen_matter WHERE state = 'assigned' "
                "AND assign_user_id IS NULL AND assign_unit_id IN "
                "(SELECT shouwen_unit_id FROM res_users WHERE id IN %s)",
                users,
            ),
        ]

    def _roles(self, user):
        roles = super()._roles(user)
        if self.kind != "complaint":
            return roles
        if user == self.complained_person_id:
            # the person complained about takes no part in its handling (回避),
            # not even as a supervisor of the unit
            roles.discard("supervisor")
            return roles
        if self.state == "assigned" and (
            user == self.assign_user_id
            or (
                not self.assign_user_id
                and self.assign_unit_id
                and user.shouwen_unit_id == self.assign_unit_id
            )
        ):
            roles.add("assignee")
        if user in self.assignment_approver_ids:
            roles.add("approver")
        return roles

    def _who_must_act(self):
        self.ensure_one()
        if self.kind == "complaint":
            if self.state in ("approval", "review") and self.assignment_approver_ids:
                return self.assignment_approver_ids[:1]
            if self.state == "assigned" and self.assign_user_id:
                return self.assign_user_id
            if self.state == "feedback":
                return self.first_responsible_id
        return super()._who_must_act()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if len(vals.get("representative_ids") or []) > MAX_REPRESENTATIVES:
                raise ValidationError(self._representatives_message())
        matters = super().create(vals_list)
        matters.filtered(lambda m: m.kind == "complaint")._detect_repeats()
        return matters

    def _repeat_keys(self):
        """``{complaint: [(field, value), …]}``: what makes another complaint a
        repeat of each one (the same phone, ID number, policy or customer
        contact), on the stored values (the clear personal data read without
        putting it in the cache)."""
        clear = self._personal_clear_values()
        keys = {}
        for matter in self:
            values = dict(
                clear[matter.id],
                policy_number=matter.policy_number,
                partner_id=matter.partner_id.id,
            )
            keys[matter] = [(fname, value) for fname, value in values.items() if value]
        return keys

    def _representatives_message(self):
        return self.env._(
            "A group complaint records at most %(count)s representatives.",
            count=MAX_REPRESENTATIVES,
        )

    @api.onchange("customer_phone")
    def _onchange_customer_phone_warn_repeat(self):
        """While a new matter is registered: the earlier complaints from the
        typed phone number within the repeat window, named to the registrar.
        Only those whose phone the registrar may already read in clear are
        found (the search on a shown field compares among those only), so the
        warning tells nobody whether a number complained elsewhere; the
        complete check runs, and is recorded, when the matter is saved."""
        if self._origin.id or not self.customer_phone:
            return None
        days = self.env["ir.config_parameter"]._shouwen_threshold("repeat_window_days")
        earlier = self.search(
            [
                ("kind", "=", "complaint"),
                ("customer_phone", "=", self.customer_phone),
                ("registered_date", ">=", fields.Datetime.now() - timedelta(days=days)),
            ],
            order="registered_date desc",
            limit=REPEAT_WARNING_NAMED + 1,
        )
        if not earlier:
            return None
        numbers = ", ".join(earlier[:REPEAT_WARNING_NAMED].mapped("name"))
        if len(earlier) > REPEAT_WARNING_NAMED:
            numbers += " …"
        return {
            "warning": {
                "title": self.env._("A repeat complaint?"),
                "message": self.env._(
                    "This number complained within the last %(days)s days: "
                    "%(numbers)s. Registered as a complaint, this matter will "
                    "be marked as a repeat complaint.",
                    days=days,
                    numbers=numbers,
                ),
                "type": "notification",
            }
        }

    def _detect_repeats(self):
        """Flag a complaint from the same customer, or on the same policy, as
        an earlier one within the configured window, and link them."""
        days = self.env["ir.config_parameter"]._shouwen_threshold("repeat_window_days")
        # the detection compares with every earlier complaint, whoever may see
        # it; only the link and the flag are written on the new one, and the
        # note names only the earlier complaints the registrar may read
        Matter = self.sudo().with_context(active_test=False)
        keys = self._repeat_keys()
        if not any(keys.values()):
            return
        # the complaints of a whole batch compared in one search: any of
        # their keys, within the widest window, then matter by matter
        window = timedelta(days=days)
        wanted = defaultdict(set)
        for matter_keys in keys.values():
            for fname, value in matter_keys:
                wanted[fname].add(value)
        candidates = Matter.search(
            [
                ("kind", "=", "complaint"),
                ("registered_date", ">=", min(self.mapped("registered_date")) - window),
                ("registered_date", "<=", max(self.mapped("registered_date"))),
                *(["|"] * (len(wanted) - 1)),
                *((fname, "in", list(values)) for fname, values in wanted.items()),
            ]
        )
        by_key = defaultdict(set)
        for candidate, candidate_keys in candidates._repeat_keys().items():
            for key in candidate_keys:
                by_key[key].add(candidate.id)
        readable = candidates.with_env(self.env)._filtered_access("read")
        notes = []
        for matter, matter_keys in keys.items():
            found = set().union(*(by_key[key] for key in matter_keys)) - {matter.id}
            if not found:
                continue
            start = matter.registered_date - window
            earlier = candidates.filtered(
                lambda c, found=found, start=start, end=matter.registered_date: (
                    c.id in found and start <= c.registered_date <= end
                )
            )
            if earlier:
                matter._clock_write(
                    {
                        "is_repeat": True,
                        "repeat_of_ids": [fields.Command.set(earlier.ids)],
                    }
                )
                # sudo: only to intersect with the earlier complaints (held
                # as the system); what is named is what the registrar reads
                named = earlier & readable.sudo()
                text = (
                    self.env._(
                        "Repeat complaint: earlier complaints %(numbers)s.",
                        numbers=", ".join(named.mapped("name")),
                    )
                    if named
                    else self.env._("Repeat complaint.")
                )
                if len(earlier) > len(named):
                    text += " " + self.env._(
                        "%(count)s other earlier complaints of this customer "
                        "are not shown to you; the supervisors who may read "
                        "them see them under “Earlier complaints”.",
                        count=len(earlier) - len(named),
                    )
                notes.append((matter, escape(text), False))
        # the notes of a batch written at once
        self._log_notes(notes)

    # ------------------------------------------------------------------
    # assignment approval (派单审批) with tier validation
    # ------------------------------------------------------------------

    def _recused(self):
        """The person complained about takes no part in its handling (回避)."""
        return super()._recused() | self.complained_person_id

    def _assignment_approvers(self, target_unit):
        """Supervisors of the lowest unit above both the complaint's unit and
        the proposed handler's (the competent level), the person complained
        about excluded; the nearest unit above with supervisors otherwise."""
        self.ensure_one()
        unit = (self.unit_id | target_unit)._lowest_common() or self.unit_id
        for _unit, users in unit._supervisors_upwards():
            users = users - self.complained_person_id
            if users:
                return users
        return self.env["res.users"]

    def propose_assignment(self, user=None, unit=None, note=None):
        """The first responsible proposes who handles the complaint (a person,
        or a unit whose staff will sign); the supervisor of the competent level
        approves it."""
        self.ensure_one()
        new_states = self._check_action("propose_assignment")
        target = self._as_user(user) if user else self.env["res.users"]
        target_unit = (
            self.env["shouwen.unit"].browse(int(unit)).exists()
            if unit
            # sudo: the proposed handler's unit, checked below to be ours
            else target.sudo().shouwen_unit_id
        )
        if not target and not target_unit:
            raise UserError(self.env._("Choose the handler or the unit."))
        if target:
            self._check_staff_target(target, self.env._("assign"))
            # sudo: the proposed handler's own unit, which the approvers follow
            own_unit = target.sudo().shouwen_unit_id
            if target_unit != own_unit:
                raise UserError(
                    self.env._(
                        "%(user)s belongs to %(unit)s: a complaint proposed to a "
                        "person goes to their own unit, whose line approves it.",
                        user=target.name,
                        unit=own_unit.display_name,
                    )
                )
        if target and target == self.complained_person_id:
            raise UserError(
                self.env._(
                    "%(person)s is the person complained about: propose somebody "
                    "else (回避).",
                    person=target.name,
                )
            )
        root = self.unit_id.parent_path.split("/")[0]
        # sudo: the unit's place in the tree is compared with the matter's
        if not target_unit or target_unit.sudo().parent_path.split("/")[0] != root:
            raise UserError(self.env._("Choose a unit of this organisation."))
        # sudo: the unit's supervisors are asked to approve, not returned
        approvers = self._assignment_approvers(target_unit.sudo())
        if not approvers:
            raise UserError(
                self.env._(
                    "No supervisor can approve this assignment: set the supervisors "
                    "of %(unit)s.",
                    unit=self.unit_id.display_name,
                )
            )
        state_from = self.state
        # the reviews are the approval this action asks for; nobody else may
        # create or change them (record rules on tier.review)
        matter = self.sudo()
        matter.review_ids.unlink()
        self._activities_done("todo", feedback=self.env._("Handler proposed"))
        self._workflow_write(
            {
                "state": new_states[self],
                "assign_user_id": target.id,
                "assign_unit_id": target_unit.id,
                "assignment_approver_ids": [fields.Command.set(approvers.ids)],
                "assignment_approved_by_id": False,
            }
        )
        matter.request_validation()
        self._log(
            "propose_assignment",
            from_user=self.env.user,
            to_user=target or None,
            reason=note or target_unit.display_name,
            state_from=state_from,
        )
        for approver in approvers:
            self._schedule(
                "approval",
                approver,
                self.with_context(lang=approver.lang).env._(
                    "Approve the assignment of complaint %(number)s", number=self.name
                ),
                note=note,
            )
        self._clock_event("respond")
        return True

    def _check_reviewer(self):
        self.ensure_one()
        self.check_access("read")
        self._lock()
        if self.kind != "complaint" or self.state != "approval":
            raise UserError(
                self.env._(
                    "Complaint %(number)s is not waiting for an assignment approval.",
                    number=self.name,
                )
            )
        if (
            self.env.user == self.complained_person_id
            # sudo: tier validation's reviews tell whether the user reviews (yes or no)
            or not self.sudo()._get_sequences_to_approve(self.env.user)
        ):
            raise UserError(
                self.env._(
                    "Only an approver of complaint %(number)s may decide its "
                    "assignment.",
                    number=self.name,
                )
            )

    def validate_tier(self):
        self._check_reviewer()
        # the reviewer's right was checked above; the reviews themselves are
        # locked against users by a record rule
        matter = self.sudo()
        # only this approver's reviews: given all of them, tier validation
        # approves none once another approver's review comes first
        sequences = matter._get_sequences_to_approve(self.env.user)
        matter._validate_tier(
            matter.review_ids.filtered(lambda r: r.sequence in sequences)
        )
        matter._update_counter({"review_deleted": True})
        if matter.validation_status == "validated":
            self._assignment_granted()
        return True

    def reject_tier(self, reason=None):
        self._check_reviewer()
        reason = self._required_text(
            reason, self.env._("Give the reason for rejecting the assignment.")
        )
        # sudo: the reviews are written after _check_reviewer allowed the rejection
        matter = self.sudo()
        matter._rejected_tier(matter.review_ids)
        matter.review_ids.filtered(
            lambda r: r.done_by == self.env.user and not r.comment
        ).write({"comment": reason})
        matter._update_counter({"review_deleted": True})
        new_states = matter._check_action("approval_rejected")
        proposed = self.assign_user_id
        return self._transition(
            "approval_rejected",
            {"assign_user_id": False, "assign_unit_id": False},
            new_states=new_states,
            from_user=self.env.user,
            to_user=self.first_responsible_id,
            reason=reason,
            done=("approval", None, reason),
            schedule=(
                "todo",
                self.first_responsible_id,
                self.with_context(lang=self.first_responsible_id.lang).env._(
                    "Propose another handler for complaint %(number)s "
                    "(%(proposed)s was not approved)",
                    number=self.name,
                    proposed=proposed.name or "-",
                ),
                reason,
            ),
        )

    def restart_validation(self):
        # the approval restarts only with a new proposal
        raise UserError(
            self.env._("Propose the handler again to restart the approval.")
        )

    def request_validation(self):
        if not self.env.su:
            raise UserError(
                self.env._("The approval is requested by proposing a handler.")
            )
        return super().request_validation()

    def _assignment_granted(self):
        # sudo: tier validation's callback once the reviewer's approval was checked
        matter = self.sudo()
        new_states = matter._check_action("approval_granted")
        target = self.assign_user_id
        self._transition(
            "approval_granted",
            {"assignment_approved_by_id": self.env.uid},
            new_states=new_states,
            from_user=self.env.user,
            to_user=target or None,
            reason=self.assign_unit_id.display_name,
            done=("approval", None, self.env._("Approved")),
        )
        # the person complained about takes no part in its handling (回避)
        signers = (
            target or self.assign_unit_id.supervisor_ids
        ) - self.complained_person_id
        for signer in signers:
            self._schedule(
                "accept",
                signer,
                self.with_context(lang=signer.lang).env._(
                    "Sign for complaint %(number)s or return it", number=self.name
                ),
            )

    # ------------------------------------------------------------------
    # sign, reply, review, feedback, callback, withdrawal
    # ------------------------------------------------------------------

    def action_sign(self):
        """The handler signs for the assigned complaint (签收)."""
        self.ensure_one()
        return self._transition(
            "sign",
            {"handler_id": self.env.uid, "accepted_date": fields.Datetime.now()},
            to_user=self.env.user,
            done=("accept", None, self.env._("Signed for")),
        )

    def _return_elsewhere(self, reason):
        if self.state == "assigned":  # a complaint's 退单
            self._return_assignment(reason)
            return True
        return super()._return_elsewhere(reason)

    def _return_assignment(self, reason):
        """退单: back to the first responsible, who must propose again (the
        return was checked by :meth:`return_guide`)."""
        self._transition(
            "return",
            {
                "assign_user_id": False,
                "assign_unit_id": False,
                "return_count": self.return_count + 1,
            },
            new_states={self: "returned"},
            from_user=self.env.user,
            to_user=self.first_responsible_id,
            reason=reason,
            done=("accept", None, reason),
        )
        self._propose_findings_on_return()
        # the reminder is a consequence of the return checked above; the
        # assignee no longer has write access to the matter
        self.sudo()._schedule(
            "todo",
            self.first_responsible_id,
            self.with_context(lang=self.first_responsible_id.lang).env._(
                "Complaint %(number)s was returned: propose another handler",
                number=self.name,
            ),
            note=reason,
        )

    def submit_reply(self, reply):
        """The handler submits the reply for review by the approving
        supervisor."""
        self.ensure_one()
        reply = self._required_text(reply, self.env._("Write the reply."))
        self._transition(
            "submit_reply",
            {"reply": reply, "reply_date": fields.Datetime.now()},
            to_user=self.env.user,
            reason=reply,
            done=("todo", self.env.user, self.env._("Reply submitted")),
        )
        for approver in self.assignment_approver_ids:
            self._schedule(
                "approval",
                approver,
                self.with_context(lang=approver.lang).env._(
                    "Review the reply to complaint %(number)s", number=self.name
                ),
            )
        return True

    def review_accept(self, note=None):
        """The approving supervisor accepts the reply: the first responsible
        tells the complainant."""
        self.ensure_one()
        return self._transition(
            "review_accept",
            from_user=self.env.user,
            to_user=self.first_responsible_id,
            reason=note,
            done=("approval", None, note or self.env._("Accepted")),
            schedule=(
                "todo",
                self.first_responsible_id,
                self.with_context(lang=self.first_responsible_id.lang).env._(
                    "Tell the complainant the answer to complaint %(number)s",
                    number=self.name,
                ),
            ),
        )

    def review_send_back(self, reason):
        """The approving supervisor sends the reply back to the handler."""
        self.ensure_one()
        reason = self._required_text(reason, self.env._("Say what the reply lacks."))
        return self._transition(
            "review_send_back",
            from_user=self.env.user,
            to_user=self.handler_id,
            reason=reason,
            done=("approval", None, reason),
            schedule=(
                "todo",
                self.handler_id,
                self.with_context(lang=self.handler_id.lang).env._(
                    "Rework the reply to complaint %(number)s", number=self.name
                ),
                reason,
            ),
        )

    def tell_complainant(self, told_method, told_date=None, told_note=None):
        """The first responsible tells the complainant the answer (how, when,
        what)."""
        self.ensure_one()
        if told_method not in dict(TOLD_METHODS):
            raise UserError(self.env._("Say how the complainant was told."))
        told_date = fields.Datetime.to_datetime(told_date) or fields.Datetime.now()
        if told_date > fields.Datetime.now() or told_date < self.registered_date:
            raise UserError(
                self.env._("The complainant was told between the registration and now.")
            )
        return self._transition(
            "tell_complainant",
            {
                "result": self.reply,
                "told_method": told_method,
                "told_date": told_date,
                "told_note": told_note or False,
                "answered_date": fields.Datetime.now(),
            },
            to_user=self.env.user,
            reason=told_note or self.reply,
            done=("todo", self.env.user, self.env._("Complainant told")),
            clock=["stop"],
        )

    def _max_callback_attempts(self):
        return self.env["ir.config_parameter"]._shouwen_threshold("callback_attempts")

    def record_callback(self, outcome, note=None):
        """回访: satisfied → closed; not satisfied → reopened for a new round;
        unreachable → another try, closed after the last one."""
        self.ensure_one()
        if outcome not in dict(CALLBACK_OUTCOMES):
            raise UserError(self.env._("Choose the outcome of the callback."))
        self._check_action("callback")
        attempts = self.callback_attempts + 1
        vals = {
            "callback_attempts": attempts,
            "callback_outcome": outcome,
            "callback_date": fields.Datetime.now(),
            "callback_note": note or False,
        }
        final = outcome != "unreachable" or attempts >= self._max_callback_attempts()
        if final and outcome != "not_satisfied":
            self._check_rectification()
        self._workflow_write(vals)
        self._log("callback", to_user=self.env.user, reason=note or outcome)
        if not final:
            return True
        # sudo: the consequence of the final callback, which the caller was allowed
        matter = self.sudo()
        if outcome == "not_satisfied":
            new_states = matter._check_action("callback_reopen")
            self._workflow_write(
                {
                    "state": new_states[matter],
                    "reopen_count": self.reopen_count + 1,
                    "told_method": False,
                    "told_date": False,
                    "told_note": False,
                    "callback_attempts": 0,
                }
            )
            self._log(
                "reopen", to_user=self.handler_id, reason=note, state_from="callback"
            )
            self._clock_event("restart")
            self._schedule(
                "todo",
                self.handler_id or self.first_responsible_id,
                self.with_context(lang=self.handler_id.lang).env._(
                    "Complaint %(number)s: the complainant is not satisfied, "
                    "handle it again",
                    number=self.name,
                ),
                note=note,
            )
        else:
            new_states = matter._check_action("callback_close")
            self._workflow_write(
                {"state": new_states[matter], "closed_date": fields.Datetime.now()}
            )
            self._log("close", to_user=self.first_responsible_id, state_from="callback")
            self._activities_done(None, feedback=self.env._("Complaint closed"))
            self._propose_findings_on_close()
        return True

    def _check_rectification(self):
        """A substantiated complaint closes only with its root cause and
        rectification recorded and done (溯源整改)."""
        for matter in self:
            if matter.substantiation in ("substantiated", "partly") and not (
                matter.root_cause
                and (matter.rectification_measure or "").strip()
                and matter.rectification_owner_id
                and matter.rectification_due
                and matter.rectification_done
            ):
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is substantiated: record its root "
                        "cause and rectification (measure, owner, due date, done) "
                        "before closing it.",
                        number=matter.name,
                    )
                )

    def withdraw(self, note, date=None):
        """The complainant withdraws the complaint (撤回): it ends on the day
        the withdrawal is received."""
        self.ensure_one()
        note = self._required_text(
            note, self.env._("Record how and why the complaint was withdrawn.")
        )
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        if date > fields.Date.context_today(self):
            raise UserError(
                self.env._("A withdrawal cannot be received in the future.")
            )
        new_states = self._check_action("withdraw")
        # tier validation drops the reviews of a withdrawn complaint (its cancel
        # state); they are locked against users (record rules on tier.review)
        self.sudo().review_ids.unlink()
        return self._transition(
            "withdraw",
            {
                "withdrawal_date": date,
                "withdrawal_note": note,
                "closed_date": fields.Datetime.now(),
            },
            new_states=new_states,
            to_user=self.env.user,
            reason=note,
            done=(None, None, self.env._("Complaint withdrawn")),
            clock=["stop"],
        )
