# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The buttons' last word, and the work queue (我的待办) built on them.

The buttons: the actions the transition table allows, less those the
action's own method refuses now.

The queue: each list is the set of matters on which the user holds one of its
actions in ``available_actions`` — the list that shows the form's buttons, so
a matter waits in a list exactly when its button is there.  The matters first
come from a small candidate domain (searched as the user: record rules
apply), then are kept when the action is available.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

#: hours before the closure deadline from which an open matter is due soon
DUE_SOON_HOURS = 24

#: queue -> the actions that put a matter in it
QUEUE_ACTIONS = {
    "to_sign": ("sign", "sign_part"),
    "to_accept": ("accept",),
    "to_approve": (
        "approve_assignment",
        "review_accept",
        "decide_extension",
        "approve_closure",
    ),
    "to_decide": ("decide_return",),
    "to_callback": ("tell_complainant", "callback"),
}


#: queue -> what waits there for anyone, for a supervisor's view of their scope
SCOPE_DOMAINS = {
    "to_sign": [
        "|",
        ("state", "=", "assigned"),
        ("part_ids", "any", [("state", "=", "open"), ("signed_date", "=", False)]),
    ],
    "to_accept": [("state", "=", "guiding")],
    "to_approve": [
        "|",
        "|",
        ("state", "in", ("approval", "review")),
        ("extension_ids", "any", [("state", "=", "pending")]),
        "&",
        "&",
        ("state", "in", ("answered", "feedback", "callback")),
        ("supervision_unit_id", "!=", False),
        ("closure_approved_by_id", "=", False),
    ],
    "to_decide": [("state", "=", "disputed")],
    "to_callback": [("state", "in", ("feedback", "callback"))],
}


class ShouwenMatter(models.Model):
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    queue_to_sign = fields.Boolean(
        string="Waiting for my sign-for",
        compute="_compute_queue",
        search="_search_queue_to_sign",
    )
    queue_to_accept = fields.Boolean(
        string="Waiting for my acceptance (queue)",
        compute="_compute_queue",
        search="_search_queue_to_accept",
    )
    queue_to_approve = fields.Boolean(
        string="Waiting for my approval (queue)",
        compute="_compute_queue",
        search="_search_queue_to_approve",
    )
    queue_to_decide = fields.Boolean(
        string="Waiting for my decision",
        compute="_compute_queue",
        search="_search_queue_to_decide",
    )
    queue_to_callback = fields.Boolean(
        string="Waiting for my callback",
        compute="_compute_queue",
        search="_search_queue_to_callback",
    )
    queue_due_soon = fields.Boolean(
        string="Due soon",
        compute="_compute_queue",
        search="_search_queue_due_soon",
    )
    queue_overdue = fields.Boolean(
        string="Overdue (mine or my scope)",
        compute="_compute_queue",
        search="_search_queue_overdue",
    )

    handler_own_deadline = fields.Datetime(
        string="Handler's own deadline",
        compute="_compute_handler_own_deadline",
        help="The handler's own clock (本人办理时限), started when they signed "
        "for the matter; the matter's closure deadline still applies.",
    )

    @api.depends("handler_id", "handover_ids.own_deadline", "handover_ids.state")
    def _compute_handler_own_deadline(self):
        for matter in self:
            signed = matter.handover_ids.filtered(
                lambda h, matter=matter: (
                    h.state == "signed"
                    and not h.part_id
                    and h.user_id == matter.handler_id
                    and h.own_deadline
                )
            )
            last = signed.sorted(lambda h: (h.signed_date, h.id))[-1:]
            matter.handler_own_deadline = last.own_deadline

    # ------------------------------------------------------------------
    # the buttons: what the server accepts, and nothing else
    # ------------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends(
        "can_review",
        "handover_ids.binding",
        "handover_ids.state",
        "told_date",
        "supervision_unit_id",
        "closure_deadline",
        "extension_ids.needs_senior",
        "status_url",
        "customer_email",
    )
    def _compute_user_view(self):
        """The actions the table allows, less those the action's own method
        refuses now, plus the assignment approval of the tier validation."""
        result = super()._compute_user_view()
        user = self.env.user
        for matter in self:
            if not matter._origin.id:
                # a matter being registered: nothing to act on before it is saved
                matter.available_actions = []
                continue
            actions = set(matter.available_actions or ())
            if "urge" in actions and matter._who_must_act() in (user, user.browse()):
                # nobody else to urge: urge() refuses "You cannot urge yourself"
                actions.discard("urge")
            if "return" in actions and matter._pending_handovers().filtered(
                lambda h, user=user: h.binding and h.user_id == user
            ):
                # given by a decision: return_guide() refuses without a new one
                actions.discard("return")
            if "close" in actions and (
                not matter.told_date
                or (matter.supervision_unit_id and not matter.closure_approved_by_id)
            ):
                # action_close() wants the customer told and a supervised
                # closure approved
                actions.discard("close")
            if "decide_extension" in actions and not matter._may_decide_extension():
                actions.discard("decide_extension")
            if "request_extension" in actions and matter._extension_exhausted():
                # no later deadline within the policy's cap is left to ask for
                actions.discard("request_extension")
            if "make_status_link" in actions and matter.customer_email:
                # whoever may make the link may email it to the customer
                actions.add("send_status_link")
            if "make_status_link" in actions and matter.status_url:
                # made once: another click is accepted and changes nothing
                actions.discard("make_status_link")
            if matter.state == "approval" and matter.can_review:
                actions.add("approve_assignment")
                actions.add("reject_assignment")
            matter.available_actions = sorted(actions)
        return result

    def _may_decide_extension(self):
        """Whether the current user decides the pending extension: a
        supervisor of the competent unit who did not ask for it."""
        self.ensure_one()
        try:
            self._check_extension_approver(self.pending_extension_id)
        except UserError:
            return False
        return True

    def _extension_exhausted(self):
        """Whether the closure deadline already reached the policy's cap."""
        self.ensure_one()
        policy = self.policy_id
        if not (policy.extension_max and self.clock_start and self.closure_deadline):
            return False
        calendar = self.env["shouwen.work.calendar"]._calendar()
        cap = calendar.add(self.clock_start, policy.extension_max, policy.closure_unit)
        return self.closure_deadline >= cap

    # ------------------------------------------------------------------
    # the queues
    # ------------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_queue(self):
        for queue in (*QUEUE_ACTIONS, "due_soon", "overdue"):
            found = self.search([("id", "in", self.ids), (f"queue_{queue}", "=", True)])
            for matter in self:
                matter[f"queue_{queue}"] = matter in found

    def _queue_candidates(self, queue):
        """A domain holding every matter of ``queue`` (and maybe more)."""
        uid = self.env.uid
        if queue == "to_sign":
            return [
                "|",
                ("state", "=", "assigned"),
                (
                    "part_ids",
                    "any",
                    [
                        ("state", "=", "open"),
                        ("assignee_id", "=", uid),
                        ("signed_date", "=", False),
                    ],
                ),
            ]
        if queue == "to_accept":
            return [("state", "=", "guiding"), ("guide_to_id", "=", uid)]
        if queue == "to_approve":
            domain = [
                "|",
                "|",
                ("state", "=", "approval"),
                "&",
                ("state", "=", "review"),
                ("assignment_approver_ids", "in", uid),
                "&",
                ("state", "in", ("answered", "feedback", "callback")),
                ("overseer_ids", "in", uid),
            ]
            if self._queue_scope_allowed():
                domain = expression.OR(
                    [domain, [("extension_ids", "any", [("state", "=", "pending")])]]
                )
            return domain
        if queue == "to_decide":
            return [("state", "=", "disputed"), ("dispute_decider_ids", "in", uid)]
        if queue == "to_callback":
            return [
                ("state", "in", ("feedback", "callback")),
                ("first_responsible_id", "=", uid),
            ]
        return []

    def _queue_ids(self, queue):
        """The ids of the matters in ``queue`` for the current user: those
        on which they have its button, and which wait for them in person (a
        supervisor may record any callback of their scope, or decide any of
        its extensions: those wait in their scope, not for them)."""
        candidates = self.search(self._queue_candidates(queue))
        actions = set(QUEUE_ACTIONS[queue])
        user = self.env.user
        found = candidates.filtered(lambda m: actions & set(m.available_actions or ()))
        if queue == "to_callback":
            found = found.filtered(lambda m: m.first_responsible_id == user)
        if queue == "to_approve":
            found = found.filtered(
                lambda m: (
                    (actions - {"decide_extension"}) & set(m.available_actions)
                    or user
                    in m._extension_approvers(m.pending_extension_id.needs_senior)
                )
            )
        return found.ids

    def _queue_domain(self, queue, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        if self._queue_scope():
            domain = SCOPE_DOMAINS[queue]
            return domain if positive else ["!", *expression.normalize_domain(domain)]
        ids = self._queue_ids(queue)
        return [("id", "in" if positive else "not in", ids)]

    def _queue_scope(self):
        """Whether the lists are asked over the supervisor's scope (what waits
        for anyone there, as the record rules show it) instead of for them."""
        return bool(self.env.context.get("shouwen_queue_scope")) and (
            self._queue_scope_allowed()
        )

    def _queue_scope_allowed(self):
        return self.env.user.has_group(
            "shouwen_responsibility.group_shouwen_unit_supervisor"
        )

    def _search_queue_to_sign(self, operator, value):
        return self._queue_domain("to_sign", operator, value)

    def _search_queue_to_accept(self, operator, value):
        return self._queue_domain("to_accept", operator, value)

    def _search_queue_to_approve(self, operator, value):
        return self._queue_domain("to_approve", operator, value)

    def _search_queue_to_decide(self, operator, value):
        return self._queue_domain("to_decide", operator, value)

    def _search_queue_to_callback(self, operator, value):
        return self._queue_domain("to_callback", operator, value)

    def _queue_mine(self):
        """Whose clock the user watches: a supervisor every matter of their
        scope (the record rules give it), others the matters they answer for
        or handle."""
        if self.env.user.has_group(
            "shouwen_responsibility.group_shouwen_unit_supervisor"
        ):
            return []
        uid = self.env.uid
        return [
            "|",
            "|",
            ("first_responsible_id", "=", uid),
            ("handler_id", "=", uid),
            ("guide_to_id", "=", uid),
        ]

    def _clock_domain(self, clock, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        if clock == "overdue":
            domain = [("is_open", "=", True), ("is_overdue", "=", True)]
        else:
            now = fields.Datetime.now()
            domain = [
                ("is_open", "=", True),
                ("is_overdue", "=", False),
                ("closure_deadline", ">", now),
                ("closure_deadline", "<=", now + timedelta(hours=DUE_SOON_HOURS)),
            ]
        domain += self._queue_mine()
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _search_queue_due_soon(self, operator, value):
        return self._clock_domain("due_soon", operator, value)

    def _search_queue_overdue(self, operator, value):
        return self._clock_domain("overdue", operator, value)

    @api.model
    def _work_queue_cards(self):
        """The cards of 我的待办, without their counts: for each list its
        label, what it holds, the action and the search filter it opens."""
        _ = self.env._
        cards = [
            (
                "to_sign",
                _("To sign for"),
                _("Complaints assigned to you or your unit, parts given to you"),
            ),
            ("to_accept", _("To accept"), _("Matters guided to you")),
            (
                "to_approve",
                _("To approve"),
                _("Assignments, replies, extensions and closures"),
            ),
            ("to_decide", _("Returns to decide"), _("Disputed returns")),
            (
                "to_callback",
                _("Callbacks to make"),
                _("Complainants to tell the answer and to call back"),
            ),
            (
                "due_soon",
                _("Due soon"),
                _("Closure deadline within %(hours)s hours", hours=DUE_SOON_HOURS),
            ),
            ("overdue", _("Overdue matters"), _("Open past the closure deadline")),
        ]
        return [
            {
                "key": key,
                "label": label,
                "help": help_text,
                "model": self._name,
                "action": "shouwen_responsibility.shouwen_matter_action_queue",
                "filter": f"queue_{key}",
            }
            for key, label, help_text in cards
        ] + [self.env["shouwen.unit"]._work_queue_card()]

    @api.model
    @api.readonly
    def get_work_queue(self, scope=False):
        """The work queue: each card with how many wait in its list, counted
        as the user (record rules apply); with ``scope``, a supervisor's
        lists hold what waits for anyone in their scope.  A read: over RPC it
        runs on a read-only cursor (a replica when one is configured)."""
        supervisor = self._queue_scope_allowed()
        scope = bool(scope and supervisor)
        cards = self._work_queue_cards()
        for card in cards:
            if scope and card["key"] in SCOPE_DOMAINS:
                card["help"] = ""  # they speak of "you"; these wait for anyone
            card["count"] = (
                self.env[card["model"]]
                .with_context(shouwen_queue_scope=scope)
                .search_count([(card["filter"], "=", True)])
            )
        _ = self.env._
        return {
            "title": _("Waiting in my scope") if scope else _("My work queue"),
            "scope": scope,
            "switch": supervisor
            and {"mine": _("Waiting for me"), "scope": _("Waiting in my scope")},
            "cards": cards,
        }

    @api.model
    def action_open_work_queue(self, key, scope=False):
        """The list a card of the work queue opens, named after the card."""
        card = next((c for c in self._work_queue_cards() if c["key"] == key), None)
        if card is None:
            raise UserError(self.env._("There is no such list in the work queue."))
        action = self.env["ir.actions.act_window"]._for_xml_id(card["action"])
        action["name"] = action["display_name"] = card["label"]
        action["context"] = {f"search_default_{card['filter']}": 1}
        if scope and self._queue_scope_allowed():
            action["context"]["shouwen_queue_scope"] = True
            action["name"] = action["display_name"] = self.env._(
                "%(list)s (my scope)", list=card["label"]
            )
        return action
