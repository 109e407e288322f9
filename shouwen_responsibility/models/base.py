# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.fields import Command


def _commands(value):
    """``(ids, lines)`` that the commands of an x2many value name: the ids
    they link, set or update, and the ``(id or None, values)`` of the lines
    they create or update."""
    ids, lines = set(), []
    for command in value:
        if isinstance(command, int):
            ids.add(command)
            continue
        if not isinstance(command, list | tuple) or not command:
            continue
        operation = command[0]
        record_id = command[1] if len(command) > 1 else None
        record_id = record_id if isinstance(record_id, int) else None
        if operation == Command.SET:
            ids.update(i for i in command[2] or () if isinstance(i, int))
        elif operation in (Command.LINK, Command.UPDATE) and record_id:
            ids.add(record_id)
        if operation in (Command.CREATE, Command.UPDATE) and isinstance(
            command[-1], dict
        ):
            lines.append(
                (record_id if operation == Command.UPDATE else None, command[-1])
            )
    return ids, lines


class Base(models.AbstractModel):
    """A form's changes (``onchange``) name only contacts the user may read.

    Odoo computes for a new record what it shows of the contacts it names:
    related fields as the superuser (a user's, a follower's, a company's
    email, phone and address), so naming a customer's contact in the form of
    a model that shows them gave its personal data to anyone, a portal
    customer included, one id after another."""

    _inherit = "base"

    def onchange(self, values, field_names, fields_spec):
        if not self.env.su:
            contacts = self._contacts_named(values, held=self)
            for key, value in self.env.context.items():
                if key.startswith("default_") and key[8:] in self._fields:
                    contacts |= self._contacts_named({key[8:]: value})
            contacts._check_named_by_user()
        return super().onchange(values, field_names, fields_spec)

    def _where_calc(self, domain, active_test=True):
        # Odoo checks the groups of a domain's columns, not of its x2many and
        # searched fields: the addon's fields that only the system reads (a
        # contact's matters, a matter's customer contacts) are not searched
        # by users either, who would learn from the records found which
        # contact is the customer of a matter they may not read (the record
        # rules' domains are the system's, applied apart from this)
        if not self.env.su:
            self._check_searched_fields(domain)
        return super()._where_calc(domain, active_test)

    def _check_searched_fields(self, domain):
        for leaf in domain:
            if not isinstance(leaf, list | tuple) or len(leaf) != 3:
                continue
            path, operator, value = leaf
            if not isinstance(path, str):
                continue
            model = self
            for fname in path.split("."):
                field = model._fields.get(fname)
                if field is None:
                    break
                if (
                    field.groups
                    and not field.column_type
                    and field._module == "shouwen_responsibility"
                ):
                    model.check_field_access_rights("read", [fname])
                if not field.relational:
                    break
                model = self.env[field.comodel_name]
            else:
                if operator in ("any", "not any") and isinstance(value, list):
                    model._check_searched_fields(value)

    def _contacts_named(self, values, held=None):
        """The contacts (``res.partner``) that ``values`` names in this
        model's fields, linked records given with values and x2many lines
        included, but for those ``held`` (a record of this model) already
        holds."""
        Partner = self.env["res.partner"]
        named = Partner
        for fname, value in values.items():
            field = self._fields.get(fname)
            if not field or not field.relational or not value:
                continue
            comodel = self.env[field.comodel_name]
            ids = set()
            if field.type == "many2one":
                if isinstance(value, dict):
                    # a linked record given with values of its own: Odoo
                    # makes a new one of them, its origin the id given
                    origin = value.get("id")
                    origin = comodel.browse(origin) if isinstance(origin, int) else None
                    others = {key: val for key, val in value.items() if key != "id"}
                    named |= comodel._contacts_named(others, held=origin)
                    value = value.get("id")
                if isinstance(value, int):
                    ids.add(value)
            elif isinstance(value, list | tuple):
                ids, lines = _commands(value)
                for line_id, line_values in lines:
                    line = comodel.browse(line_id) if line_id else None
                    named |= comodel._contacts_named(line_values, held=line)
            if field.comodel_name == "res.partner" and ids:
                if held:
                    # sudo: the ids the record holds, compared, not shown
                    ids -= set(held.sudo()[fname].ids)
                named |= Partner.browse(ids)
        return named
