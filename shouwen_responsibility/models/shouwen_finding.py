# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, mute_logger

from .mail_message import check_posters, is_system

FINDING_TYPES = [
    ("shirking", "Shirking or refusing to accept"),
    ("overdue", "Overdue without reason"),
    ("no_feedback", "No feedback to the customer"),
    ("no_handover", "Guided without handover"),
    ("attitude", "Service attitude complaint"),
    ("other", "Other"),
]

#: sanctions, lightest first: 批评教育 → 通报批评 → 绩效扣分 → 经济处罚 → 行政处分
SANCTIONS = [
    ("criticism", "Criticism and education"),
    ("circulated_notice", "Circulated criticism"),
    ("performance_deduction", "Performance deduction"),
    ("fine", "Fine"),
    ("administrative", "Administrative sanction"),
]

#: the facts the system knows about a matter -> (finding type, proposed sanction)
SYSTEM_FACTS = {
    "overdue_closure": ("overdue", "criticism"),
    "unjustified_return": ("shirking", "criticism"),
    "closed_without_feedback": ("no_feedback", "criticism"),
    "repeated_returns": ("shirking", "circulated_notice"),
}

#: what a proposal of the system may say; it decides nothing
PROPOSAL_FIELDS = frozenset(
    {
        "person_id",
        "unit_id",
        "matter_id",
        "finding_type",
        "facts",
        "proposed_sanction",
        "origin_key",
    }
)

#: fields that only the finding's actions and the system's proposals set
DECISION_FIELDS = frozenset(
    {"state", "origin", "origin_key", "decided_by_id", "decision_date"}
)

#: whom and what the finding is about: fixed once recorded
SUBJECT_FIELDS = frozenset({"person_id", "unit_id", "matter_id"})

INSPECTOR = "shouwen_responsibility.group_shouwen_inspector"
ACTIVITY_TYPE = "shouwen_responsibility.mail_activity_type_shouwen_finding"


class ShouwenFinding(models.Model):
    """An accountability finding (责任追究): a failure of a person of a unit
    to the first-inquiry rules, and the sanction decided for it.  The system
    proposes findings from the facts it knows; a supervisor of the unit or an
    inspector confirms or dismisses each one."""

    _name = "shouwen.finding"
    _description = "Accountability finding"
    _inherit = ["shouwen.batch.mixin", "shouwen.undeletable.mixin"]
    _order = "id desc"
    _rec_names_search = ["person_id", "unit_id", "matter_id"]

    name = fields.Char(compute="_compute_name")
    active = fields.Boolean(default=True, tracking=True)
    person_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="restrict",
        help="The staff member the finding is about.",
    )
    unit_id = fields.Many2one(
        "shouwen.unit",
        required=True,
        index=True,
        ondelete="restrict",
        compute="_compute_unit_id",
        store=True,
        readonly=True,
        precompute=True,
        help="The unit accountable with the person: theirs when the finding is "
        "recorded (the system's proposal about a person without a unit: the "
        "matter's). Nobody chooses it.",
    )
    matter_id = fields.Many2one(
        "shouwen.matter",
        index="btree_not_null",
        ondelete="restrict",
    )
    finding_type = fields.Selection(
        FINDING_TYPES, string="Type", required=True, index=True, tracking=True
    )
    facts = fields.Text(required=True, help="What happened, as established.")
    proposed_sanction = fields.Selection(SANCTIONS, tracking=True)
    sanction = fields.Selection(
        SANCTIONS,
        string="Decided sanction",
        tracking=True,
        copy=False,
        help="Chosen by the decider; the proposed sanction when left empty at "
        "confirmation.",
    )
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("confirmed", "Confirmed"),
            ("dismissed", "Dismissed"),
        ],
        default="proposed",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    origin = fields.Selection(
        [("manual", "Recorded by hand"), ("system", "Proposed by the system")],
        default="manual",
        required=True,
        readonly=True,
        copy=False,
    )
    origin_key = fields.Char(
        readonly=True,
        copy=False,
        help="The fact a proposal of the system comes from: each fact is "
        "proposed once.",
    )
    decided_by_id = fields.Many2one(
        "res.users", string="Decided by", readonly=True, tracking=True, copy=False
    )
    decision_date = fields.Datetime(readonly=True, copy=False)
    decision_note = fields.Text(
        tracking=True,
        copy=False,
        help="The reasons of the decision; required to dismiss a finding.",
    )
    can_decide = fields.Boolean(compute="_compute_can_decide")

    _sql_constraints = [
        (
            "origin_key_unique",
            "unique(origin_key)",
            "A fact gives at most one proposed finding.",
        ),
    ]

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends_context("lang")
    @api.depends("finding_type", "person_id.name")
    def _compute_name(self):
        types = dict(self._fields["finding_type"]._description_selection(self.env))
        for finding in self:
            finding.name = " — ".join(
                part
                for part in (types.get(finding.finding_type), finding.person_id.name)
                if part
            )

    @api.depends("person_id", "matter_id")
    def _compute_unit_id(self):
        # the person's unit when the finding is recorded (the person and the
        # matter are fixed from then on): the finding does not follow a later
        # move; a proposal of the system about a person without a unit (an
        # administrator) belongs to the matter's unit
        for finding in self:
            # sudo: the units of the person and of the matter, recorded as such
            finding.unit_id = (
                finding.person_id.sudo().shouwen_unit_id
                or finding.matter_id.sudo().unit_id
            )

    @api.depends_context("uid")
    @api.depends("person_id", "unit_id", "state")
    def _compute_can_decide(self):
        decidable = self._decidable_by(self.env.user)
        for finding in self:
            finding.can_decide = finding.state == "proposed" and finding in decidable

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_can_record(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            # strangers learn nothing of the finding, not even its state
            self.check_access("write")
            forbidden = set(vals) & DECISION_FIELDS
            if forbidden:
                raise UserError(
                    self.env._(
                        "Use the finding's buttons to change: %(fields)s",
                        fields=", ".join(
                            self._fields[f].get_description(self.env)["string"]
                            for f in sorted(forbidden)
                        ),
                    )
                )
            if set(vals) & SUBJECT_FIELDS:
                raise UserError(
                    self.env._(
                        "A finding stays about the person, unit and matter it was "
                        "recorded for: record a new finding instead."
                    )
                )
            self._check_can_decide()
            if "active" in vals:
                self._check_decided()
            if set(vals) - {"active"}:
                self._check_undecided()
        return super().write(vals)

    def unlink(self):
        # refuse before mail.thread deletes the chatter
        self.check_access("unlink")
        self._unlink_never()
        return super().unlink()

    def _raise_undeletable(self):
        raise UserError(
            self.env._(
                "Findings cannot be deleted: a supervisor or an inspector can "
                "archive them once decided."
            )
        )

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("Record a new finding instead of duplicating one."))

    # ------------------------------------------------------------------
    # who decides
    # ------------------------------------------------------------------

    def _decidable_by(self, user):
        """The findings of ``self`` that ``user`` may decide: as an inspector,
        those about anyone but inspectors; as a supervisor, those of the
        units their scope covers (the person's line: their unit or above),
        about neither a peer nor a superior (anyone whose own scope covers
        the user's unit: another supervisor of the same unit, the city or
        the province above).  Never those about ``user`` themselves."""
        if user.has_group(INSPECTOR):
            # sudo: the groups of the persons, to leave out other inspectors
            return self.filtered(
                lambda f: (
                    f.person_id != user and not f.person_id.sudo().has_group(INSPECTOR)
                )
            )
        scope = user._shouwen_scope_domain()
        # sudo: units only compared with the user's scope; returns findings already held
        units = self.unit_id.sudo().filtered_domain(scope) if scope else self.unit_id
        in_line = self.filtered(lambda f: f.person_id != user and f.unit_id in units)
        above = {
            person
            for person in in_line.person_id
            if person._shouwen_supervises(user.shouwen_unit_id)
        }
        return in_line.filtered(lambda f: f.person_id not in above)

    def _shouwen_actors(self):
        """The findings of ``self`` the current user acts on: those they may
        decide (see :meth:`_decidable_by`)."""
        if self.env.su:
            return self
        # sudo: who the findings are about, to ask whether the user decides them
        return self.browse(self.sudo()._decidable_by(self.env.user).ids)

    def _shouwen_posters(self):
        """The findings of ``self`` the current user may post on: those they
        may decide; never a customer."""
        if self.env.user.share:
            return self.browse()
        # sudo(False): asked as the user themselves, whatever mode the caller is in
        return self.browse(self.sudo(False)._shouwen_actors().ids)

    def _shouwen_authors(self):
        """Who a message on these findings may be authored by: the current
        user."""
        return self.env.user.partner_id

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        if not is_system(self.env):
            check_posters(self.env, {self._name: set(self.ids)})
        return super().message_post(**kwargs)

    def _check_can_decide(self):
        user = self.env.user
        for finding in self - self._decidable_by(user):
            if finding.person_id == user:
                raise UserError(
                    self.env._(
                        "%(finding)s is about you: a supervisor of your unit or an "
                        "inspector decides it.",
                        finding=finding.display_name,
                    )
                )
            raise UserError(
                self.env._(
                    "Only a supervisor of %(unit)s or an inspector may decide "
                    "%(finding)s.",
                    unit=finding.unit_id.display_name,
                    finding=finding.display_name,
                )
            )

    @api.model
    def _check_can_record(self, vals_list):
        """The current user may record these findings: a decider of each."""
        self.check_access("create")
        for vals in vals_list:
            forbidden = set(vals) & DECISION_FIELDS
            if forbidden:
                raise UserError(
                    self.env._(
                        "These fields are set by the finding's decision or by the "
                        "system, not when recording it: %(fields)s",
                        fields=", ".join(sorted(forbidden)),
                    )
                )
            if not vals.get("active", True):
                raise UserError(self.env._("A new finding cannot be archived."))
            draft = self.new({k: v for k, v in vals.items() if k != "unit_id"})
            if draft.person_id.share:
                raise UserError(
                    self.env._("Findings are about staff members, not customers.")
                )
            # sudo: the person's unit, which the finding takes
            unit = draft.person_id.sudo().shouwen_unit_id
            if draft.person_id and not unit:
                raise UserError(
                    self.env._(
                        "%(person)s belongs to no unit: no finding can be "
                        "recorded about them by hand.",
                        person=draft.person_id.name,
                    )
                )
            if vals.get("unit_id") and vals["unit_id"] != unit.id:
                raise UserError(
                    self.env._(
                        "A finding belongs to the unit of the person it is about "
                        "(%(unit)s), not to a unit chosen by the recorder.",
                        unit=unit.display_name,
                    )
                )
            draft._check_can_decide()

    def _check_undecided(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for finding in self:
            if finding.state != "proposed":
                raise UserError(
                    self.env._(
                        "%(finding)s is %(state)s: it can no longer be changed.",
                        finding=finding.display_name,
                        state=states[finding.state].lower(),
                    )
                )

    def _check_decided(self):
        for finding in self:
            if finding.state == "proposed":
                raise UserError(
                    self.env._(
                        "Confirm or dismiss %(finding)s before archiving it.",
                        finding=finding.display_name,
                    )
                )

    def _check_decision(self):
        """Refuse unless the current user may decide every finding of ``self``
        now; the rows stay locked until the end of the transaction."""
        self.check_access("read")
        self._lock()
        self._check_can_decide()
        self._check_undecided()

    def _lock(self):
        """Lock the findings' rows and drop cached values, so that two
        deciders cannot both decide the same finding."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM shouwen_finding WHERE id IN %s FOR NO KEY UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset()

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Confirm the findings: the decided sanction (the proposed one unless
        the decider chose another) is held against the person."""
        self._check_decision()
        for finding in self:
            if not (finding.sanction or finding.proposed_sanction):
                raise UserError(
                    self.env._(
                        "Choose the sanction of %(finding)s before confirming it.",
                        finding=finding.display_name,
                    )
                )
        for finding in self:
            finding._decision_write(
                {
                    "state": "confirmed",
                    "sanction": finding.sanction or finding.proposed_sanction,
                }
            )
        self._activities_done(self.env._("Confirmed"))
        return True

    def dismiss(self, note):
        """Dismiss the findings for the reason ``note``: nothing is held
        against the person."""
        self._check_decision()
        note = (note or "").strip()
        if not note:
            raise UserError(self.env._("Give the reason for dismissing the finding."))
        self._decision_write(
            {"state": "dismissed", "sanction": False, "decision_note": note}
        )
        self._activities_done(note)
        return True

    def action_dismiss(self):
        """The form's button: dismiss for the reason written in the decision
        note."""
        self.check_access("read")
        for finding in self:
            finding.dismiss(finding.decision_note)
        return True

    def _decision_write(self, vals):
        """Write the decision: only the actions above call this, after their
        checks.  Bypasses the guard of :meth:`write`, not the access rules."""
        return super().write(
            dict(
                vals,
                decided_by_id=self.env.uid,
                decision_date=fields.Datetime.now(),
            )
        )

    def _activities_done(self, feedback):
        # the decision answers the reminders of every decider, whoever took it
        self.activity_ids.sudo().action_feedback(feedback=feedback)

    # ------------------------------------------------------------------
    # proposals of the system
    # ------------------------------------------------------------------

    @api.model
    def _fact_values(self, fact, matter, person, facts, occurrence=None):
        """Values of the proposal for ``fact`` (a key of :data:`SYSTEM_FACTS`)
        about ``person`` on ``matter``, for :meth:`_propose`.  ``occurrence``
        tells apart the facts that can happen more than once on a matter
        (e.g. the id of the log line of a return)."""
        finding_type, sanction = SYSTEM_FACTS[fact]
        key = [fact, matter.id, person.id]
        if occurrence is not None:
            key.append(occurrence)
        return {
            "person_id": person.id,
            # sudo: the units recorded on a finding the system proposes
            "unit_id": (person.sudo().shouwen_unit_id or matter.sudo().unit_id).id,
            "matter_id": matter.id,
            "finding_type": finding_type,
            "proposed_sanction": sanction,
            "facts": facts,
            "origin_key": ":".join(str(part) for part in key),
        }

    @api.model
    def _propose(self, vals_list):
        """Propose findings established by the system; each fact (its
        ``origin_key``) is proposed once, whatever the number of calls.  The
        proposals wait for a decider, who is notified; nothing is confirmed.
        Return the findings created."""
        # sudo: the system looks for deciders; findings are read through their own rules
        Users = self.env["res.users"].sudo()
        pending = {}
        for vals in vals_list:
            unexpected = set(vals) - PROPOSAL_FIELDS
            if unexpected:
                raise ValueError(f"A proposal decides nothing: {sorted(unexpected)}")
            vals = dict(vals, state="proposed", origin="system")
            if not vals.get("unit_id"):
                person = Users.browse(vals.get("person_id"))
                vals["unit_id"] = person.shouwen_unit_id.id
            if not (
                vals.get("origin_key") and vals.get("person_id") and vals["unit_id"]
            ):
                raise ValueError(
                    "A proposal needs its origin_key, a person and a unit."
                )
            pending.setdefault(vals["origin_key"], vals)
        # the system records what it found out while a user acted (closing a
        # matter late, returning it) or in the follow-up cron: that user may
        # not record findings, least of all about themselves
        Findings = self.sudo().with_context(active_test=False)
        known = Findings.search_fetch(
            [("origin_key", "in", list(pending))], ["origin_key"]
        )
        for key in known.mapped("origin_key"):
            del pending[key]
        findings = Findings._create_new(list(pending.values()))
        findings._notify_deciders()
        return findings.with_env(self.env)

    def _create_new(self, vals_list):
        """Create the findings of ``vals_list``, but those whose fact a
        concurrent transaction has just proposed: the unique constraint on
        ``origin_key`` decides."""
        if not vals_list:
            return self.browse()
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return self.create(vals_list)
        except UniqueViolation:
            if len(vals_list) == 1:
                return self.browse()
        return self.browse().concat(*(self._create_new([vals]) for vals in vals_list))

    def _deciders(self):
        """The nearest supervisors who may decide the finding: those of its
        unit, else of the nearest unit above it that has some (e.g. when the
        finding is about the unit's only supervisor)."""
        self.ensure_one()
        # sudo: the supervisors above the unit are notified, not returned
        for _unit, users in self.unit_id.sudo()._supervisors_upwards():
            deciders = users.filtered(lambda u: u.active and self._decidable_by(u))
            if deciders:
                return deciders
        return self.env["res.users"]

    def _notify_deciders(self):
        by_decider = defaultdict(self.browse)
        for finding in self:
            for user in finding._deciders():
                by_decider[user] |= finding
        for user, findings in by_decider.items():
            findings._schedule(user)

    def _schedule(self, user):
        self._schedule_activity(
            ACTIVITY_TYPE,
            user,
            self.with_context(lang=user.lang).env._(
                "Confirm or dismiss the proposed finding"
            ),
            date_deadline=self.env.ref(ACTIVITY_TYPE)._get_date_deadline(),
        )
