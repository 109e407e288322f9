# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, sql

from ..tools import access, ambient, personal_data, workflow
from ..tools.catalogue import (
    BUSINESS_DOMAINS,
    CHANNELS,
    CUSTOMER_TYPES,
    KINDS,
    TOLD_METHODS,
)
from .mail_message import NOTIFYING
from .shouwen_personal_data_mixin import clear_field, shown_field

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
        "customer_partner_ids",
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
    # mail.thread and mail.activity.mixin, through shouwen.batch.mixin
    _inherit = [
        "shouwen.batch.mixin",
        "shouwen.personal.data.mixin",
        "shouwen.undeletable.mixin",
    ]
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
    partner_id = fields.Many2one(
        "res.partner", string="Customer contact", index=True, tracking=True
    )
    # every contact that is or was the matter's customer contact: one
    # replaced stays the customer's personal data (the contacts' rules,
    # res_partner.py, read this table)
    customer_partner_ids = fields.Many2many(
        "res.partner",
        "shouwen_matter_customer_rel",
        "matter_id",
        "partner_id",
        string="Customer contacts, past and present",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The contacts that are or were this matter's customer contact: "
        "their phone and email stay the customer's personal data, read by "
        "those who may read this matter's.",
    )
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
        # indexed with the matter's id (init): who takes part, see there
        help="Who registered the matter (第一受理人). Never changes.",
    )
    first_responsible_id = fields.Many2one(
        "res.users",
        string="First responsible",
        readonly=True,
        # indexed with the matter's id (init)
        tracking=True,
        help="Accountable for the matter until it is closed (首问责任人).",
    )
    # indexed with the matter's id (init)
    handler_id = fields.Many2one("res.users", readonly=True, tracking=True)
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
    # indexed with the list's order in init
    registered_date = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True
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
        """Staff whose posts handle this kind of matter, among those who may
        receive it, nearest unit first."""
        self.ensure_one()
        duties = self.env["shouwen.post.duty"].search(
            [
                ("kind", "=", self.kind),
                ("business_domain", "in", [self.business_domain, False]),
            ]
        )
        Users = self.env["res.users"]
        unit = self.unit_id or self.env.user.shouwen_unit_id
        domain = expression.AND(
            [
                Users._shouwen_handler_domain(unit),
                [("shouwen_post_ids", "in", duties.post_id.ids)],
            ]
        )
        return Users._shouwen_nearest_first(domain, unit, limit=limit)

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
            self._check_contact_named(vals)
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
        with ambient.defaults_shared():
            # the registration is the first line of the responsibility log
            # (履历, below), with who and when: the chatter does not repeat it
            # in a generic "created" message (README, Performance)
            matters = (
                super(ShouwenMatter, self.with_context(mail_create_nolog=True))
                .create(vals_list)
                .with_env(self.env)
            )
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
        matters._link_customer_contacts()
        return matters

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
        self._check_contact_named(vals)
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
        if "partner_id" in vals:
            self._link_customer_contacts()
        self._bump_version()
        return result

    def _check_contact_named(self, vals):
        """The customer contact a user gives a matter is one they may read:
        its handlers and supervisors read it from then on, so naming a
        contact hidden from the user (another unit's customer) would show it
        to them."""
        if vals.get("partner_id") and not self.env.su:
            self.env["res.partner"].browse(vals["partner_id"])._check_named_by_user()

    def _link_customer_contacts(self):
        """Add the matters' customer contacts to those they ever had
        (``customer_partner_ids``), once each."""
        # sudo: the contact, whoever set it, is kept with the matter for the
        # contacts' rules; nothing is returned to the user
        pairs = [
            (matter.id, matter.partner_id.id)
            for matter in self.sudo()
            if matter.partner_id
        ]
        if not pairs:
            return
        field = self._fields["customer_partner_ids"]
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s, %s) VALUES %s ON CONFLICT DO NOTHING",
                SQL.identifier(field.relation),
                SQL.identifier(field.column1),
                SQL.identifier(field.column2),
                SQL(", ").join(SQL("(%s, %s)", *pair) for pair in pairs),
            )
        )
        self.invalidate_recordset(["customer_partner_ids"])

    def unlink(self):
        # refuse before mail.thread deletes the chatter (part of the trail)
        self.check_access("unlink")
        self._unlink_never()
        return super().unlink()

    def _raise_undeletable(self):
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

    # ------------------------------------------------------------------
    # who takes part in a matter (the staff's rule)
    # ------------------------------------------------------------------

    def _party_users(self):
        """The people taking part in this matter or following it; the later
        layers add theirs (:meth:`_party_subqueries` says the same in SQL)."""
        self.ensure_one()
        # sudo: only who the people are, for the field the staff's rule reads
        matter = self.sudo()
        return (
            matter.first_receiver_id
            | matter.first_responsible_id
            | matter.handler_id
            | matter.guide_to_id
            | matter.part_ids.assignee_id
            | matter.message_partner_ids.user_ids
        )

    @api.model
    def _party_many2many_query(self, fname, users):
        """SQL selecting the ids of the matters whose many2many ``fname``
        names one of ``users`` (a tuple of ids), from its relation table."""
        field = self._fields[fname]
        return SQL(
            "SELECT %s FROM %s WHERE %s IN %s",
            SQL.identifier(field.column1),
            SQL.identifier(field.relation),
            SQL.identifier(field.column2),
            users,
        )

    @api.model
    def _party_subqueries(self, user_ids):
        """SQL selecting the ids of the matters ``user_ids`` take part in or
        follow, one query per way of taking part, each through an index;
        the later layers add theirs."""
        users = tuple(user_ids)
        columns = (
            "first_receiver_id",
            "first_responsible_id",
            "handler_id",
            "guide_to_id",
        )
        return [
            *(
                SQL(
                    "SELECT id FROM shouwen_matter WHERE %s IN %s",
                    SQL.identifier(column),
                    users,
                )
                for column in columns
            ),
            SQL(
                "SELECT matter_id FROM shouwen_matter_part WHERE assignee_id IN %s",
                users,
            ),
            SQL(
                "SELECT f.res_id FROM mail_followers f JOIN res_users u "
                "ON u.partner_id = f.partner_id "
                "WHERE f.res_model = %s AND u.id IN %s",
                self._name,
                users,
            ),
        ]

    def _search_phone(self, operator, value):
        return self._search_personal("customer_phone", operator, value)

    def _search_id_number(self, operator, value):
        return self._search_personal("customer_id_number", operator, value)

    @api.model
    @api.readonly
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # web's own, the page's matters read as found: the search has just
        # applied the user's read rules to them, and reading them for the
        # page asked PostgreSQL the same again — the union of every matter
        # the user takes part in, 23 ms of a list for a clerk of 12,000
        records = self.search_fetch(
            domain, specification.keys(), offset=offset, limit=limit, order=order
        )
        with ambient.found_readable(records):
            values_records = records.web_read(specification)
        return self._format_web_search_read_results(
            domain, values_records, offset, limit, count_limit
        )

    def read(self, fields=None, load="_classic_read"):
        # Odoo's own three lines, the matters read as found once fetched: the
        # fetch has checked them under the user's read rules, and the fields
        # computed while reading them (who may see the customer's data, the
        # actions offered, who takes part) asked PostgreSQL the same again,
        # three times on the form a clerk gets back from a registration
        if (
            self.env.su
            or ambient.found(self)
            or not all(isinstance(id_, int) for id_ in self._ids)
        ):
            return super().read(fields, load)
        fields = self.check_field_access_rights("read", fields)
        self._origin.fetch(fields)
        with ambient.found_readable(self):
            return self._read_format(fnames=fields, load=load)

    def _check_access(self, operation):
        # the record rules of a matter, checked by PostgreSQL on all the
        # records at once (the same rules, the same result, without loading
        # their followers, parts and approvers into Python)
        if self.env.su or not self._ids or operation not in ("read", "write"):
            return super()._check_access(operation)
        if operation == "read" and ambient.found(self):
            # the page of a search, found under these very rules just before
            return None
        if not self.env["ir.model.access"].check(
            self._name, operation, raise_exception=False
        ):
            return super()._check_access(operation)
        return access.rules_forbid(self, operation)

    def init(self):
        # who takes part (_party_subqueries: the staff's read rule, checked
        # on every list and form) is read from these indexes alone; an index
        # of the person only sent PostgreSQL to the rows of a clerk's
        # hundreds of matters, and planned a parallel query (7 ms to start
        # its workers) where the index answers in 0.1 ms
        for column in ("first_receiver_id", "first_responsible_id", "handler_id"):
            tools.create_index(
                self.env.cr,
                f"shouwen_matter_{column}_party_index",
                self._table,
                [column, "id"],
            )
            # the person's own index (of an earlier version) it replaces
            sql.drop_index(
                self.env.cr, sql.make_index_name(self._table, column), self._table
            )
        # the lists' order (_order), with what the rules of a list ask of each
        # row it passes: a supervisor's page walks past the newer matters of
        # other units in the index alone, not in the table
        tools.create_index(
            self.env.cr,
            "shouwen_matter_list_order_index",
            self._table,
            ["registered_date", "id", "unit_id", "active"],
        )
        # Odoo's index of the date alone, which it replaces
        sql.drop_index(
            self.env.cr,
            sql.make_index_name(self._table, "registered_date"),
            self._table,
        )
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
            if units != expression.FALSE_DOMAIN:
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

    def _role_holders(self):
        """``{role: who holds it}`` on this matter, as a refusal names them;
        hook: a later layer adds the roles it brings
        (``shouwen_matter_complaint.py``: the assignee and the approvers)."""
        return {
            "responsible": self.first_responsible_id.name,
            "handler": self.handler_id.name,
            "guide_target": self.guide_to_id.name,
            "supervisor": self.env._(
                "a supervisor of %(unit)s", unit=self.unit_id.name
            ),
            "system": self.env._("the system"),
        }

    def _describe_roles(self, action):
        names = self._role_holders()
        allowed = workflow.TRANSITIONS[action][2]
        return self.env._(" or ").join(
            dict.fromkeys(names[role] for role in allowed if names.get(role))
        )

    def _format_datetime(self, value):
        """A moment as the organisation reads it, in its working calendar's
        time zone."""
        tz = self.env["shouwen.work.calendar"]._tz()
        return pytz.utc.localize(value).astimezone(tz).strftime("%Y-%m-%d %H:%M")

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

    def _schedule(self, key, user, summary, note=None, date_deadline=None):
        """An activity ``key`` (see :meth:`_activity_type_xmlid`) for ``user``
        on each matter, batched inside ``_activities_in_batch``."""
        self._schedule_activity(
            self._activity_type_xmlid(key), user, summary, note, date_deadline
        )

    def _activities_done(self, key, user=None, feedback=None):
        """Mark done the activities ``key`` (of ``user``) on the matters; key
        ``None``: all their activities (closing a matter ends every reminder
        about it)."""
        if not self.ids:
            return
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        if key is not None:
            domain.append(
                (
                    "activity_type_id",
                    "=",
                    self.env["ir.model.data"]._xmlid_to_res_id(
                        self._activity_type_xmlid(key)
                    ),
                )
            )
        if user is not None:
            domain.append(("user_id", "=", user.id))
        # the action that makes the activity pointless was allowed; whoever
        # takes it closes the reminders it answers (sudo: those of the matters
        # at hand, whoever they are assigned to; nothing is returned)
        activities = self.env["mail.activity"].sudo().search(domain)
        if activities:
            activities.action_feedback(feedback=feedback)

    def _transition(
        self,
        action,
        vals=None,
        *,
        new_states=None,
        from_user=None,
        to_user=None,
        reason=None,
        done=None,
        schedule=None,
        clock=(),
        stays=False,
    ):
        """The ceremony every action of the matter ends with, once its own
        preconditions are checked, on each matter of ``self``:

        - the workflow table allows ``action`` now (:meth:`_check_action`,
          under the row lock), unless the action checked it first and gives
          its ``new_states``;
        - the new state is written with ``vals`` (``stays``: the action does
          not move the state, and its log line has no state before);
        - the action is logged, ``from_user`` → ``to_user`` (a user, or a
          function of the matter) with ``reason``;
        - the activities it answers are done: ``done=(key, user, feedback)``
          (key ``None``: all of them, see :meth:`_activities_done`);
        - the next one is scheduled: ``schedule=(key, user, summary, note)``;
        - the clock follows: ``clock``, events of :meth:`_clock_event`."""
        if new_states is None:
            new_states = self._check_action(action)
        for matter in self:
            state_from = False if stays else matter.state
            target = to_user(matter) if callable(to_user) else to_user
            matter._workflow_write(
                dict(vals or {})
                if stays
                else {**(vals or {}), "state": new_states[matter]}
            )
            matter._log(
                action,
                from_user=from_user,
                to_user=target,
                reason=reason,
                state_from=state_from,
            )
            if done:
                matter._activities_done(*done)
            if schedule:
                matter._schedule(*schedule)
        for event in clock:
            self._clock_event(event)
        return True

    # ------------------------------------------------------------------
    # hooks: what the later layers of the matter do at an action's step
    # (each overridden in the file named; here, nothing)
    # ------------------------------------------------------------------

    def _clock_event(self, event):
        """Keep the clock in step with an action: ``respond`` (the first
        response), ``stop`` (answered or closed), ``restart`` (reopened).
        The clock is ``shouwen_matter_followup.py``'s."""

    def _pause_clock(self):
        """Stop the closure clock until the missing materials are brought
        (``shouwen_matter_followup.py``)."""

    def _propose_findings_on_close(self):
        """Facts known when the matters close become proposed findings
        (``shouwen_matter_followup.py``: closed after the deadline)."""

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
