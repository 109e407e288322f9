# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.query import Query

from ..tools import access

#: the context keys with which a contact's name shows its details
DETAIL_KEYS = ("show_address", "show_email", "show_vat")


class ResPartner(models.Model):
    _inherit = "res.partner"

    shouwen_matter_ids = fields.One2many(
        "shouwen.matter",
        "partner_id",
        string="Matters as customer",
        groups="base.group_system",
        help="The matters this contact is now the customer contact of (those "
        "it was replaced on: the matters' customer_partner_ids).",
    )

    shouwen_contact_open = fields.Boolean(
        string="Contact open to me",
        compute="_compute_shouwen_contact_open",
        search="_search_shouwen_contact_open",
        help="The staff's rule on contacts: contacts that are nobody's "
        "customer, the user's own, colleagues', and the customers of the "
        "matters the user handles.",
    )

    shouwen_customer_unit_ids = fields.Many2many(
        "shouwen.unit",
        string="Customer in units",
        compute="_compute_shouwen_customer_unit_ids",
        search="_search_shouwen_customer_unit_ids",
        groups="base.group_system",
        help="The units of the matters this contact is the customer of: the "
        "supervisors' rules on contacts.",
    )

    @api.depends_context("uid")
    def _compute_shouwen_customer_unit_ids(self):
        # the units of the contact's matters the user may read (all of them
        # for the rules, checked as the superuser): ``mapped`` over RPC on a
        # contact shows no unit of a matter its caller may not read; a
        # company customer's people are in the units of its matters too
        stored = self.browse(id_ for id_ in self._ids if isinstance(id_, int))
        Matter = self.env["shouwen.matter"]
        units = defaultdict(set)
        # sudo: a field only the system searches, on the matters the user's
        # own read rules let them read (the query of their search)
        for customer, unit in Matter.sudo()._read_group(
            [
                ("id", "in", Matter._search([])),
                (
                    "customer_partner_ids",
                    "in",
                    (stored | stored.commercial_partner_id).ids,
                ),
                ("unit_id", "!=", False),
            ],
            ["customer_partner_ids", "unit_id"],
        ):
            units[customer.id].add(unit.id)
        for partner in self:
            partner.shouwen_customer_unit_ids = sorted(
                units[partner.id] | units[partner.commercial_partner_id.id]
            )

    def _search_shouwen_customer_unit_ids(self, operator, value):
        """The contacts that are, or whose company is, the customer of a
        matter of the units ``value`` (ids, or a query of them): each contact
        answered from the index of its own matters, where a domain on the
        contact's matters made PostgreSQL read every matter of those units
        that has a contact (50 ms per check for a city supervisor with
        200,000 of them)."""
        if operator == "in" and isinstance(value, Query):
            units = SQL("(%s)", value.subselect())
        else:
            ids = [value] if operator == "=" else value
            if operator not in ("=", "in") or not (
                isinstance(ids, list | tuple)
                and all(
                    id_ is False or (isinstance(id_, int) and not isinstance(id_, bool))
                    for id_ in ids
                )
            ):
                raise UserError(
                    self.env._(
                        "Contacts can be searched by the units of their matters "
                        "only with units."
                    )
                )
            # a supervisor without a unit (False) supervises no unit
            units = tuple(id_ for id_ in ids if id_ is not False)
            if not units:
                return expression.FALSE_DOMAIN
        Matter = self.env["shouwen.matter"]
        customers = access.flushing(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE EXISTS (SELECT FROM shouwen_matter_customer_rel c
                                 JOIN shouwen_matter m ON m.id = c.matter_id
                                WHERE c.partner_id IN (p.id, p.commercial_partner_id)
                                  AND m.active
                                  AND m.unit_id IN %(units)s)
                """,
                units=units,
            ),
            self._fields["commercial_partner_id"],
            *(
                Matter._fields[fname]
                for fname in ("customer_partner_ids", "unit_id", "active")
            ),
        )
        return [("id", "in", SQL("(%s)", customers))]

    @api.depends_context("uid")
    def _compute_shouwen_contact_open(self):
        stored = [id_ for id_ in self._ids if isinstance(id_, int)]
        # sudo: the same condition as the rule, asked for the records at hand
        open_ids = set(
            self.sudo()._search(
                [("id", "in", stored), ("shouwen_contact_open", "=", True)]
            )
        )
        for partner in self:
            partner.shouwen_contact_open = partner.id in open_ids

    def _search_shouwen_contact_open(self, operator, value):
        """The contacts the current user reads as staff, each answered from
        the indexes of that contact's matters: a customer's contact is read
        by who handles one of its matters.  The same rule as a domain on the
        contact's matters (``shouwen_matter_ids``) made PostgreSQL read every
        matter that has a contact for each contact checked: 120 ms with
        200,000 of them, and growing with them."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._(
                    "Contacts can be searched as open to the user only "
                    "with True or False."
                )
            )
        uid, partner_id = self.env.uid, self.env.user.partner_id.id
        handles = SQL(
            "m.first_receiver_id = %(uid)s OR m.first_responsible_id = %(uid)s "
            "OR m.handler_id = %(uid)s OR m.guide_to_id = %(uid)s",
            uid=uid,
        )
        # a customer's contact is that of the matters it is or was the
        # customer contact of (shouwen_matter_customer_rel), and so are the
        # people of a company customer (its commercial entity's); a contact
        # that a matter names but the table misses (written around the ORM)
        # is nobody's to read rather than everybody's
        open_contacts = SQL(
            """
            SELECT p.id FROM res_partner p
             WHERE NOT EXISTS (
                       SELECT FROM shouwen_matter m
                        WHERE m.partner_id IN (p.id, p.commercial_partner_id))
                   AND NOT EXISTS (
                       SELECT FROM shouwen_matter_customer_rel c
                        WHERE c.partner_id IN (p.id, p.commercial_partner_id))
                OR p.id = %(partner)s
                OR EXISTS (SELECT FROM res_users u
                            WHERE u.partner_id = p.id AND u.active
                              AND u.share IS NOT TRUE)
                OR EXISTS (SELECT FROM shouwen_matter_customer_rel c
                             JOIN shouwen_matter m ON m.id = c.matter_id
                            WHERE c.partner_id IN (p.id, p.commercial_partner_id)
                              AND m.active AND (%(handles)s))
                OR EXISTS (SELECT FROM shouwen_matter_part pt
                             JOIN shouwen_matter_customer_rel c
                               ON c.matter_id = pt.matter_id
                             JOIN shouwen_matter m ON m.id = pt.matter_id
                            WHERE pt.assignee_id = %(uid)s
                              AND c.partner_id IN (p.id, p.commercial_partner_id)
                              AND m.active)
            """,
            partner=partner_id,
            handles=handles,
            uid=uid,
        )
        Matter, Part, Users = (
            self.env[model]
            for model in ("shouwen.matter", "shouwen.matter.part", "res.users")
        )
        open_contacts = access.flushing(
            open_contacts,
            self._fields["commercial_partner_id"],
            *(
                Matter._fields[fname]
                for fname in (
                    "partner_id",
                    "customer_partner_ids",
                    "first_receiver_id",
                    "first_responsible_id",
                    "handler_id",
                    "guide_to_id",
                    "active",
                )
            ),
            Part._fields["matter_id"],
            Part._fields["assignee_id"],
            Users._fields["partner_id"],
            Users._fields["active"],
            Users._fields["share"],
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", SQL("(%s)", open_contacts))]

    def _compute_display_name(self):
        # the details a client may ask in a contact's name (its address,
        # email and VAT: context show_address, show_email, show_vat) go to
        # who may read the contact only: Odoo computes the names of the
        # records a record links to as the superuser, for every reader of
        # that record (a matter's contact for an inspector)
        details = {key: False for key in DETAIL_KEYS if self.env.context.get(key)}
        hidden = self.browse()
        if details and self.env.su and not self.env.user._is_superuser():
            stored = self.filtered(lambda partner: isinstance(partner.id, int))
            hidden = stored - stored.sudo(False)._filtered_access("read")
        result = super(ResPartner, self - hidden)._compute_display_name()
        if hidden:
            # their names without the details, computed where they are not
            # being computed (read back there, and given here)
            plain = hidden.with_context(**details)
            super(ResPartner, plain)._compute_display_name()
            for partner, name in zip(hidden, plain.mapped("display_name"), strict=True):
                partner.display_name = name
        return result

    def _check_named_by_user(self):
        """Refuse the contacts of ``self`` the current user may not read.

        What a record shows of a contact it names is computed by the system
        (a follower's email, a user's or a company's phone and address in a
        form, a matter's contact read by those who handle it), so a user names
        in a change, a form or a message only a contact they may read: one of
        their matters' customers, a colleague, one that is nobody's customer
        or a new one."""
        if self.env.su:
            return
        named = self.browse({id_ for id_ in self._ids if isinstance(id_, int)})
        if named - named._filtered_access("read"):
            raise AccessError(
                self.env._(
                    "You may name only contacts you may read: the customers of "
                    "your matters, colleagues, and contacts that are nobody's "
                    "customer."
                )
            )

    def _check_access(self, operation):
        # a customer's contact is read by those who may read one of the
        # matters it is the customer of (shouwen_personal_view_security.xml):
        # Odoo checks the rules in Python, loading each of those matters and
        # its people (1.6 s for a contact of 20,000 matters at a million);
        # PostgreSQL answers the same rules from the indexes
        if (
            self.env.su
            or operation != "read"
            or not self._ids
            or not all(isinstance(id_, int) for id_ in self._ids)
            or not self.env["ir.model.access"].check(
                self._name, operation, raise_exception=False
            )
        ):
            return super()._check_access(operation)
        return access.rules_forbid(self, operation)
