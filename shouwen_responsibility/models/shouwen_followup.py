# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL

FOLLOWUP_STEPS = [
    ("response_reminder", "Response reminder"),
    ("closure_reminder_1", "First closure reminder"),
    ("closure_reminder_2", "Second closure reminder"),
    ("escalation", "Escalation"),
    ("urge", "Urging after the deadline"),
    ("own_reminder", "Handler's own deadline: reminder"),
    ("own_overdue", "Handler's own deadline: overdue"),
]


class ShouwenFollowup(models.Model):
    """A follow-up step done on a matter: a reminder or a rung of the ladder,
    for one value of its deadline.  Unique, so that a step happens once even
    when two sweeps run at once or a sweep is restarted."""

    _name = "shouwen.followup"
    _description = "Follow-up step done"
    _order = "date desc, id desc"

    matter_id = fields.Many2one(
        "shouwen.matter", required=True, ondelete="cascade", index=True
    )
    step = fields.Selection(FOLLOWUP_STEPS, required=True)
    rung = fields.Integer(
        default=0,
        required=True,
        help="Escalation: the rung of the ladder (1 = first); the handler's own "
        "deadline: the handover (its id), so that each handover's step is done "
        "once.",
    )
    deadline = fields.Datetime(required=True, help="The deadline it was about.")
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    _sql_constraints = [
        (
            "step_once",
            "unique(matter_id, step, rung, deadline)",
            "This follow-up step was already done.",
        ),
    ]

    def _claim(self, rows):
        """Insert ``rows`` — ``(matter_id, step, rung, deadline)`` — that are
        not done yet and return those inserted by this transaction.  A row
        inserted concurrently by another transaction makes this one wait for
        it, then skip it."""
        if not rows:
            return set()
        self.env.flush_all()
        values = SQL(", ").join(
            SQL("(%s, %s, %s, %s, now() at time zone 'UTC')", *row) for row in rows
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO shouwen_followup (matter_id, step, rung, deadline, date) "
                "VALUES %s ON CONFLICT (matter_id, step, rung, deadline) DO NOTHING "
                "RETURNING matter_id, step, rung, deadline",
                values,
            )
        )
        return {tuple(row) for row in self.env.cr.fetchall()}
