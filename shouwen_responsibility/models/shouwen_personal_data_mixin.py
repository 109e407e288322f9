# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import access, ambient


def clear_field(string, **kwargs):
    """The stored clear value of a personal field: read by the system only
    (``groups="."``: never by a user, whatever their groups; only the
    superuser's code reads it) and never prefetched with the record's other fields, so
    that reading them as the superuser does not put it in the cache that
    users read from."""
    return fields.Char(string=string, groups=".", prefetch=False, copy=False, **kwargs)


def shown_field(string, clear, search, **kwargs):
    """What users read of a personal field: computed for each record from
    the stored clear value ``clear``, clear for those who may see it, masked
    for the others (:class:`ShouwenPersonalDataMixin`).  Each personal field
    is computed on its own: reading one never shows, nor records as shown,
    another."""

    def _compute_personal_field(records):
        records._compute_personal_data(clear)

    return fields.Char(
        string=string,
        compute=_compute_personal_field,
        inverse="_inverse_personal_data",
        search=search,
        depends=[clear],
        depends_context=["uid"],
        readonly=False,
        **kwargs,
    )


class ShouwenPersonalDataMixin(models.AbstractModel):
    """Customers' personal data (phone and ID numbers), guarded at the field.

    Each personal field is a pair: the clear value stored in a field that no
    user may read (:func:`clear_field`), and the field users read, search,
    export and write (:func:`shown_field`), computed for each record from
    :meth:`_personal_data_readable`: clear for those who handle the matter,
    masked for everybody else.  Every way the ORM reads a field (``read``,
    ``web_read``, ``mapped``, ``filtered_domain``, exports, onchange, related
    paths from other models) reads the shown field; the clear one is refused
    to users by Odoo's own field access check, in ``read``, search, grouping,
    sorting and fetching alike.  The clear values are read with SQL, never
    put in the cache for users to find.  Each clear value shown to a person
    is recorded (:class:`ShouwenPersonalView`, 查询留痕)."""

    _name = "shouwen.personal.data.mixin"
    _description = "Personal data guarded per record"

    #: ``{shown field: (clear field, mask, normalise, recorded as)}``: the
    #: last is the field of :class:`ShouwenPersonalView` its views are
    #: recorded as
    _personal_fields = {}

    # ------------------------------------------------------------------
    # hooks of the models
    # ------------------------------------------------------------------

    def _personal_data_domain(self):
        """The domain of the records whose personal data the current user
        may read; ``[]`` for all of them."""
        return [("id", "=", False)]

    def _personal_view_matters(self):
        """``{record id: matter id}``: the matter whose customer's data each
        record of ``self`` holds, for the record of clear views."""
        return {}

    # ------------------------------------------------------------------
    # who may see
    # ------------------------------------------------------------------

    def _personal_data_readable(self):
        """The records of ``self`` whose personal data the current user may
        read in clear."""
        if self.env.su:
            return self
        # asked once while the same records are read (a form asks it for
        # each personal field and for the actions it offers)
        answers = ambient.found_answers(self)
        key = ("personal_data_readable", self._ids)
        if answers is not None and key in answers:
            return self.browse(answers[key])
        domain = self._personal_data_domain()
        readable = self._filtered_by_query(domain) if domain else self
        if answers is not None:
            answers[key] = readable._ids
        return readable

    def _filtered_by_query(self, domain):
        """The records of ``self`` that match ``domain``, as PostgreSQL finds
        them (:func:`~..tools.access.filtered_by_query`)."""
        return access.filtered_by_query(self, domain)

    # ------------------------------------------------------------------
    # the shown fields
    # ------------------------------------------------------------------

    def _personal_clear_values(self, clear_fields=None):
        """``{record id: {clear field: value}}``, from memory for the values
        just written, else read with SQL: the clear values never enter the
        cache, where a user's later read of the clear field would find them
        without Odoo's field access check.  A record being edited in a form
        (a new record) has the values of the record it edits."""
        if clear_fields is None:
            clear_fields = [spec[0] for spec in self._personal_fields.values()]
        origins = {
            record.id: record.id if isinstance(record.id, int) else record._origin.id
            for record in self
        }
        stored = [id_ for id_ in set(origins.values()) if id_]
        rows = {}
        # values already in memory (those just written) are taken from there
        cache = self.env.cache
        columns = [self._fields[fname] for fname in clear_fields]
        for id_ in list(stored):
            record = self.browse(id_)
            if all(cache.contains(record, field) for field in columns):
                rows[id_] = {field.name: cache.get(record, field) for field in columns}
                stored.remove(id_)
        if stored:
            self.browse(stored).flush_recordset(clear_fields)
            for row in self.env.execute_query(
                SQL(
                    "SELECT id, %s FROM %s WHERE id = ANY(%s)",
                    SQL(", ").join(map(SQL.identifier, clear_fields)),
                    SQL.identifier(self._table),
                    stored,
                )
            ):
                rows[row[0]] = dict(zip(clear_fields, row[1:], strict=True))
        return {id_: rows.get(origin, {}) for id_, origin in origins.items()}

    def _compute_personal_data(self, clear):
        """Compute the shown field of the stored field ``clear``."""
        fname, (_clear, mask, _norm, view) = next(
            item for item in self._personal_fields.items() if item[1][0] == clear
        )
        clear_values = self._personal_clear_values([clear])
        readable = self._personal_data_readable()
        # a computed field is reached without Odoo's record access check
        # (``mapped`` on ids the user may not read): there it holds nothing,
        # not even a masked value
        stored = self.filtered(lambda r: isinstance(r.id, int))
        hidden = stored - stored._filtered_access("read")
        shown = []
        for record in self:
            if record in hidden:
                record[fname] = False
                continue
            value = clear_values.get(record.id, {}).get(clear) or False
            visible = record in readable
            record[fname] = value if visible else mask(value)
            if visible and value and isinstance(record.id, int):
                shown.append(record.id)
        if shown and not self.env.su:
            matters = self._personal_view_matters()
            self.env["shouwen.personal.view"]._record(
                [(matters[id_], view) for id_ in shown if matters.get(id_)]
            )

    def _inverse_personal_data(self):
        # the values given to the shown fields are moved to the clear ones
        # by create() and write(); a value that reaches here is written the
        # same way (and checked there)
        for record in self:
            record.write({fname: record[fname] for fname in self._personal_fields})

    def _search_personal(self, fname, operator, value):
        """Search a shown field: on the clear values, among the records whose
        personal data the user may read (the others never match, so that a
        search cannot tell a hidden value)."""
        # whoever may not read the shown field may not search it either
        self.check_field_access_rights("read", [fname])
        clear, _mask, normalise, _view = self._personal_fields[fname]
        if isinstance(value, str) and operator in ("=", "!="):
            value = normalise(value)
        domain = [(clear, operator, value)]
        if self.env.su:
            return domain
        readable = self._personal_data_domain()
        # sudo: the clear values are compared only among the records whose
        # personal data the user may read; the records are returned by ids
        query = (
            self.sudo()
            .with_context(active_test=False)
            ._search(expression.AND([domain, readable]))
        )
        return [("id", "in", query)]

    # ------------------------------------------------------------------
    # writing
    # ------------------------------------------------------------------

    def _personal_vals(self, vals):
        """``vals`` with the shown personal fields moved to the clear ones,
        normalised; a user never gives the clear fields themselves."""
        given = set(vals) & set(self._personal_fields)
        clear_fields = {spec[0] for spec in self._personal_fields.values()}
        if set(vals) & clear_fields and not self.env.su:
            raise UserError(
                self.env._("Write the customer's personal data in its own fields.")
            )
        if not given:
            return vals
        vals = dict(vals)
        for fname in given:
            clear, _mask, normalise, _view = self._personal_fields[fname]
            value = vals.pop(fname)
            vals[clear] = normalise(value) if isinstance(value, str) else value
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._personal_vals(vals) for vals in vals_list])

    def write(self, vals):
        if not set(vals) & set(self._personal_fields):
            return super().write(self._personal_vals(vals))
        if not self.env.su:
            self.check_access("write")
            hidden = self - self._personal_data_readable()
            if hidden:
                raise AccessError(
                    self.env._(
                        "You may not change the customer's personal data of "
                        "%(record)s.",
                        record=hidden[:1].display_name,
                    )
                )
        vals = self._personal_vals(vals)
        clear = {spec[0] for spec in self._personal_fields.values()}
        personal = {fname: vals.pop(fname) for fname in clear if fname in vals}
        result = super().write(vals) if vals else True
        # sudo: the user may change these records' personal data (checked
        # above); the clear fields themselves are the system's
        super(ShouwenPersonalDataMixin, self.sudo()).write(personal)
        return result

    # ------------------------------------------------------------------
    # grouping and sorting: never by a value some users may not see
    # ------------------------------------------------------------------

    def _read_group_groupby(self, groupby_spec, query):
        return super()._read_group_groupby(
            self._personal_aggregation(groupby_spec), query
        )

    def _read_group_select(self, aggregate_spec, query):
        return super()._read_group_select(
            self._personal_aggregation(aggregate_spec), query
        )

    def _personal_aggregation(self, spec):
        """A grouping or aggregate on a personal field: refused to users;
        the superuser's (data protection reports) reads the clear values."""
        fname, sep, rest = spec.partition(":")
        base, dot, path = fname.partition(".")
        if base not in self._personal_fields:
            return spec
        if not self.env.su:
            raise AccessError(
                self.env._("Customer personal data cannot be grouped or aggregated.")
            )
        return self._personal_fields[base][0] + dot + path + sep + rest

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # sorting by a hidden value would reveal it one comparison at a time
        if field_name in self._personal_fields and not self.env.su:
            raise AccessError(
                self.env._("Customer personal data cannot be used to sort.")
            )
        if field_name in self._personal_fields:
            field_name = self._personal_fields[field_name][0]
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
