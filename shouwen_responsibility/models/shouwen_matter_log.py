# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, config, create_index, split_every

from ..tools import trail
from ..tools.workflow import STATES

_logger = logging.getLogger(__name__)

#: the option of the Odoo server's configuration file that keys the chain
KEY_OPTION = "shouwen_trail_key"

#: matters chained again per query by :meth:`ShouwenMatterLog._rechain`
RECHAIN_BATCH = 2000

LOG_ACTIONS = [
    ("register", "Registered"),
    ("handle", "Handled directly"),
    ("guide", "Guided"),
    ("accept", "Accepted"),
    ("return", "Returned"),
    ("coordinate", "Part given"),
    ("part_done", "Part done"),
    ("part_cancel", "Part closed"),
    ("parts_done", "All parts done"),
    ("notify_materials", "Missing materials told"),
    ("answer", "Answered"),
    ("close", "Closed"),
    ("reopen", "Reopened"),
    ("resume_clock", "Clock resumed"),
    ("request_extension", "Extension requested"),
    ("approve_extension", "Extension approved"),
    ("refuse_extension", "Extension refused"),
    ("escalate", "Escalated (overdue)"),
    ("propose_assignment", "Handler proposed"),
    ("approval_granted", "Assignment approved"),
    ("approval_rejected", "Assignment rejected"),
    ("sign", "Signed for"),
    ("submit_reply", "Reply submitted"),
    ("review_accept", "Reply accepted"),
    ("review_send_back", "Reply sent back"),
    ("tell_complainant", "Complainant told"),
    ("callback", "Callback"),
    ("withdraw", "Withdrawn"),
    ("sign_alert", "Not signed for: alerted"),
    ("own_overdue", "Handler's own deadline passed: alerted"),
    ("dispute_return", "Return disputed"),
    ("decide_return", "Disputed return decided"),
    ("urge", "Urged"),
    ("supervise", "Supervised one level up"),
    ("approve_closure", "Closure approved"),
    ("reclassify", "Reclassified"),
    ("status_link", "Status link made for the customer"),
]


#: the columns of a line its action gives, with their types (see ``_append``)
APPENDED = {
    "matter_id": "int4",
    "action": "varchar",
    "user_id": "int4",
    "from_user_id": "int4",
    "to_user_id": "int4",
    "reason": "text",
    "state_from": "varchar",
    "state_to": "varchar",
}


class ShouwenMatterLog(models.Model):
    """The responsibility log: one line for every change of responsibility or
    handling.  Append-only (see the mixin): written by the matter's own
    methods through :meth:`_append`, never edited nor deleted.

    Tamper-evident: each line carries the hash of the previous line of its
    matter and its own hash over its content and that previous hash
    (:mod:`..tools.trail`), keyed with the server's ``shouwen_trail_key``
    when it has one.  *Verify the trail* (``shouwen.trail.verify``) checks the
    chains."""

    _name = "shouwen.matter.log"
    _inherit = ["shouwen.append.only.mixin"]
    _description = "Responsibility log line"
    _order = "date desc, id desc"
    _log_access = True

    matter_id = fields.Many2one(
        "shouwen.matter", required=True, ondelete="restrict", readonly=True
    )
    action = fields.Selection(LOG_ACTIONS, required=True, readonly=True)
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one("res.users", string="By", required=True, readonly=True)
    from_user_id = fields.Many2one("res.users", string="From", readonly=True)
    to_user_id = fields.Many2one("res.users", string="To", readonly=True)
    state_from = fields.Selection(STATES, readonly=True)
    state_to = fields.Selection(STATES, readonly=True)
    reason = fields.Text(readonly=True)
    unit_id = fields.Many2one(
        related="matter_id.unit_id", string="Unit", store=False, readonly=True
    )
    prev_hash = fields.Char(
        string="Previous line's hash",
        readonly=True,
        help="The hash of the line before this one in the matter's log.",
    )
    line_hash = fields.Char(
        string="Hash",
        readonly=True,
        help="Covers the line's content and the previous line's hash: a line "
        "changed, removed or inserted afterwards breaks the chain.",
    )

    def init(self):
        # the chain of a matter, read in order (and the matter's lines)
        create_index(
            self.env.cr,
            "shouwen_matter_log_chain_index",
            self._table,
            ["matter_id", "id"],
        )
        self._chain_existing_lines()
        return super().init()

    def _register_hook(self):
        super()._register_hook()
        if not self._trail_key():
            _logger.warning(
                "The option %s is not set in the server's configuration file: "
                "the responsibility log is chained with a plain SHA-256, which "
                "whoever can write the database can recompute.",
                KEY_OPTION,
            )

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        # appended as every line is, chained; never through the ORM's create
        if not self.env.su:
            raise UserError(
                self.env._("Log lines are written by the matter's own actions only.")
            )
        return self._append(vals_list)

    @api.model
    def _trail_key(self):
        """The key of the chain's HMAC, from the server's configuration file
        (never from the database); ``None`` without one."""
        key = config.get(KEY_OPTION)
        return key.encode() if key and isinstance(key, str) else None

    @api.model
    def _append(self, vals_list):
        """Append lines to the log in one INSERT: the matters' own actions
        call it for every change, registration for thousands of matters at a
        time.  Each dict gives ``matter_id``, ``action`` and ``user_id``, and
        may give the other :data:`APPENDED` columns; the ORM's per-record work
        of a create (defaults, cache, inverse fields) has nothing to do for
        these plain, append-only lines.  Each line is chained to the last
        line of its matter (one query that locks the matters' chains and
        reads their heads).  Returns the new lines."""
        if not vals_list:
            return self.browse()
        choices = {
            fname: dict(self._fields[fname].selection)
            for fname in ("action", "state_from", "state_to")
        }
        for vals in vals_list:
            if (
                set(vals) - set(APPENDED)
                or not all(vals.get(f) for f in ("matter_id", "action", "user_id"))
                or any(
                    vals.get(fname) and vals[fname] not in values
                    for fname, values in choices.items()
                )
            ):
                raise ValueError(f"Not a log line: {vals}")
        date = fields.Datetime.now()
        heads = self._lock_chains({vals["matter_id"] for vals in vals_list})
        sealed = trail.seal(
            [dict(vals, date=date) for vals in vals_list], heads, self._trail_key()
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO shouwen_matter_log (%(columns)s, prev_hash, line_hash,
                                                date, create_uid, create_date,
                                                write_uid, write_date)
                SELECT %(values)s, line.prev_hash, line.line_hash,
                       %(date)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(arrays)s, %(prevs)s::varchar[], %(hashes)s::varchar[])
                       WITH ORDINALITY
                       AS line(%(columns)s, prev_hash, line_hash, position)
              ORDER BY line.position
             RETURNING id
                """,
                columns=SQL(", ").join(map(SQL.identifier, APPENDED)),
                values=SQL(", ").join(
                    SQL.identifier("line", fname) for fname in APPENDED
                ),
                arrays=SQL(", ").join(
                    SQL(
                        f"%s::{column_type}[]",
                        [vals.get(fname) or None for vals in vals_list],
                    )
                    for fname, column_type in APPENDED.items()
                ),
                prevs=[prev_hash for prev_hash, _line_hash in sealed],
                hashes=[line_hash for _prev_hash, line_hash in sealed],
                date=date,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        lines = self.browse(row[0] for row in self.env.cr.fetchall())
        # the matters' lists of lines are read again when asked for
        self.env["shouwen.matter"].browse(
            {vals["matter_id"] for vals in vals_list}
        ).invalidate_recordset(["log_ids"])
        return lines

    @api.model
    def _lock_chains(self, matter_ids):
        """Lock the chains of ``matter_ids`` for this transaction and return
        ``{matter_id: hash of its last line}`` of those that have lines.

        Odoo's transactions are REPEATABLE READ: a line another transaction
        committed after this one began is invisible here, whatever the lock.
        So the rows of the matters that have lines are updated (to the same
        values): a transaction that appended to the same matter and
        committed meanwhile makes this UPDATE fail with a serialization
        error, and the request is retried from the start, where it sees that
        line; one still running makes it wait for its end.  A matter without
        lines is one this transaction registers: nobody else appends to it.
        The rows are locked in id order first, so that two batches do not
        deadlock."""
        self.env.cr.execute(
            SQL(
                """
                WITH chains AS (
                    SELECT m.id FROM shouwen_matter m
                     WHERE m.id = ANY(%(ids)s)
                       AND EXISTS (SELECT FROM shouwen_matter_log l
                                    WHERE l.matter_id = m.id)
                     ORDER BY m.id
                       FOR NO KEY UPDATE
                ), locked AS (
                    UPDATE shouwen_matter m SET id = m.id
                      FROM chains WHERE m.id = chains.id
                 RETURNING m.id
                )
                SELECT DISTINCT ON (l.matter_id) l.matter_id, l.line_hash
                  FROM shouwen_matter_log l JOIN locked ON locked.id = l.matter_id
              ORDER BY l.matter_id, l.id DESC
                """,
                ids=sorted(matter_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _chain_existing_lines(self):
        """Chain once the lines written before the log was chained (a
        database upgraded to this version): when no line has a hash yet.
        Afterwards a line without a hash is reported by the verification,
        never chained behind the inspectors' back."""
        cr = self.env.cr
        cr.execute(
            "SELECT EXISTS (SELECT FROM shouwen_matter_log), "
            "EXISTS (SELECT FROM shouwen_matter_log WHERE line_hash IS NOT NULL)"
        )
        has_lines, chained = cr.fetchone()
        if not has_lines or chained:
            return
        _logger.warning(
            "Chaining the responsibility log lines written before this version: "
            "the chain vouches for them from now on, not for what they were before."
        )
        with self.env(user=SUPERUSER_ID)[self._name]._maintenance():
            self._rechain()

    @api.model
    def _rechain(self, matter_ids=None):
        """Compute the chain of ``matter_ids`` (every matter by default) again
        from their lines as they are, in id order, in batches of matters.
        Only inside :meth:`_maintenance`: a data migration that had to
        correct lines, or the first chaining."""
        cr = self.env.cr
        self.env.flush_all()
        if matter_ids is None:
            cr.execute("SELECT DISTINCT matter_id FROM shouwen_matter_log")
            matter_ids = [row[0] for row in cr.fetchall()]
        key = self._trail_key()
        columns = SQL(", ").join(map(SQL.identifier, ("id", *trail.CONTENT)))
        for batch in split_every(RECHAIN_BATCH, sorted(matter_ids), list):
            cr.execute(
                SQL(
                    "SELECT %s FROM shouwen_matter_log WHERE matter_id = ANY(%s) "
                    "ORDER BY matter_id, id",
                    columns,
                    batch,
                )
            )
            rows = cr.dictfetchall()
            sealed = trail.seal(rows, {}, key)
            cr.execute(
                SQL(
                    """
                    UPDATE shouwen_matter_log l
                       SET prev_hash = v.prev_hash, line_hash = v.line_hash
                      FROM unnest(%s::int4[], %s::varchar[], %s::varchar[])
                           AS v(id, prev_hash, line_hash)
                     WHERE l.id = v.id
                    """,
                    [row["id"] for row in rows],
                    [prev_hash for prev_hash, _line_hash in sealed],
                    [line_hash for _prev_hash, line_hash in sealed],
                )
            )
        self.invalidate_model(["prev_hash", "line_hash"])

    @api.model
    def _correct(self, values_by_line):
        """Write corrected values on lines (``{line_id: vals}``) and chain
        their matters again: what a data migration (or the demo, dating its
        scenario) does, as the superuser, inside :meth:`_maintenance`.  The
        old hashes are gone: only an anchor recorded outside the database
        (the fingerprint of a verification) shows that it happened."""
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(
                self.env._("Only a data migration may correct log lines.")
            )
        lines = self.browse(values_by_line)
        with self._maintenance():
            for line in lines:
                line.write(values_by_line[line.id])
            self._rechain(lines.matter_id.ids)

    def _raise_append_only(self):
        raise UserError(
            self.env._(
                "The responsibility log cannot be changed or deleted: it is the "
                "record of who was accountable when."
            )
        )
