# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""*Verify the trail*: an inspector checks the hash chains of the
responsibility log of one matter, of a unit and the units below it, or of the
whole database, and reads what is broken where."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import trail

#: log lines read per query (the whole database is streamed in batches)
VERIFY_BATCH = 10_000
#: broken chains listed in a report (all are counted)
MAX_ISSUES = 500


class ShouwenTrailVerify(models.TransientModel):
    _name = "shouwen.trail.verify"
    _description = "Verify the trail"

    scope = fields.Selection(
        [
            ("matter", "One matter"),
            ("unit", "A unit and the units below it"),
            ("all", "The whole database"),
        ],
        required=True,
        default="all",
    )
    matter_id = fields.Many2one("shouwen.matter")
    unit_id = fields.Many2one("shouwen.unit")
    anchor_line_id = fields.Integer(
        string="Recorded at line",
        help="The last line of an earlier verification of the same scope, "
        "recorded outside the system with its fingerprint.",
    )
    anchor_fingerprint = fields.Char(
        string="Recorded fingerprint",
        help="The fingerprint that earlier verification gave: the chains' "
        "heads as of that line must give it again.",
    )
    state = fields.Selection(
        [("draft", "To verify"), ("done", "Verified")],
        default="draft",
        required=True,
    )
    keyed = fields.Boolean(
        string="Keyed chain",
        readonly=True,
        help="The server has the key of the chain (option shouwen_trail_key "
        "of its configuration file): whoever holds only the database cannot "
        "compute a line's hash.",
    )
    line_count = fields.Integer(string="Lines checked", readonly=True)
    matter_count = fields.Integer(string="Matters checked", readonly=True)
    broken_count = fields.Integer(string="Broken chains", readonly=True)
    unkeyed_count = fields.Integer(
        string="Lines hashed without the key",
        readonly=True,
        help="Lines written before the server had its key: their chain holds, "
        "but whoever can write the database could have recomputed it.",
    )
    last_line_id = fields.Integer(string="Last line", readonly=True)
    fingerprint = fields.Char(
        readonly=True,
        help="Digest of the last line of every chain in the scope. Record it "
        "outside the system with the number of the last line: a later "
        "verification given both shows whether anything up to that line was "
        "rewritten or cut off since.",
    )
    anchor_result = fields.Selection(
        [("match", "Matches"), ("mismatch", "Does not match")],
        string="Recorded fingerprint check",
        readonly=True,
    )
    issue_ids = fields.One2many(
        "shouwen.trail.verify.issue", "verify_id", string="First broken lines"
    )

    def action_verify(self):
        """Check the chains of the scope, reading the log through the user's
        own record rules, and show the report."""
        self.ensure_one()
        self.check_access("write")
        if self.scope == "matter" and not self.matter_id:
            raise UserError(self.env._("Choose the matter to verify."))
        if self.scope == "unit" and not self.unit_id:
            raise UserError(self.env._("Choose the unit to verify."))
        if bool(self.anchor_line_id) != bool(self.anchor_fingerprint):
            raise UserError(
                self.env._(
                    "Give both the line and the fingerprint recorded then, or neither."
                )
            )
        checker = self._check(self._matter_domain())
        problems = checker.problems
        self.write(
            {
                "state": "done",
                "keyed": bool(checker.key),
                "line_count": checker.lines,
                "matter_count": checker.matters,
                "broken_count": len(problems),
                "unkeyed_count": checker.unkeyed,
                "last_line_id": checker.last_line_id,
                "fingerprint": checker.fingerprint,
                "anchor_result": self.anchor_fingerprint
                and (
                    "match"
                    if checker.fingerprint_as_of == self.anchor_fingerprint.strip()
                    else "mismatch"
                ),
                "issue_ids": [
                    fields.Command.create(
                        {
                            "matter_id": matter_id,
                            "line_id": line_id,
                            "line_number": line_id,
                            "problem": problem,
                        }
                    )
                    for matter_id, line_id, problem in (
                        problems + checker.unkeyed_chains
                    )[:MAX_ISSUES]
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Verify the trail"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _matter_domain(self):
        if self.scope == "matter":
            return [("id", "=", self.matter_id.id)]
        if self.scope == "unit":
            return [("unit_id", "child_of", self.unit_id.id)]
        return []

    def _check(self, matter_domain):
        """A :class:`trail.Checker` fed with every line of the matters of
        ``matter_domain`` that the user may read, streamed in (matter, line)
        order, then with the matters that have no line."""
        Log = self.env["shouwen.matter.log"].with_context(active_test=False)
        Matter = self.env["shouwen.matter"].with_context(active_test=False)
        log_domain = [("matter_id", "any", matter_domain)] if matter_domain else []
        checker = trail.Checker(key=Log._trail_key(), as_of=self.anchor_line_id or None)
        names = ("id", "prev_hash", "line_hash", *trail.CONTENT)
        position = (0, 0)
        while True:
            # the user's own record rules apply to what is read
            query = Log._search(log_domain)
            matter_col = SQL.identifier(query.table, "matter_id")
            id_col = SQL.identifier(query.table, "id")
            query.add_where(SQL("(%s, %s) > %s", matter_col, id_col, position))
            query.order = SQL("%s, %s", matter_col, id_col)
            query.limit = VERIFY_BATCH
            self.env.cr.execute(
                query.select(*(SQL.identifier(query.table, name) for name in names))
            )
            rows = self.env.cr.fetchall()
            for row in rows:
                checker.feed(dict(zip(names, row, strict=True)))
            if len(rows) < VERIFY_BATCH:
                break
            position = (rows[-1][names.index("matter_id")], rows[-1][0])
        checker.close()
        for matter_id in Matter._search([*matter_domain, ("log_ids", "=", False)]):
            checker.empty(matter_id)
        return checker


class ShouwenTrailVerifyIssue(models.TransientModel):
    _name = "shouwen.trail.verify.issue"
    _description = "Broken chain found by a verification"
    _order = "matter_id, id"

    verify_id = fields.Many2one(
        "shouwen.trail.verify", required=True, ondelete="cascade", index=True
    )
    matter_id = fields.Many2one("shouwen.matter", readonly=True)
    line_id = fields.Many2one(
        "shouwen.matter.log", string="First broken line", readonly=True
    )
    line_number = fields.Integer(string="Line number", readonly=True)
    line_date = fields.Datetime(related="line_id.date", string="Date")
    line_action = fields.Selection(related="line_id.action", string="Action")
    problem = fields.Selection(
        [*trail.PROBLEMS, trail.UNKEYED], required=True, readonly=True
    )
