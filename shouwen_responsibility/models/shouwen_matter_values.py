# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What values a matter takes.  Any caller may send anything over RPC: an
unknown field, a list where text is expected, an id beyond any integer, a
date that is no date, a NUL character.  Each is refused with a clear message
before anything is written, instead of failing in the database as a server
error."""

import math
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import personal_data

#: the range of a PostgreSQL ``integer`` column (ids and whole numbers)
INT4_MAX = 2**31 - 1
#: the years a date may fall in (the deadline arithmetic stays in range)
MIN_YEAR, MAX_YEAR = 1900, 9998
#: the x2many commands (``Command``): those that name a record by id, and
#: those that carry the values of a record
ID_COMMANDS = {1, 2, 3, 4}
VALUE_COMMANDS = {0, 1}
TEXT_TYPES = frozenset({"char", "text", "html", "selection"})


def _is_id(value):
    return type(value) is int and 0 < value <= INT4_MAX


def _shown(name):
    """A name as it may be quoted in a message (no NUL, no lone surrogate)."""
    return repr(name)[1:-1] if isinstance(name, str) else repr(name)


class ShouwenMatterValues(models.Model):
    # the values a matter accepts are a concern of their own, beside the
    # workflow
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        # who may not register at all is told so before anything about the
        # values; then the values, before any extension of the model reads
        # them
        self.check_access("create")
        self._check_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_values([vals])
        return super().write(vals)

    def _check_values(self, vals_list):
        """Refuse what the database cannot take: values that are not a
        mapping, unknown fields, values of the wrong type, texts with a NUL
        or a lone surrogate (so that no message quotes such a value)."""
        if not isinstance(vals_list, list | tuple) or not all(
            isinstance(vals, dict) for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "Give the values of a matter as a mapping of field names to values."
                )
            )
        for vals in vals_list:
            # the version a save is based on is checked by write() itself
            self._check_value_types(
                self, {k: v for k, v in vals.items() if k != "version"}
            )

    def _check_value_types(self, model, vals):
        """Refuse the first value of ``vals`` that ``model``'s field cannot
        take, the values of x2many commands included."""
        for fname, value in vals.items():
            field = model._fields.get(fname) if isinstance(fname, str) else None
            if field is None:
                raise UserError(
                    self.env._(
                        "%(model)s has no field “%(field)s”.",
                        # sudo: the name of a kind of record, no record's data
                        model=self.env["ir.model"].sudo()._get(model._name).name,
                        field=_shown(fname),
                    )
                )
            if isinstance(value, str) and personal_data.unstorable(value):
                raise UserError(
                    self.env._(
                        "“%(field)s” contains a character that cannot be stored "
                        "(NUL or a lone surrogate).",
                        field=field._description_string(self.env),
                    )
                )
            if not self._value_fits(field, value):
                raise UserError(
                    self.env._(
                        "“%(field)s” cannot take this value: %(expected)s expected.",
                        field=field._description_string(self.env),
                        expected=self._value_expected(field),
                    )
                )

    def _value_fits(self, field, value):
        """Whether ``value`` is of a type ``field`` can store."""
        kind = field.type
        if value is None or value is False:
            return True
        if kind in TEXT_TYPES:
            return isinstance(value, str)
        if kind == "boolean":
            return isinstance(value, bool)
        if kind == "integer":
            return type(value) is int and abs(value) <= INT4_MAX
        if kind in ("float", "monetary"):
            return type(value) in (int, float) and math.isfinite(value)
        if kind in ("date", "datetime"):
            return self._date_fits(field, value)
        if kind == "many2one":
            return _is_id(value) or (
                isinstance(value, models.BaseModel)
                and value._name == field.comodel_name
                and len(value) <= 1
            )
        if kind in ("one2many", "many2many"):
            return isinstance(value, list | tuple) and all(
                self._command_fits(field, command) for command in value
            )
        return True

    @staticmethod
    def _date_fits(field, value):
        convert = (
            fields.Datetime.to_datetime
            if field.type == "datetime"
            else fields.Date.to_date
        )
        if not isinstance(value, str | date):
            return False
        try:
            value = convert(value)
        except (ValueError, TypeError, OverflowError):
            return False
        return MIN_YEAR <= value.year <= MAX_YEAR

    def _command_fits(self, field, command):
        """One x2many command (or, for a many2many, a plain id); the values
        of a record it creates or updates are checked as the comodel's."""
        if field.type == "many2many" and _is_id(command):
            return True
        if not isinstance(command, list | tuple) or not 1 <= len(command) <= 3:
            return False
        code = command[0]
        # a Command (an IntEnum) or its number, never a boolean
        if not isinstance(code, int) or isinstance(code, bool) or not 0 <= code <= 6:
            return False
        if code in ID_COMMANDS and (len(command) < 2 or not _is_id(command[1])):
            return False
        if code in VALUE_COMMANDS:
            if len(command) != 3 or not isinstance(command[2], dict):
                return False
            self._check_value_types(self.env[field.comodel_name], command[2])
        if code == 6:
            return (
                len(command) == 3
                and isinstance(command[2], list | tuple)
                and all(_is_id(record_id) for record_id in command[2])
            )
        return True

    def _value_expected(self, field):
        """What ``field`` takes, in words."""
        _ = self.env._
        return {
            "boolean": _("true or false"),
            "integer": _("a whole number"),
            "float": _("a number"),
            "monetary": _("a number"),
            "date": _("a date from 1900 to 9998 (YYYY-MM-DD)"),
            "datetime": _(
                "a date and time from 1900 to 9998 (YYYY-MM-DD HH:MM:SS, in UTC)"
            ),
            "many2one": _("the id of a record"),
            "one2many": _("a list of commands on records"),
            "many2many": _("a list of commands on records"),
        }.get(field.type, _("a text"))
