# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import functools
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import personal_data, workflow
from ..tools.catalogue import (
    BUSINESS_DOMAINS,
    CHANNELS,
    CUSTOMER_TYPES,
    KINDS,
    TOLD_METHODS,
)
from .mail_message import NOTIFYING, system_writes
from .shouwen_personal_data_mixin import clear_field, shown_field

#: the activities of a batch, while :meth:`_activities_in_batch` collects them
ACTIVITY_BATCH = ContextVar("shouwen_activity_batch")
#: the chatter notes of a batch (see :meth:`_log_notes`), collected the same way
NOTE_BATCH = ContextVar("shouwen_note_batch")
#: ``[(matter ids, partner ids), …]`` the activities of a batch subscribe
FOLLOWER_BATCH = ContextVar("shouwen_follower_batch", default=None)
#: the default values asked while a batch of matters is created, by
#: environment and fields (the same for every matter of the batch)
DEFAULTS_BATCH = ContextVar("shouwen_defaults_batch", default=None)

#: fields that only the matter's own actions change
WORKFLOW_FIELDS = frozenset(
    {
        "name",
        "state",
        "first_receiver_id",
        "first_responsible_id",
        "handler_id",
        "guide_to_id",
        "guided_by_id",
        "result",
        "told_method",
        "told_date",
        "told_note",
        "materials_notice",
        "materials_notice_date",
        "notice_template_id",
        "registered_date",
        "accepted_date",
        "answered_date",
        "closed_date",
        "transfer_count",
        "return_count",
        "reopen_count",
        "part_ids",
        "log_ids",
        "version",
    }
)

#: personal data of the customer: its stored clear field, how it is masked for
#: those who may not see it, how a given value is normalised, and the data
#: its views are recorded as (see ``shouwen.personal.data.mixin``)
PERSONAL_FIELDS = {
    "customer_phone": (
        "customer_phone_clear",
        personal_data.mask_phone,
        personal_data.normalize_phone,
        "customer_phone",
    ),
    "customer_id_number": (
        "customer_id_number_clear",
        personal_data.mask_id_number,
        personal_data.normalize_id_number,
        "customer_id_number",
    ),
}


#: what the buttons a user sees depend on; an extension of the model that
#: overrides :meth:`ShouwenMatter._compute_user_view` adds its own to these
USER_VIEW_DEPENDS = (
    "state",
    "first_responsible_id",
    "handler_id",
    "guide_to_id",
    "part_ids.assignee_id",
    "unit_id",
)


class ShouwenMatter(models.Model):
    """A matter (事项): what a customer asked, who is responsible for it until it
    is closed, and everything that happened to it."""

    _name = "shouwen.matter"
    _description = "Matter"
    _inherit = ["mail.thread", "mail.activity.mixin", "shouwen.personal.data.mixin"]
    _order = "registered_date desc, id desc"
    _rec_names_search = ["name", "subject", "customer_name"]
    _mail_post_access = "read"
    _personal_fields = PERSONAL_FIELDS

    name = fields.Char(
        string="Number", readonly=True, copy=False, index="trigram", default="/"
    )
    active = fields.Boolean(default=True)
    subject = fields.Char(required=True, tracking=True)
    description = fields.Text(help="What the customer asked, in their words.")
    channel = fields.Selection(CHANNELS, required=True, default="counter", index=True)
    kind = fields.Selection(KINDS, required=True, default="consult", index=True)
    business_domain = fields.Selection(
        BUSINESS_DOMAINS, required=True, default="other", index=True
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent")], default="0", required=True
    )

    # the customer
    customer_type = fields.Selection(
        CUSTOMER_TYPES, required=True, default="external", string="Customer type"
    )
    partner_id = fields.Many2one("res.partner", string="Customer contact", index=True)
    customer_name = fields.Char(required=True, string="Customer")
    customer_phone_clear = clear_field("Phone (stored)", index="btree_not_null")
    customer_phone = shown_field("Phone", "customer_phone_clear", "_search_phone")
    customer_id_number_clear = clear_field("ID number (stored)")
    customer_id_number = shown_field(
        "ID number", "customer_id_number_clear", "_search_id_number"
    )
    customer_email = fields.Char(string="Email")
    policy_number = fields.Char(index="btree_not_null")
    claim_number = fields.Char(index="btree_not_null")

    # where and who
    unit_id = fields.Many2one(
        "shouwen.unit",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user.shouwen_unit_id,
    )
    post_id = fields.Many2one(
        "shouwen.post",
        string="Receiving post",
        default=lambda self: self.env.user.shouwen_post_ids[:1],
    )
    first_receiver_id = fields.Many2one(
        "res.users",
        string="First receiver",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
        index=True,
        help="Who registered the matter (第一受理人). Never changes.",
    )
    first_responsible_id = fields.Many2one(
        "res.users",
        string="First responsible",
        readonly=True,
        index=True,
        tracking=True,
        help="Accountable for the matter until it is closed (首问责任人).",
    )
    handler_id = fields.Many2one("res.users", readonly=True, index=True, tracking=True)
    guide_to_id = fields.Many2one(
        "res.users",
        string="Guided to",
        readonly=True,
        index="btree_not_null",
        tracking=True,
        help="The handler the matter was guided to, until they accept or return it.",
    )
    guided_by_id = fields.Many2one("res.users", string="Guided by", readonly=True)

    state = fields.Selection(
        workflow.STATES,
        default="registered",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    is_open = fields.Boolean(
        compute="_compute_is_open", store=True, index=True, string="Open"
    )

    # the answer
    result = fields.Text(readonly=True, tracking=True)
    told_method = fields.Selection(
        TOLD_METHODS, string="Customer told by", readonly=True
    )
    told_date = fields.Datetime(string="Customer told on", readonly=True)
    told_note = fields.Text(string="What the customer was told", readonly=True)
    materials_notice = fields.Text(
        string="Missing materials told once",
        readonly=True,
        help="The complete list of missing materials, told to the customer once "
        "(一次性告知).",
    )
    materials_notice_date = fields.Datetime(string="Materials told on", readonly=True)
    notice_template_id = fields.Many2one(
        "shouwen.notice.template",
        string="One-time notice template used",
        readonly=True,
        tracking=True,
        help="The template the last materials notice or answer started from; "
        "what the customer was told is the text stored with it.",
    )

    # key dates and counters
    registered_date = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True, index=True
    )
    accepted_date = fields.Datetime(readonly=True)
    answered_date = fields.Datetime(readonly=True)
    closed_date = fields.Datetime(readonly=True, index="btree_not_null")
    transfer_count = fields.Integer(readonly=True, string="Transfers")
    return_count = fields.Integer(readonly=True, string="Returns")
    reopen_count = fields.Integer(readonly=True, string="Reopened")

    log_ids = fields.One2many("shouwen.matter.log", "matter_id")
    version = fields.Integer(
        default=1,
        readonly=True,
        copy=False,
        help="Changes with every change made by a person; a save based on an "
        "older version is refused.",
    )
    part_ids = fields.One2many("shouwen.matter.part", "matter_id", string="Parts")
    personal_view_ids = fields.One2many(
        "shouwen.personal.view",
        "matter_id",
        string="Personal data views",
        groups="shouwen_responsibility.group_shouwen_unit_supervisor,"
        "shouwen_responsibility.group_shouwen_inspector",
    )
    open_part_count = fields.Integer(compute="_compute_open_part_count")

    # for the current user (never stored, never in lists)
    # a list: the form's buttons test membership (a string's `in` is a substring test)
    available_actions = fields.Json(compute="_compute_user_view")
    can_see_personal = fields.Boolean(compute="_compute_user_view")
    can_handle_here = fields.Boolean(
        compute="_compute_registration_advice",
        help="Whether the receiving post handles this kind of matter itself.",
    )
    suggested_handler_ids = fields.Many2many(
        "res.users",
        compute="_compute_registration_advice",
        string="Suggested handlers",
    )

    _sql_constraints = [
        ("name_unique", "unique(name)", "The matter number must be unique."),
        (
            "responsible_while_open",
            "CHECK(state = 'closed' OR first_responsible_id IS NOT NULL)",
            "An open matter must always have a first responsible person.",
        ),
    ]

    # ------------------------------------------------------------------
    # defaults and computes
    # ------------------------------------------------------------------

    @api.depends("state")
    def _compute_is_open(self):
        for matter in self:
            matter.is_open = matter.state in workflow.OPEN_STATES

    @api.depends("part_ids.state")
    def _compute_open_part_count(self):
        for matter in self:
            matter.open_part_count = len(
                matter.part_ids.filtered(lambda p: p.state == "open")
            )

    @api.depends_context("uid")
    @api.depends(*USER_VIEW_DEPENDS)
    def _compute_user_view(self):
        user = self.env.user
        readers = self._personal_data_readable()
        for matter in self:
            roles = matter._roles(user)
            actions = workflow.actions_for(matter.state, roles, matter.kind)
            open_parts = matter.part_ids.filtered(lambda p: p.state == "open")
            if user in open_parts.assignee_id:
                actions.add("finish_part")
            if open_parts and "responsible" in roles:
                actions.add("cancel_part")
            matter.available_actions = sorted(actions)
            matter.can_see_personal = matter in readers

    @api.depends("post_id", "kind", "business_domain", "unit_id")
    def _compute_registration_advice(self):
        Users = self.env["res.users"]
        for matter in self:
            matter.can_handle_here = bool(
                matter.post_id
                and matter.post_id._handles(matter.kind, matter.business_domain)
            )
            matter.suggested_handler_ids = (
                Users
                if matter.can_handle_here or not matter.kind
                else matter._suggest_handlers()
            )

    def _suggest_handlers(self, limit=8):
        """Staff whose posts handle this kind of matter, nearest unit first."""
        self.ensure_one()
        duties = self.env["shouwen.post.duty"].search(
            [
                ("kind", "=", self.kind),
                ("business_domain", "in", [self.business_domain, False]),
            ]
        )
        users = duties.post_id.user_ids.filtered(
            lambda u: u.active and u.shouwen_unit_id and u != self.env.user
        )
        unit = self.unit_id or self.env.user.shouwen_unit_id
        if not unit:
            return users[:limit]
        path = unit.parent_path or ""
        root = path.split("/")[0]
        # only staff of the same organisation can receive the matter
        users = users.filtered(
            lambda u: (u.shouwen_unit_id.parent_path or "").split("/")[0] == root
        )

        mine = path.split("/")[:-1]

        def distance(user):
            """Steps through the organisation tree between the two units."""
            theirs = (user.shouwen_unit_id.parent_path or "").split("/")[:-1]
            common = 0
            for a, b in zip(mine, theirs, strict=False):
                if a != b:
                    break
                common += 1
            return (len(mine) + len(theirs) - 2 * common, user.name or "")

        return users.sorted(key=distance)[:limit]

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------

    @api.constrains(
        "customer_type", "customer_name", "customer_phone_clear", "partner_id"
    )
    def _check_customer_contact(self):
        clear = self._personal_clear_values()
        for matter in self:
            if not (matter.customer_name or "").strip():
                raise ValidationError(self.env._("Enter the customer's name."))
            if matter.customer_type == "external" and not (
                clear[matter.id]["customer_phone_clear"]
                or matter.partner_id
                or matter.customer_email
            ):
                raise ValidationError(
                    self.env._(
                        "Enter how to reach the customer: a phone number, an email "
                        "or a contact."
                    )
                )

    @api.constrains("registered_date")
    def _check_registered_date(self):
        latest = fields.Datetime.now() + timedelta(minutes=5)
        for matter in self:
            if matter.registered_date > latest:
                raise ValidationError(
                    self.env._("A matter cannot be registered in the future.")
                )

    @api.constrains("customer_phone_clear")
    def _check_customer_phone(self):
        # the values just written, checked without putting them in the cache
        for values in self._personal_clear_values().values():
            phone = values["customer_phone_clear"]
            if phone and not personal_data.is_valid_phone(phone):
                raise ValidationError(
                    self.env._(
                        "%(phone)s is not a valid phone number (mobile such as "
                        "13812345678, landline such as 0371-65551234).",
                        phone=phone,
                    )
                )

    @api.constrains("customer_id_number_clear")
    def _check_customer_id_number(self):
        for values in self._personal_clear_values().values():
            number = values["customer_id_number_clear"]
            if number and not personal_data.is_valid_id_number(number):
                raise ValidationError(
                    self.env._(
                        "The ID number is not a valid resident identity card number "
                        "(18 characters with a correct check digit)."
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # who may not register at all (a customer over RPC) is told so before
        # anything about the values
        self.check_access("create")
        user = self.env.user
        is_trusted = self.env.su or user.has_group(
            "shouwen_responsibility.group_shouwen_manager"
        )
        Users = self.env["res.users"]
        for vals in vals_list:
            self._check_choices(vals)
            forbidden = set(vals) & (
                self._workflow_fields() - {"first_receiver_id", "registered_date"}
            )
            if forbidden and not self.env.su:
                raise UserError(
                    self.env._(
                        "These fields are set by the matter's actions, not at "
                        "registration: %(fields)s",
                        fields=", ".join(sorted(forbidden)),
                    )
                )
            if not vals.get("active", True) and not self.env.su:
                raise UserError(self.env._("A new matter cannot be archived."))
            receiver_id = vals.get("first_receiver_id") or user.id
            receiver = user if receiver_id == user.id else Users.browse(receiver_id)
            if receiver != user and not is_trusted:
                raise UserError(
                    self.env._(
                        "You register matters as yourself: you are their first "
                        "receiver."
                    )
                )
            if not vals.get("unit_id"):
                if not receiver.shouwen_unit_id:
                    raise UserError(
                        self.env._(
                            "%(user)s belongs to no unit: ask the administrator to "
                            "set their unit before registering matters.",
                            user=receiver.name,
                        )
                    )
                vals["unit_id"] = receiver.shouwen_unit_id.id
            if not vals.get("post_id") and receiver.shouwen_post_ids:
                vals["post_id"] = receiver.shouwen_post_ids[:1].id
            vals.update(personal_data.normalized(vals))
            vals.update(
                first_receiver_id=receiver.id,
                first_responsible_id=receiver.id,
                state="registered",
            )
            if vals["unit_id"] != receiver.shouwen_unit_id.id and not self.env.su:
                self._check_unit_registrable(vals)
        self._prepare_registration(vals_list)
        self._assign_numbers(vals_list)
        token = DEFAULTS_BATCH.set({})
        try:
            # the registration is the first line of the responsibility log
            # (履历, below), with who and when: the chatter does not repeat it
            # in a generic "created" message, which cost as much as the rest
            # of the registration together
            matters = (
                super(ShouwenMatter, self.with_context(mail_create_nolog=True))
                .create(vals_list)
                .with_env(self.env)
            )
        finally:
            DEFAULTS_BATCH.reset(token)
        matters._log_many(
            [
                {
                    "matter_id": matter.id,
                    "action": "register",
                    "to_user_id": matter.first_receiver_id.id,
                    "state_to": matter.state,
                }
                for matter in matters
            ]
        )
        return matters

    @api.model
    def _add_missing_default_values(self, values):
        memo = DEFAULTS_BATCH.get()
        if memo is None:
            return super()._add_missing_default_values(values)
        key = (self.env, frozenset(values))
        if key not in memo:
            completed = super()._add_missing_default_values(values)
            memo[key] = {k: v for k, v in completed.items() if k not in values}
            return completed
        return {**memo[key], **values}

    def _prepare_registration(self, vals_list):
        """Complete the checked creation values of new matters with what is
        known before they are inserted (their stored computed values), so
        that registering writes each matter once.  Returns ``vals_list``."""
        for vals in vals_list:
            vals["is_open"] = vals["state"] in workflow.OPEN_STATES
        return vals_list

    def _check_unit_registrable(self, vals):
        """A matter registered in another unit than its receiver's: refused
        with a message saying why when the user's record rules would not let
        them create it there (their refusal does not say which value is
        wrong).  The rules themselves still decide at creation."""
        domain = self.env["ir.rule"]._compute_domain(self._name, "create")
        probe = self.new(
            {
                "unit_id": vals["unit_id"],
                "first_receiver_id": vals["first_receiver_id"],
            }
        )
        if not domain or probe.filtered_domain(domain):
            return
        raise AccessError(
            self.env._(
                "You register matters in your own unit “%(unit)s”, not in “%(other)s”.",
                unit=self.env.user.shouwen_unit_id.name or "—",
                other=self.env["shouwen.unit"]
                .browse(vals["unit_id"])
                .exists()
                .display_name
                or vals["unit_id"],
            )
        )

    def _check_choices(self, vals):
        """A value outside a field's list of choices (e.g. an unknown channel
        sent over RPC) is refused with a clear message, not a server error."""
        for fname, value in vals.items():
            field = self._fields.get(fname)
            if (
                field is None
                or field.type != "selection"
                or value is False
                or not isinstance(field.selection, list)
            ):
                continue
            if value not in dict(field.selection):
                raise UserError(
                    self.env._(
                        "“%(value)s” is not a valid %(field)s; choose one of: "
                        "%(choices)s.",
                        value=value,
                        field=field._description_string(self.env),
                        choices=", ".join(
                            label
                            for _key, label in field._description_selection(self.env)
                        ),
                    )
                )

    def _workflow_fields(self):
        """Fields that only the matter's own actions write."""
        return WORKFLOW_FIELDS

    def _assign_numbers(self, vals_list):
        by_unit = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                by_unit[vals["unit_id"]].append(vals)
        units = self.env["shouwen.unit"].browse(list(by_unit))
        for unit in units:
            pending = by_unit[unit.id]
            for vals, number in zip(
                pending, unit._next_matter_numbers(len(pending)), strict=True
            ):
                vals["name"] = number

    def write(self, vals):
        self._check_choices(vals)
        if "version" in vals:
            vals = dict(vals)
            self._check_version(vals.pop("version"))
        if not self.env.su:
            forbidden = set(vals) & self._workflow_fields()
            if forbidden:
                raise UserError(
                    self.env._(
                        "Use the matter's buttons to change: %(fields)s",
                        fields=", ".join(
                            self._fields[f].get_description(self.env)["string"]
                            for f in sorted(forbidden)
                        ),
                    )
                )
            if "unit_id" in vals and any(
                matter.unit_id.id != vals["unit_id"] for matter in self
            ):
                raise UserError(
                    self.env._("A matter stays in the unit where it was registered.")
                )
            if "active" in vals:
                self._check_supervised(self.env._("archive"))
        vals = personal_data.normalized(vals)
        result = super().write(vals)
        self._bump_version()
        return result

    def unlink(self):
        # refuse before mail.thread deletes the chatter (part of the trail)
        self.check_access("unlink")
        self._unlink_never()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self.env.uid != SUPERUSER_ID:
            raise UserError(
                self.env._("Matters cannot be deleted: a supervisor can archive them.")
            )

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("Register a new matter instead of duplicating one."))

    # ------------------------------------------------------------------
    # personal data: masked for those who do not handle the matter
    # (shouwen.personal.data.mixin)
    # ------------------------------------------------------------------

    def _personal_data_domain(self):
        """Matters whose customer data the current user may read: those they
        handle, and those of the units they supervise."""
        user = self.env.user
        handles = [
            "|",
            "|",
            "|",
            "|",
            ("first_receiver_id", "=", user.id),
            ("first_responsible_id", "=", user.id),
            ("handler_id", "=", user.id),
            ("guide_to_id", "=", user.id),
            ("part_ids.assignee_id", "=", user.id),
        ]
        scope = user._shouwen_scope_domain()
        if not scope:
            return []
        # sudo: the units of the user's own scope, turned into a domain that narrows
        units = self.env["shouwen.unit"].sudo().with_context(active_test=False)
        supervised = units.search(scope)
        if not supervised:
            return handles
        return expression.OR([handles, [("unit_id", "in", supervised.ids)]])

    def _personal_view_matters(self):
        return {matter.id: matter.id for matter in self}

    def _search_phone(self, operator, value):
        return self._search_personal("customer_phone", operator, value)

    def _search_id_number(self, operator, value):
        return self._search_personal("customer_id_number", operator, value)

    def _check_access(self, operation):
        # the record rules of a matter, checked by PostgreSQL on all the
        # records at once (the same rules, the same result, without loading
        # their followers, parts and approvers into Python)
        if self.env.su or not self._ids or operation not in ("read", "write"):
            return super()._check_access(operation)
        if not self.env["ir.model.access"].check(
            self._name, operation, raise_exception=False
        ):
            return super()._check_access(operation)
        Rule = self.env["ir.rule"]
        domain = Rule._compute_domain(self._name, operation)
        if not domain:
            return None
        forbidden = self - self._filtered_by_query(domain)
        if forbidden:
            return forbidden, functools.partial(
                Rule._make_access_error, operation, forbidden
            )
        return None

    def init(self):
        # the pager's count of a supervisor's own matters (see search_count)
        # reads this index only, not the rows
        tools.create_index(
            self.env.cr,
            "shouwen_matter_active_unit_index",
            self._table,
            ["unit_id"],
            where="active",
        )

    @api.model
    def search_count(self, domain, limit=None):
        """A capped count (the list's pager: "1000+") of a supervisor's
        matters: their rules' alternatives (every part a person may take in
        a matter, OR-ed with their units) make PostgreSQL read each row, a
        city's one in eighteen.  The matters of the units they supervise,
        all of which their rules let them read, are counted first from an
        index; when those alone reach the cap, the cap is the answer."""
        if limit and not self.env.su and self._plain_domain(domain):
            units = self.env.user._shouwen_scope_domain()
            if units != [("id", "=", False)]:
                # the province supervises every unit: no condition
                Units = self.env["shouwen.unit"].with_context(active_test=False)
                scope = units and [("unit_id", "in", Units._search(units))]
                # sudo: counts only matters of the units the user supervises,
                # which their rules let them read in full, under a domain on
                # the matter's own plain fields; it answers the cap or nothing
                if (
                    self.sudo().search_count(expression.AND([domain, scope]), limit)
                    >= limit
                ):
                    return limit
        return super().search_count(domain, limit=limit)

    def _plain_domain(self, domain):
        """Whether ``domain`` reads nothing but the matter's own stored,
        unrestricted, non-personal fields (and many2one ids), so that it
        filters the same whoever evaluates it."""
        for leaf in domain:
            if not isinstance(leaf, list | tuple):
                if leaf in ("&", "|", "!"):
                    continue
                return False
            if len(leaf) != 3:
                return False
            fname, operator, value = leaf
            field = self._fields.get(fname) if isinstance(fname, str) else None
            if (
                field is None
                or not field.store
                or field.groups
                or fname in PERSONAL_FIELDS
                or field.type in ("one2many", "many2many", "properties")
                or operator in ("any", "not any", "child_of", "parent_of")
            ):
                return False
            if field.type == "many2one" and not (
                value is False
                or isinstance(value, int)
                or (
                    isinstance(value, list | tuple)
                    and all(isinstance(v, int) for v in value)
                )
            ):
                return False
        return True

    # ------------------------------------------------------------------
    # who may do what
    # ------------------------------------------------------------------

    def _roles(self, user):
        """The workflow roles ``user`` holds on this matter."""
        self.ensure_one()
        roles = set()
        if self.first_responsible_id == user:
            roles.add("responsible")
        if self.handler_id == user:
            roles.add("handler")
        if self.guide_to_id == user:
            roles.add("guide_target")
        if self._is_supervised_by(user):
            roles.add("supervisor")
        return roles

    def _is_supervised_by(self, user):
        self.ensure_one()
        scope = user._shouwen_scope_domain()
        # sudo: the unit is only tested against the user's scope (yes or no)
        return not scope or bool(self.unit_id.sudo().filtered_domain(scope))

    def _check_supervised(self, what):
        for matter in self:
            if not matter._is_supervised_by(self.env.user):
                raise AccessError(
                    self.env._(
                        "Only a supervisor of %(unit)s may %(what)s matter %(number)s.",
                        unit=matter.unit_id.display_name,
                        what=what,
                        number=matter.name,
                    )
                )

    def _lock(self):
        """Lock the matters' rows for this transaction and drop cached values,
        so that the action decides on the latest committed state."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM shouwen_matter WHERE id IN %s FOR NO KEY UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset()

    def _check_action(self, action):
        """Refuse ``action`` unless every matter of ``self`` allows it for the
        current user now; return ``{matter: new_state}``."""
        self.check_access("read")
        self._lock()
        labels = dict(
            self.env["shouwen.matter.wizard"]
            ._fields["action"]
            ._description_selection(self.env)
        )
        states = dict(self._fields["state"]._description_selection(self.env))
        # the superuser acts as the system: any role, but never from a wrong state
        roles = set(workflow.ROLES) if self.env.su else None
        new_states = {}
        for matter in self:
            try:
                new_states[matter] = workflow.check(
                    action,
                    matter.state,
                    roles or matter._roles(self.env.user),
                    matter.kind,
                )
            except workflow.KindRefused:
                raise UserError(
                    self.env._(
                        "Matter %(number)s is a complaint: it follows the approved "
                        "assignment path, where “%(action)s” has no place.",
                        number=matter.name,
                        action=labels.get(action, action),
                    )
                    if matter.kind == "complaint"
                    else self.env._(
                        "“%(action)s” is for complaints only.",
                        action=labels.get(action, action),
                    )
                ) from None
            except workflow.StateRefused:
                if action == "answer" and matter.state == "coordinating":
                    raise UserError(
                        self.env._(
                            "Matter %(number)s still has open parts: they must be "
                            "done, or closed with a reason by the first "
                            "responsible, before it is answered.",
                            number=matter.name,
                        )
                    ) from None
                raise UserError(
                    self.env._(
                        "Matter %(number)s is %(state)s: “%(action)s” is not "
                        "possible in this state.",
                        number=matter.name,
                        state=states[matter.state],
                        action=labels.get(action, action),
                    )
                ) from None
            except workflow.RoleRefused:
                raise UserError(
                    self.env._(
                        "“%(action)s” on matter %(number)s is for %(who)s, "
                        "not for you.",
                        number=matter.name,
                        action=labels.get(action, action),
                        who=matter._describe_roles(action),
                    )
                ) from None
        return new_states

    def _describe_roles(self, action):
        names = {
            "responsible": self.first_responsible_id.name,
            "handler": self.handler_id.name,
            "guide_target": self.guide_to_id.name,
            "assignee": self.assign_user_id.name or self.assign_unit_id.name,
            "approver": ", ".join(self.assignment_approver_ids.mapped("name")),
            "supervisor": self.env._(
                "a supervisor of %(unit)s", unit=self.unit_id.name
            ),
            "system": self.env._("the system"),
        }
        allowed = workflow.TRANSITIONS[action][2]
        return self.env._(" or ").join(
            dict.fromkeys(names[role] for role in allowed if names.get(role))
        )

    # ------------------------------------------------------------------
    # the log and activities
    # ------------------------------------------------------------------

    def _log(self, action, from_user=None, to_user=None, reason=None, state_from=None):
        self._log_many(
            [
                {
                    "matter_id": matter.id,
                    "action": action,
                    "from_user_id": from_user.id if from_user else False,
                    "to_user_id": to_user.id if to_user else False,
                    "reason": reason or False,
                    "state_from": state_from or False,
                    "state_to": matter.state,
                }
                for matter in self
            ]
        )

    def _log_many(self, vals_list):
        # the log is append-only and written by the matter's own actions, in
        # the same transaction; nobody writes it directly
        for vals in vals_list:
            vals.setdefault("user_id", self.env.uid)
        return self.env["shouwen.matter.log"]._append(vals_list)

    def _activity_type_xmlid(self, key):
        return f"shouwen_responsibility.mail_activity_type_shouwen_{key}"

    @api.model
    @contextmanager
    def _activities_in_batch(self):
        """Activities scheduled inside the block are created together when it
        ends, and each person gets one email listing theirs (a digest) instead
        of one email per activity.  Nothing is created if the block fails."""
        batch, notes = [], []
        token, notes_token = ACTIVITY_BATCH.set(batch), NOTE_BATCH.set(notes)
        try:
            yield
        finally:
            ACTIVITY_BATCH.reset(token)
            NOTE_BATCH.reset(notes_token)
        self._create_activities(batch)
        self._log_notes(notes)

    @api.model
    def _log_notes(self, notes):
        """Chatter notes ``[(matter, html body, subject or False), …]``
        written at once, by the current user; they notify nobody, as a note
        posted by hand."""
        if not notes:
            return
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        matters = self.browse([matter.id for matter, _body, _subject in notes])
        reply_to = matters._notify_get_reply_to(default=email_from)
        self._message_create(
            [
                {
                    "model": self._name,
                    "res_id": matter.id,
                    "subject": subject,
                    "body": body,
                    "author_id": author_id,
                    "email_from": email_from,
                    "reply_to": reply_to[matter.id],
                    "message_type": "notification",
                    "subtype_id": note,
                    "is_internal": True,
                }
                for matter, body, subject in notes
            ]
        )

    @api.model
    def _create_activities(self, batch):
        if not batch:
            return
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        per_user = defaultdict(list)
        types = {}
        for matter, key, user, summary, note, date_deadline in batch:
            if key not in types:
                types[key] = self.env.ref(self._activity_type_xmlid(key))
            activity_type = types[key]
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": matter.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": note or False,
                    "user_id": user.id,
                    "date_deadline": date_deadline
                    or activity_type._get_date_deadline(),
                }
            )
            per_user[user].append((matter, summary))
        # the assignees follow the matters: the creation subscribes them per
        # assignee, collected here and inserted at once
        subscriptions = []
        token = FOLLOWER_BATCH.set(subscriptions)
        try:
            self.env["mail.activity"].with_context(
                mail_activity_quick_update=True
            ).create(vals_list)
        finally:
            FOLLOWER_BATCH.reset(token)
        self._subscribe_at_once(subscriptions)
        author = self.env.user
        if not author.email:
            return  # no sender: the activities are in each person's systray
        digests = []
        base_url = self.browse().get_base_url()
        for user, todos in per_user.items():
            if not user.email or user == author:
                continue
            env = self.with_context(lang=user.lang).env
            digests.append(
                {
                    "subject": env._(
                        "First-inquiry follow-up: %(count)s new to-dos",
                        count=len(todos),
                    ),
                    # each to-do opens its matter (after the reader logs in,
                    # under their own rights)
                    "body_html": Markup("<ul>%s</ul>")
                    % Markup().join(
                        Markup(
                            '<li><a href="%s/mail/view?model=%s&amp;res_id=%s">'
                            "%s</a></li>"
                        )
                        % (base_url, self._name, matter.id, summary)
                        for matter, summary in todos
                    ),
                    "email_from": author.email_formatted,
                    "recipient_ids": [Command.link(user.partner_id.id)],
                    "auto_delete": True,
                }
            )
        # sudo: each digest goes to the assignee of the activities it lists, nobody else
        self.env["mail.mail"].sudo().create(digests)

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        batch = FOLLOWER_BATCH.get()
        if batch is None or subtype_ids or not self.env.su or not partner_ids:
            return super()._message_subscribe(partner_ids, subtype_ids, customer_ids)
        # the system creating a batch of activities: subscribed together, once
        # message_subscribe has checked the rights and the partners
        batch.append((self.ids, list(partner_ids)))
        return True

    @api.model
    def _subscribe_at_once(self, subscriptions):
        """``[(matter ids, partner ids), …]`` subscribed with their default
        subtypes as ``message_subscribe`` does it, existing followers kept as
        they are: one query for those who already follow, one creation."""
        pairs = {
            (mid, pid) for mids, pids in subscriptions for mid in mids for pid in pids
        }
        if not pairs:
            return
        # sudo: the system's own batch (message_subscribe checked env.su and
        # kept the active partners only)
        Followers = self.env["mail.followers"].sudo()
        partners = (
            self.env["res.partner"].sudo().browse(list({pid for _, pid in pairs}))
        )
        existing = {
            (res_id, partner_id)
            for _fid, res_id, partner_id, _sids in Followers._get_subscription_data(
                [(self._name, list({mid for mid, _pid in pairs}))], partners.ids
            )
        }
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(self._name)
        customers = set(partners.filtered("partner_share").ids)
        Followers.create(
            [
                {
                    "res_model": self._name,
                    "res_id": mid,
                    "partner_id": pid,
                    "subtype_ids": [
                        Command.set(external.ids if pid in customers else default.ids)
                    ],
                }
                for mid, pid in sorted(pairs - existing)
            ]
        )

    def _schedule(self, key, user, summary, note=None, date_deadline=None):
        batch = ACTIVITY_BATCH.get(None)
        if batch is not None:
            batch.extend(
                (matter, key, user, summary, note, date_deadline) for matter in self
            )
            return
        # staff without an email address still get the activity (systray),
        # only the notification email needs a sender
        quiet = not self.env.user.email
        self.with_context(mail_activity_quick_update=quiet).activity_schedule(
            self._activity_type_xmlid(key),
            date_deadline=date_deadline,
            user_id=user.id,
            summary=summary,
            note=note,
        )
        self.message_subscribe(partner_ids=user.partner_id.ids)

    def _activities_done(self, key, user=None, feedback=None):
        activity_type = self.env.ref(self._activity_type_xmlid(key))
        activities = self.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == activity_type
                and (user is None or a.user_id == user)
            )
        )
        # the action that makes the activity pointless was allowed; whoever
        # takes it closes the reminders it answers
        activities.sudo().action_feedback(feedback=feedback)

    @api.model
    def _as_user(self, user):
        """A user given as a record or an id (from RPC), checked to exist."""
        if isinstance(user, models.BaseModel):
            user = user.id
        try:
            user = self.env["res.users"].browse(int(user or 0))
        except (TypeError, ValueError):
            user = self.env["res.users"]
        # sudo: only whether the chosen user exists and is active
        if not user or not user.sudo().exists() or not user.sudo().active:
            raise UserError(self.env._("Choose an active staff member."))
        return user

    def _check_staff_target(self, user, verb):
        """``user`` may receive this matter: internal staff with a unit in the
        same organisation tree, and not the current user."""
        self.ensure_one()
        # sudo: the target's unit and groups are checked; nothing is returned
        target = user.sudo()
        if user == self.env.user:
            raise UserError(
                self.env._("You cannot %(verb)s a matter to yourself.", verb=verb)
            )
        if target.share or not target.has_group(
            "shouwen_responsibility.group_shouwen_staff"
        ):
            raise UserError(
                self.env._(
                    "%(user)s is not a staff member of the first-inquiry system.",
                    user=target.name,
                )
            )
        root = self.unit_id.parent_path.split("/")[0]
        if (
            not target.shouwen_unit_id
            or target.shouwen_unit_id.parent_path.split("/")[0] != root
        ):
            raise UserError(
                self.env._(
                    "%(user)s belongs to no unit of this organisation.",
                    user=target.name,
                )
            )

    def _notice_template_values(self, template):
        """The values recording ``template`` (a record, an id or nothing) as
        the one-time notice template used, once checked to be readable by
        the caller and meant for this matter."""
        self.ensure_one()
        if not template:
            return {}
        if isinstance(template, models.BaseModel):
            template = template.id
        Template = self.env["shouwen.notice.template"]
        try:
            template = Template.browse(int(template))
        except (TypeError, ValueError):
            template = Template
        if not template.exists():
            raise UserError(self.env._("Choose an existing one-time notice template."))
        template.check_access("read")
        template._check_applies_to(self)
        return {"notice_template_id": template.id}

    @staticmethod
    def _required_text(value, message):
        value = (value or "").strip()
        if not value:
            raise UserError(message)
        return value

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_handle(self):
        """The first responsible handles the matter themselves (受理)."""
        new_states = self._check_action("handle")
        for matter in self:
            state_from = matter.state
            matter._workflow_write(
                {"state": new_states[matter], "handler_id": self.env.uid}
            )
            matter._log("handle", to_user=self.env.user, state_from=state_from)
        self._clock_event("respond")
        return True

    def guide(self, user, note=None):
        """Guide the customer to a handler with the authority (引导). The
        responsibility stays with the first responsible until that handler
        accepts."""
        self.ensure_one()
        target = self._as_user(user)
        new_states = self._check_action("guide")
        self._check_staff_target(target, self.env._("guide"))
        state_from = self.state
        self._workflow_write(
            {
                "state": new_states[self],
                "guide_to_id": target.id,
                "guided_by_id": self.env.uid,
            }
        )
        self._log(
            "guide",
            from_user=self.env.user,
            to_user=target,
            reason=note,
            state_from=state_from,
        )
        self._schedule(
            "accept",
            target,
            self.with_context(lang=target.lang).env._(
                "Accept or return matter %(number)s", number=self.name
            ),
            note=note,
        )
        self._clock_event("respond")
        return True

    def action_accept(self):
        """The handler the matter was guided to accepts it: they become the first
        responsible person (首位承办人即为首问责任人)."""
        self.ensure_one()
        new_states = self._check_action("accept")
        previous = self.first_responsible_id
        state_from = self.state
        self._workflow_write(
            {
                "state": new_states[self],
                "first_responsible_id": self.env.uid,
                "handler_id": self.env.uid,
                "guide_to_id": False,
                "accepted_date": fields.Datetime.now(),
                "transfer_count": self.transfer_count + 1,
            }
        )
        self._log(
            "accept", from_user=previous, to_user=self.env.user, state_from=state_from
        )
        self._activities_done("accept", self.env.user, feedback=self.env._("Accepted"))
        self._clock_event("respond")
        return True

    def return_guide(self, reason):
        """The handler refuses the guided matter, with a reason (退回): it goes
        back to the first responsible, never orphaned."""
        self.ensure_one()
        new_states = self._check_action("return")
        reason = self._required_text(
            reason, self.env._("Give the reason for returning the matter.")
        )
        if self.state == "assigned":  # a complaint's 退单
            self._return_assignment(reason)
            return True
        guide = self.guided_by_id or self.first_responsible_id
        state_from = self.state
        self._workflow_write(
            {
                "state": new_states[self],
                "guide_to_id": False,
                "return_count": self.return_count + 1,
            }
        )
        self._log(
            "return",
            from_user=self.env.user,
            to_user=self.first_responsible_id,
            reason=reason,
            state_from=state_from,
        )
        self._activities_done("accept", self.env.user, feedback=reason)
        self._propose_findings_on_return()
        # the returner no longer acts on the matter: the note is the return's
        with system_writes():
            self.message_post(
                body=self.env._(
                    "Returned to %(user)s: %(reason)s", user=guide.name, reason=reason
                ),
                partner_ids=self.first_responsible_id.partner_id.ids,
            )
        return True

    def coordinate(self, user, task):
        """Give part of the matter to another staff member (协办)."""
        self.ensure_one()
        assignee = self._as_user(user)
        task = self._required_text(task, self.env._("Describe the part to be done."))
        new_states = self._check_action("coordinate")
        self._check_staff_target(assignee, self.env._("give a part of"))
        state_from = self.state
        # parts are created by this action only; the caller's role was checked
        part = (
            self.env["shouwen.matter.part"]
            .sudo()
            .create(
                {
                    "matter_id": self.id,
                    "name": task,
                    "assignee_id": assignee.id,
                    "requested_by_id": self.env.uid,
                }
            )
        )
        self._workflow_write({"state": new_states[self]})
        self._log(
            "coordinate",
            from_user=self.env.user,
            to_user=assignee,
            reason=task,
            state_from=state_from,
        )
        self._schedule(
            "part",
            assignee,
            self.with_context(lang=assignee.lang).env._(
                "Part of matter %(number)s", number=self.name
            ),
            note=task,
        )
        return part.with_env(self.env)

    def _on_part_finished(self):
        """Back to handling once no part is open."""
        for matter in self:
            if matter.state == "coordinating" and not matter.open_part_count:
                # a consequence of finishing the last part, not a user's choice
                matter_su = matter.sudo()
                new_states = matter_su._check_action("parts_done")
                matter_su._workflow_write({"state": new_states[matter_su]})
                matter._log("parts_done", state_from="coordinating")

    def notify_materials(self, materials, pause=False, template=None):
        """Record the complete list of missing materials, told to the customer
        once (一次性告知); ``pause`` stops the closure clock until they are
        brought (never for complaints).  ``template``: the one-time notice
        template (record or id) the list started from, kept with it."""
        self.ensure_one()
        materials = self._required_text(
            materials, self.env._("List the missing materials told to the customer.")
        )
        self._check_action("notify_materials")
        vals = {
            "materials_notice": materials,
            "materials_notice_date": fields.Datetime.now(),
        }
        vals.update(self._notice_template_values(template))
        self._workflow_write(vals)
        self._log("notify_materials", to_user=self.env.user, reason=materials)
        self._clock_event("respond")
        if pause:
            self._pause_clock()
        return True

    def answer(
        self, result, told_method, told_date=None, told_note=None, template=None
    ):
        """Record the result and how the customer was told (已答复).
        ``template``: the one-time notice template (record or id) the result
        started from, kept with it."""
        self.ensure_one()
        result = self._required_text(
            result, self.env._("Write the result of the matter.")
        )
        if told_method not in dict(TOLD_METHODS):
            raise UserError(self.env._("Say how the customer was told."))
        told_date = fields.Datetime.to_datetime(told_date) or fields.Datetime.now()
        if told_date > fields.Datetime.now():
            raise UserError(
                self.env._("The customer cannot have been told in the future.")
            )
        if told_date < self.registered_date:
            raise UserError(
                self.env._("The customer cannot have been told before registration.")
            )
        new_states = self._check_action("answer")
        state_from = self.state
        vals = {
            "state": new_states[self],
            "handler_id": self.handler_id.id or self.env.uid,
            "result": result,
            "told_method": told_method,
            "told_date": told_date,
            "told_note": told_note or False,
            "answered_date": fields.Datetime.now(),
        }
        vals.update(self._notice_template_values(template))
        self._workflow_write(vals)
        self._log("answer", to_user=self.env.user, reason=result, state_from=state_from)
        self._clock_event("respond")
        self._clock_event("stop")
        return True

    def action_close(self):
        """The first responsible closes the matter once the customer was told
        (办结)."""
        new_states = self._check_action("close")
        for matter in self:
            if not matter.told_date:
                raise UserError(
                    self.env._(
                        "Matter %(number)s: tell the customer the result before "
                        "closing it.",
                        number=matter.name,
                    )
                )
        for matter in self:
            state_from = matter.state
            matter._workflow_write(
                {"state": new_states[matter], "closed_date": fields.Datetime.now()}
            )
            matter._log(
                "close", to_user=matter.first_responsible_id, state_from=state_from
            )
            matter._activities_done_all(self.env._("Matter closed"))
        self._clock_event("stop")
        self._propose_findings_on_close()
        return True

    def reopen(self, reason):
        """The customer is not satisfied: handle the matter again (重办)."""
        self.ensure_one()
        reason = self._required_text(
            reason, self.env._("Give the reason for reopening the matter.")
        )
        new_states = self._check_action("reopen")
        state_from = self.state
        self._workflow_write(
            {
                "state": new_states[self],
                "reopen_count": self.reopen_count + 1,
                "told_method": False,
                "told_date": False,
                "told_note": False,
                "closed_date": False,
                "handler_id": self.handler_id.id or self.first_responsible_id.id,
            }
        )
        self._log(
            "reopen",
            from_user=self.env.user,
            to_user=self.first_responsible_id,
            reason=reason,
            state_from=state_from,
        )
        self._clock_event("restart")
        return True

    @api.model
    def action_open_unit_matters(self):
        """The matters of the user's unit and of the units below it."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "shouwen_responsibility.shouwen_matter_action"
        )
        unit = self.env.user.shouwen_unit_id
        action.update(
            name=self.env._("Matters of %(unit)s", unit=unit.name or "-"),
            domain=[("unit_id", "child_of", unit.ids)],
            context={"search_default_open": 1},
        )
        return action

    # ------------------------------------------------------------------
    # accountability: facts the system knows become proposals
    # ------------------------------------------------------------------

    def _propose_findings_on_close(self):
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

    def _propose_findings_on_return(self):
        """The same person returned this matter a second time or more."""
        self.ensure_one()
        user = self.env.user
        # counting the caller's own returns on a matter they could act on
        returns = self.sudo().log_ids.filtered(
            lambda line: line.action == "return" and line.user_id == user
        )
        if len(returns) >= 2:
            Finding = self.env["shouwen.finding"]
            Finding._propose(
                [
                    Finding._fact_values(
                        "repeated_returns",
                        self,
                        user,
                        self.env._(
                            "%(user)s returned matter %(number)s %(count)s times.",
                            user=user.name,
                            number=self.name,
                            count=len(returns),
                        ),
                        occurrence=len(returns),
                    )
                ]
            )

    def _activities_done_all(self, feedback):
        # closing the matter ends every reminder about it
        self.activity_ids.sudo().action_feedback(feedback=feedback)

    def _workflow_write(self, vals, bump=True):
        """Write workflow fields: only the actions above call this, after their
        checks.  Bypasses the guard of :meth:`write`, not the access rules.
        ``bump``: the change is a person's (an action), so a form read before
        it is stale.  The matter's actions are the gatekeepers of a complaint
        under approval, so tier validation's own write lock is not applied."""
        result = super(
            ShouwenMatter, self.with_context(skip_validation_check=True)
        ).write(vals)
        if bump:
            self._bump_version()
        return result

    # ------------------------------------------------------------------
    # stale writes
    # ------------------------------------------------------------------

    def _check_version(self, version):
        """Refuse a write based on ``version`` if the matter has changed since
        (checked under the row lock, so two saves cannot both pass)."""
        if not self.ids:
            return
        # strangers learn nothing, not even that the matter changed
        self.check_access("write")
        try:
            version = int(version)
        except (TypeError, ValueError, OverflowError):
            raise UserError(self.env._("Invalid matter version.")) from None
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM shouwen_matter WHERE id IN %s AND version != %s "
                "FOR NO KEY UPDATE",
                tuple(self.ids),
                version,
            )
        )
        if self.env.cr.fetchall():
            raise UserError(
                self.env._(
                    "This matter was changed by someone else; reload and try again"
                )
            )

    def _bump_version(self):
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE shouwen_matter SET version = version + 1 WHERE id IN %s",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(["version"])

    def _notify_thread_by_email(self, message, recipients_data, **kwargs):
        notifying = self.env.cr.precommit.data.setdefault(NOTIFYING, set())
        notifying.update(message.ids)
        try:
            return super()._notify_thread_by_email(message, recipients_data, **kwargs)
        finally:
            notifying.difference_update(message.ids)

    def _check_can_update_message_content(self, messages):
        # the chatter of a matter is part of its record (see mail.message)
        messages._check_audit_trail()
        return super()._check_can_update_message_content(messages)
