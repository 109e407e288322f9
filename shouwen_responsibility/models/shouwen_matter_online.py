# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The online channel (网上投诉): a customer files a complaint or a
consultation on the public page; the unit's designated receiver becomes its
first receiver; the customer follows its status through a private link, or
in their portal when they have an account.  The form and the pages are in
``controllers/online.py``."""

import re

import pytz
from werkzeug.urls import url_quote

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import online, personal_data
from ..tools.ambient import STATUS_LINK, status_link_allowed

#: what a customer may read of their own matters (the status page), and
#: what their record rule needs; everything else is staff only
#: the online form's fields, as posted
ONLINE_FORM_FIELDS = (
    "customer_name",
    "customer_phone",
    "policy_number",
    "kind",
    "unit_id",
    "description",
    "customer_request",
)

PORTAL_FIELDS = frozenset(
    {
        "id",
        "display_name",
        "name",
        "subject",
        "kind",
        "state",
        "customer_stage",
        "registered_date",
        "closure_deadline",
        "told_date",
        "result",
        "first_responsible_id",
        "partner_id",
        "active",
    }
)

POLICY_NUMBER_RE = re.compile(r"[A-Za-z0-9-]{4,40}")


class ShouwenMatter(models.Model):
    _name = "shouwen.matter"
    _inherit = ["shouwen.matter", "portal.mixin"]

    customer_request = fields.Text(
        string="Customer's request",
        help="What the customer asks for (诉求), in their words.",
    )
    customer_stage = fields.Selection(
        online.CUSTOMER_STAGES,
        compute="_compute_customer_stage",
        string="Status for the customer",
    )

    @api.depends("state")
    def _compute_customer_stage(self):
        for matter in self:
            matter.customer_stage = online.customer_stage(matter.state)

    status_url = fields.Char(
        string="Status link",
        compute="_compute_status_url",
        help="The customer's private link to the matter's status page: made by "
        "the online form, or by the first responsible on purpose (logged).",
    )

    def _compute_access_url(self):
        # the status page of the online channel replaces portal.mixin's "#"
        for matter in self:
            matter.access_url = f"/shouwen/status/{url_quote(matter.name or '')}"

    @api.depends("access_token", "access_url")
    def _compute_status_url(self):
        for matter in self:
            matter.status_url = (
                f"{matter.get_base_url()}{matter.access_url}"
                f"?access_token={matter.access_token}"
                if matter.access_token
                else False
            )

    def _workflow_fields(self):
        # the customer's private link changes only with their own submission
        return super()._workflow_fields() | {"access_token"}

    # ------------------------------------------------------------------
    # the private status link: made on purpose, never on the way
    # ------------------------------------------------------------------

    def _portal_ensure_token(self):
        """The matter's private link, if it has one.  portal.mixin makes one
        for whoever asks (``get_portal_url``, ``_get_share_url``, the
        notification of a customer, as a ``sudo()``): here only the online
        form and the first responsible's logged action do
        (:meth:`action_make_status_link`)."""
        if self.access_token or not STATUS_LINK.get():
            return self.access_token or ""
        return super()._portal_ensure_token()

    def action_make_status_link(self):
        """The first responsible gives the customer a private link to the
        status page (an anonymous link: logged, made once)."""
        self.ensure_one()
        self._check_action("make_status_link")
        self._make_status_link()
        return True

    def _make_status_link(self):
        """Make the private link once, logged; the caller checked that the
        user may (the ``make_status_link`` action)."""
        if not self.access_token:
            with status_link_allowed():
                self._portal_ensure_token()
            self._log("status_link", to_user=self.env.user)

    # ------------------------------------------------------------------
    # customers (portal users) read their own matters' status, nothing else
    # ------------------------------------------------------------------

    def _is_customer_env(self):
        return not self.env.su and self.env.user.share

    @api.model
    def check_field_access_rights(self, operation, field_names):
        explicit = bool(field_names)
        field_names = super().check_field_access_rights(operation, field_names)
        if not self._is_customer_env():
            return field_names
        hidden = [
            fname
            for fname in field_names
            if fname in self._fields and fname not in PORTAL_FIELDS
        ]
        if hidden and explicit:
            raise AccessError(
                self.env._("Customers see only the status of their own matters.")
            )
        return [fname for fname in field_names if fname not in hidden]

    def _fetch_field(self, field):
        # a customer's read fetches the field asked for, never its prefetch
        # group (which holds the fields they may not read)
        if self._is_customer_env():
            self.fetch([field.name])
            return None
        return super()._fetch_field(field)

    # ------------------------------------------------------------------
    # the online form
    # ------------------------------------------------------------------

    @api.model
    def _online_param(self, key):
        return self.env["shouwen.online.attempt"]._param(key)

    @api.model
    def _online_kinds(self):
        """``[(kind, label)]``: what a customer may file online."""
        labels = dict(self._fields["kind"]._description_selection(self.env))
        return [(kind, labels[kind]) for kind in online.ONLINE_KINDS]

    @api.model
    def _online_units(self):
        """The units a customer may address: those offered on the online form
        that have a first receiver; without any, the provincial branches that
        have one.  Units are public knowledge (names on the form only)."""
        # sudo: only the units offered on the public form, by name
        Unit = self.env["shouwen.unit"].sudo()
        units = Unit.search([("online_listed", "=", True)])
        if not units:
            units = Unit.search([("level", "=", "province")])
        return units.filtered(lambda unit: unit._online_receiver())

    @api.model
    def _online_default_unit(self, units):
        """The unit preselected on the form: the province."""
        return units.filtered(lambda unit: unit.level == "province")[:1] or units[:1]

    @api.model
    def _online_check(self, form, files):
        """Validate what the customer filled in.  ``form``: the posted strings;
        ``files``: ``[{"name": filename, "data": bytes}]`` (each read up to one
        byte beyond the size limit).  Return ``(values, errors)``: the values
        to register, or the message of each field in error."""
        _ = self.env._
        texts = {
            fname: (form.get(fname) or "").replace("\r\n", "\n").strip()
            for fname in ONLINE_FORM_FIELDS
        }
        errors = {}
        required = {
            "customer_name": _("Enter your name."),
            "customer_phone": _(
                "Enter your phone number so that we can call you back."
            ),
            "description": _("Describe what happened."),
            "customer_request": _("Tell us what you ask for."),
        }
        for fname, message in required.items():
            if not texts[fname]:
                errors[fname] = message
        for fname, length in online.MAX_LENGTHS.items():
            if fname not in errors and len(texts[fname]) > length:
                errors[fname] = _(
                    "Write at most %(count)s characters here.", count=length
                )
        phone = personal_data.normalize_phone(texts["customer_phone"])
        if phone and not personal_data.is_valid_phone(phone):
            errors["customer_phone"] = _(
                "Enter a valid phone number: a mobile number such as 13812345678 "
                "or a landline such as 0371-65551234."
            )
        policy = personal_data.normalize_reference(texts["policy_number"])
        if policy and "policy_number" not in errors:
            if not POLICY_NUMBER_RE.fullmatch(policy):
                errors["policy_number"] = _(
                    "A policy number has 4 to 40 letters, digits or dashes."
                )
        if texts["kind"] not in online.ONLINE_KINDS:
            errors["kind"] = _("Choose a complaint or a consultation.")
        units = self._online_units()
        unit = (
            units.filtered(lambda u: str(u.id) == texts["unit_id"])
            if texts["unit_id"]
            else self._online_default_unit(units)
        )
        if not unit:
            errors["unit_id"] = _("Choose the branch that should handle your request.")
        file_error = self._online_check_files(files)
        if file_error:
            errors["attachments"] = file_error
        if errors:
            return {}, errors
        values = {
            "channel": "online",
            "kind": texts["kind"],
            "business_domain": online.ONLINE_DOMAINS[texts["kind"]],
            "customer_type": "external",
            "customer_name": texts["customer_name"],
            "customer_phone": phone,
            "policy_number": policy or False,
            "subject": online.subject_from(texts["description"]),
            "description": texts["description"],
            "customer_request": texts["customer_request"],
            "unit_id": unit.id,
            "first_receiver_id": unit._online_receiver().id,
        }
        return values, {}

    @api.model
    def _online_check_files(self, files):
        """The message about the attachments, if they are not acceptable."""
        max_files = self._online_param("online_max_files")
        max_mb = self._online_param("online_max_file_mb")
        if len(files) > max_files:
            return self.env._("Attach at most %(count)s files.", count=max_files)
        for attachment in files:
            if not online.allowed_file(attachment["name"]):
                return self.env._(
                    "%(file)s cannot be attached: attach photos, PDF, Word, Excel "
                    "or text files.",
                    file=attachment["name"],
                )
            if len(attachment["data"]) > max_mb * 1024 * 1024:
                return self.env._(
                    "%(file)s is larger than %(size)s MB.",
                    file=attachment["name"],
                    size=max_mb,
                )
            if not attachment["data"]:
                return self.env._("%(file)s is empty.", file=attachment["name"])
        return None

    @api.model
    def _online_register(self, values, files, partner=None):
        """Register what a customer filed online (as the system: the caller
        runs this as the superuser) and schedule it for its first receiver.
        ``partner``: the logged-in customer's contact, whose portal then lists
        the matter."""
        assert self.env.su, "online submissions are registered by the system"
        if partner:
            values = dict(
                values,
                partner_id=partner.id,
                customer_email=partner.email or False,
            )
        matter = self.with_context(mail_create_nosubscribe=True).create(values)
        if files:
            self.env["ir.attachment"].create(
                [
                    {
                        "name": attachment["name"],
                        "raw": attachment["data"],
                        "res_model": self._name,
                        "res_id": matter.id,
                    }
                    for attachment in files
                ]
            )
        receiver = matter.first_receiver_id
        receiver_env = matter.with_context(lang=receiver.lang).env
        kinds = dict(matter._fields["kind"]._description_selection(receiver_env))
        matter._schedule(
            "online",
            receiver,
            receiver_env._(
                "Online %(kind)s %(number)s: handle it or guide it to a handler",
                kind=kinds[matter.kind],
                number=matter.name,
            ),
            note=matter.customer_request,
            date_deadline=matter._online_local_date(matter.response_deadline),
        )
        # the customer's private link, which the page gives them
        with status_link_allowed():
            matter._portal_ensure_token()
        return matter

    def _online_local_date(self, value):
        if not value:
            return None
        tz = self.env["shouwen.work.calendar"]._calendar().tz
        return pytz.utc.localize(value).astimezone(tz).date()

    def _online_status(self):
        """What the customer sees of this matter, and nothing else: number,
        subject, status, dates, the answer once they were told it, and the
        name of the person responsible.  The caller has checked the customer's
        right to it (their token or their portal)."""
        self.ensure_one()
        # the values below are the whole page; the matter was checked by the
        # caller, and no other field leaves this method
        matter = self.sudo()
        stages = dict(self._fields["customer_stage"]._description_selection(self.env))
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        told = bool(matter.told_date and matter.result)
        return {
            "number": matter.name,
            "subject": matter.subject,
            "kind": kinds[matter.kind],
            "stage": matter.customer_stage,
            "stage_label": stages[matter.customer_stage],
            "registered": matter._format_datetime(matter.registered_date),
            "deadline": (
                matter._format_datetime(matter.closure_deadline)
                if matter.closure_deadline
                else False
            ),
            "answer": matter.result if told else False,
            "answered": matter._format_datetime(matter.told_date) if told else False,
            "responsible": matter.first_responsible_id.name or False,
            "url": matter.access_url,
        }
