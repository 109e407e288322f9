# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

#: the PostgreSQL setting that lifts the refusal, for a migration's
#: transaction only (``SET LOCAL``); nothing else of the addon sets it
MAINTENANCE_SETTING = "shouwen.log_maintenance"

#: the trigger function shared by every append-only table
GUARD_FUNCTION = SQL(
    """
    CREATE OR REPLACE FUNCTION shouwen_append_only_guard() RETURNS trigger
    LANGUAGE plpgsql AS $guard$
    BEGIN
        IF coalesce(current_setting(%s, true), '') = 'on' THEN
            IF TG_LEVEL = 'STATEMENT' THEN
                RETURN NULL;
            ELSIF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION USING
            ERRCODE = 'insufficient_privilege',
            MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME
                || ' refused: its rows are append-only';
    END
    $guard$
    """,
    MAINTENANCE_SETTING,
)


class ShouwenAppendOnlyMixin(models.AbstractModel):
    """Records that are written once and never changed nor deleted: the
    responsibility log and the like.

    - the ORM refuses ``write`` and (``shouwen.undeletable.mixin``) ``unlink``
      to everyone but the superuser (even through another user's sudo);
    - the database refuses UPDATE, DELETE and TRUNCATE of the table to
      everyone, the superuser and plain SQL included, unless the transaction
      set ``shouwen.log_maintenance`` (:meth:`_maintenance`, migrations only).
      UPDATE and DELETE are refused row by row: a statement that changes no
      row passes (deleting a user who is in no line: the foreign keys' ``SET
      NULL`` finds nothing to change).  The triggers are (re)installed by
      ``init``, at every install and ``-u``.

    A new stored column with a default, or a stored computed field, fills the
    existing rows by an UPDATE: on such a table it needs a migration script
    that runs inside :meth:`_maintenance`."""

    _name = "shouwen.append.only.mixin"
    _inherit = ["shouwen.undeletable.mixin"]
    _description = "Append-only records"

    def init(self):
        super().init()
        if self._abstract or not self._auto:
            return
        table = SQL.identifier(self._table)
        self.env.cr.execute(GUARD_FUNCTION)
        self.env.cr.execute(
            SQL(
                """
                DROP TRIGGER IF EXISTS shouwen_append_only ON %(table)s;
                CREATE TRIGGER shouwen_append_only
                    BEFORE UPDATE OR DELETE ON %(table)s
                    FOR EACH ROW EXECUTE FUNCTION shouwen_append_only_guard();
                DROP TRIGGER IF EXISTS shouwen_append_only_truncate ON %(table)s;
                CREATE TRIGGER shouwen_append_only_truncate
                    BEFORE TRUNCATE ON %(table)s
                    FOR EACH STATEMENT EXECUTE FUNCTION shouwen_append_only_guard();
                """,
                table=table,
            )
        )

    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            self._raise_append_only()
        return super().write(vals)

    def _raise_undeletable(self):
        self._raise_append_only()

    def _raise_append_only(self):
        raise UserError(
            self.env._(
                "%(records)s are append-only: they cannot be changed or deleted.",
                records=self._description,
            )
        )

    @api.model
    @contextmanager
    def _maintenance(self):
        """Lift the database's refusal for the block, in a savepoint, for the
        superuser only: what a data migration that must correct rows runs
        in.  An error inside rolls the block back, the setting with it."""
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(
                self.env._("Only a data migration may change append-only records.")
            )
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(SQL("SELECT current_setting(%s, true)", MAINTENANCE_SETTING))
        before = cr.fetchone()[0] or "off"
        with cr.savepoint(flush=False):
            cr.execute(SQL("SELECT set_config(%s, 'on', true)", MAINTENANCE_SETTING))
            yield
            self.env.flush_all()
            cr.execute(
                SQL("SELECT set_config(%s, %s, true)", MAINTENANCE_SETTING, before)
            )
