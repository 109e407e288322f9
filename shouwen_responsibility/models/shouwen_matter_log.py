# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.workflow import STATES

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
    handling.  Append-only: written by the matter's own methods, never edited
    nor deleted except by the superuser."""

    _name = "shouwen.matter.log"
    _description = "Responsibility log line"
    _order = "date desc, id desc"
    _log_access = True

    matter_id = fields.Many2one(
        "shouwen.matter", required=True, index=True, ondelete="restrict", readonly=True
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

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Log lines are written by the matter's own actions only.")
            )
        return super().create(vals_list)

    @api.model
    def _append(self, vals_list):
        """Append lines to the log in one INSERT: the matters' own actions
        call it for every change, registration for thousands of matters at a
        time.  Each dict gives ``matter_id``, ``action`` and ``user_id``, and
        may give the other :data:`APPENDED` columns; the ORM's per-record work
        of a create (defaults, cache, inverse fields) has nothing to do for
        these plain, append-only lines.  Returns the new lines."""
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
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO shouwen_matter_log (%(columns)s, date, create_uid,
                                                create_date, write_uid, write_date)
                SELECT line.*, %(date)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(arrays)s) AS line
             RETURNING id
                """,
                columns=SQL(", ").join(map(SQL.identifier, APPENDED)),
                arrays=SQL(", ").join(
                    SQL(
                        f"%s::{column_type}[]",
                        [vals.get(fname) or None for vals in vals_list],
                    )
                    for fname, column_type in APPENDED.items()
                ),
                date=fields.Datetime.now(),
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

    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            self._raise_immutable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self.env.uid != SUPERUSER_ID:
            self._raise_immutable()

    def _raise_immutable(self):
        raise UserError(
            self.env._(
                "The responsibility log cannot be changed or deleted: it is the "
                "record of who was accountable when."
            )
        )
