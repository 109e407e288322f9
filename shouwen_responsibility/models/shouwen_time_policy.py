# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools.catalogue import BUSINESS_DOMAINS, CHANNELS, KINDS, UNIT_LEVELS
from ..tools.clock import TERM_FIELDS, Terms
from ..tools.deadline import UNITS

#: the criteria a policy may set; an empty criterion matches every matter
CRITERIA = ("kind", "channel", "business_domain", "unit_level", "priority")

ESCALATION_LEVELS = [
    ("unit", "Supervisor of the matter's unit"),
    ("city", "City branch supervisor"),
    ("province", "Provincial supervisor"),
]


class ShouwenTimePolicy(models.Model):
    """Time limits (限时办结): which matters a policy applies to, their response
    and closure limits, extensions, reminders and the escalation ladder.  The
    most specific active policy wins; the one without criteria is the
    default."""

    _name = "shouwen.time.policy"
    _description = "Time-limit policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    kind = fields.Selection(KINDS)
    channel = fields.Selection(CHANNELS)
    business_domain = fields.Selection(BUSINESS_DOMAINS)
    unit_level = fields.Selection(UNIT_LEVELS)
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")])

    response_amount = fields.Float(
        string="Response limit",
        help="0: answered on the spot, no separate response deadline.",
    )
    response_unit = fields.Selection(UNITS, default="working_hours", required=True)
    closure_amount = fields.Float(string="Closure limit", required=True, default=3)
    closure_unit = fields.Selection(UNITS, default="working_days", required=True)

    extension_approval_beyond = fields.Float(
        string="Senior approval beyond",
        help="An extension whose new deadline lies beyond this many closure units "
        "from the start needs the superior unit's senior manager (0: never).",
    )
    extension_max = fields.Float(
        string="Longest closure with extensions",
        help="No extension may bring the closure deadline beyond this many "
        "closure units from the start (0: no extension allowed).",
    )
    can_pause = fields.Boolean(
        string="Clock pauses for missing materials",
        default=True,
        help="While the customer brings the missing materials told once, the "
        "closure clock stops.  Never for complaints.",
    )

    first_reminder_pct = fields.Float(string="First reminder at (%)", default=50)
    second_reminder_pct = fields.Float(string="Second reminder at (%)", default=80)
    response_reminder_hours = fields.Float(
        string="Response reminder (working hours before)", default=1
    )
    escalation_step_ids = fields.One2many(
        "shouwen.escalation.step", "policy_id", string="Escalation ladder", copy=True
    )
    specificity = fields.Integer(compute="_compute_specificity", store=True)

    @api.depends(*CRITERIA)
    def _compute_specificity(self):
        for policy in self:
            policy.specificity = sum(1 for fname in CRITERIA if policy[fname])

    @api.constrains(*CRITERIA, "active")
    def _check_unique_criteria(self):
        for policy in self.filtered("active"):
            same = self.search(
                [("id", "!=", policy.id)]
                + [(fname, "=", policy[fname]) for fname in CRITERIA]
            )
            if same:
                raise ValidationError(
                    self.env._(
                        "Policies %(a)s and %(b)s apply to the same matters.",
                        a=policy.name,
                        b=same[0].name,
                    )
                )
        if not self.search_count([("specificity", "=", 0)]):
            raise ValidationError(
                self.env._("Keep one active default policy (without criteria).")
            )

    @api.constrains(
        "response_amount",
        "closure_amount",
        "extension_max",
        "first_reminder_pct",
        "second_reminder_pct",
    )
    def _check_amounts(self):
        for policy in self:
            if min(policy.response_amount, policy.closure_amount) < 0:
                raise ValidationError(self.env._("A time limit cannot be negative."))
            if policy.extension_max and policy.extension_max < policy.closure_amount:
                raise ValidationError(
                    self.env._(
                        "%(policy)s: the longest closure cannot be shorter than the "
                        "closure limit.",
                        policy=policy.name,
                    )
                )
            for pct in (policy.first_reminder_pct, policy.second_reminder_pct):
                if not 0 <= pct < 100:
                    raise ValidationError(
                        self.env._("Reminders are set between 0 and 100 %.")
                    )

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        self.env.registry.clear_cache()  # _criteria_table
        # a new policy may be more specific for matters already running
        self.env["shouwen.matter"]._recompute_deadlines_for_policies(policies)
        return policies

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()  # _criteria_table, _terms
        if set(vals) & self._deadline_fields():
            self.env["shouwen.matter"]._recompute_deadlines_for_policies(self)
        return result

    @api.model
    def _deadline_fields(self):
        return {
            "response_amount",
            "response_unit",
            "closure_amount",
            "closure_unit",
            "first_reminder_pct",
            "second_reminder_pct",
            "response_reminder_hours",
            "escalation_step_ids",
            *CRITERIA,
            "active",
        }

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _criteria_table, _terms
        return result

    @api.model
    @tools.ormcache()
    def _criteria_table(self):
        """``((policy id, ((criterion, value), …)), …)``: the criteria set by
        each active policy, most specific first (cached for the registry;
        any change of a policy clears it)."""
        # sudo: every policy is matched; only the matter's own is kept
        policies = self.sudo().search([])
        return tuple(
            (
                policy.id,
                tuple((fname, policy[fname]) for fname in CRITERIA if policy[fname]),
            )
            for policy in policies.sorted(lambda p: (-p.specificity, p.sequence, p.id))
        )

    @api.model
    def _match_all(self, matters_values):
        """The policy of each matter, given as dicts of the criteria: the
        active policy whose criteria all match, most specific first."""
        table = self._criteria_table()
        result = []
        for values in matters_values:
            matched = next(
                (
                    policy_id
                    for policy_id, criteria in table
                    if all(values.get(fname) == value for fname, value in criteria)
                ),
                None,
            )
            # sudo: as matched, whoever registers (read for its deadlines)
            result.append(self.sudo().browse(matched or []))
        return result

    @tools.ormcache("self.id")
    def _terms(self):
        """:class:`~..tools.clock.Terms`: the limits, reminders, extension
        caps and escalation ladder (``((delay, unit), …)``, rung by rung) the
        clock of a matter reads (cached; any change of a policy or a rung
        clears it)."""
        # sudo: the terms only, for the clock of a matter being handled
        policy = self.sudo()
        return Terms(
            *(policy[fname] for fname in TERM_FIELDS),
            rung_delays=tuple(
                (rung.delay_amount, rung.delay_unit)
                for rung in policy.escalation_step_ids.sorted(
                    lambda s: (s.sequence, s.id)
                )
            ),
        )


class ShouwenEscalationStep(models.Model):
    """One rung of the escalation ladder (督办): after the closure deadline plus
    a delay, the supervisors of a level are alerted."""

    _name = "shouwen.escalation.step"
    _description = "Escalation step"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one(
        "shouwen.time.policy", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    level = fields.Selection(ESCALATION_LEVELS, required=True)
    delay_amount = fields.Float(string="Delay after the deadline", default=0)
    delay_unit = fields.Selection(UNITS, default="working_days", required=True)

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        self.env.registry.clear_cache()  # the policy's _terms
        return steps

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.constrains("delay_amount")
    def _check_delay(self):
        if any(step.delay_amount < 0 for step in self):
            raise ValidationError(self.env._("A delay cannot be negative."))
