# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import functools
import logging
import re
import sys
import threading

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

VIEW_FIELDS = [
    ("customer_phone", "Customer phone"),
    ("customer_id_number", "Customer ID number"),
    ("representative_phone", "Representative phone"),
]

CHANNELS = [
    ("web", "Web client"),
    ("export", "Export"),
    ("rpc", "External RPC"),
    ("phone_api", "Phone-centre API"),
    ("report", "Printed report"),
    ("other", "Other"),
]

#: key of the views waiting for the end of the transaction
PENDING = "shouwen_responsibility.personal_views"

#: the web client's calls of the ORM
CALL_KW = re.compile(r"^/web/dataset/call_(kw|button)\b")


def _called_method():
    """The ORM method a client called (``odoo.api.call_kw``'s ``name``), if
    the current code runs inside such a call."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "call_kw" and frame.f_globals.get("__name__") == "odoo.api":
            return frame.f_locals.get("name")
        frame = frame.f_back
    return None


def _request_channel():
    """``(channel, what)`` of the current request: where the values are
    shown, and the route or the ORM method that showed them."""
    method = _called_method()
    if not request:
        # Odoo serves XML-RPC and JSON-RPC (/xmlrpc, /jsonrpc) outside of an
        # HTTP request object; a cron or a shell has no user thread
        if getattr(threading.current_thread(), "uid", None):
            return ("export" if method == "export_data" else "rpc"), method
        return "other", method
    path = request.httprequest.path or ""
    if path.startswith("/web/export/"):
        return "export", path
    if path.startswith("/report/"):
        return "report", path
    if path.startswith("/shouwen/api/"):
        return "phone_api", path
    if CALL_KW.match(path):
        return ("export" if method == "export_data" else "web"), method or path
    return "other", path[:200]


def _write_views(registry, pending):
    """Write the views kept by :meth:`ShouwenPersonalView._record`, after
    the read's transaction, in a new one on the primary database (the read's
    own may be read-only, or on a replica)."""
    rows = [
        (uid, matter_id, field, date, channel, method)
        for (uid, matter_id, field), (date, channel, method) in pending.items()
    ]
    pending.clear()
    if not rows:
        return
    try:
        with registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["shouwen.personal.view"]._insert(rows)
    except Exception:
        # the values were shown: losing their record must be visible
        _logger.exception("Could not record %s personal data views", len(rows))


class ShouwenPersonalView(models.Model):
    """Who was shown which customer's personal data (查询留痕): one line each
    time a person is shown a clear phone or ID number of a matter, through
    whatever way (form, export, RPC, the phone API, a report).  Written by
    the system after the read, in a transaction of its own, so that a read
    never writes (it may run on a read-only cursor or a replica); never
    changed or deleted (``shouwen.append.only.mixin``: not even in the
    database)."""

    _name = "shouwen.personal.view"
    _inherit = ["shouwen.append.only.mixin"]
    _description = "Personal data view"
    _order = "date desc, id desc"
    _log_access = False

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Viewed by", required=True, readonly=True, index=True
    )
    matter_id = fields.Many2one(
        "shouwen.matter", required=True, readonly=True, index=True, ondelete="restrict"
    )
    field = fields.Selection(VIEW_FIELDS, string="Data", required=True, readonly=True)
    channel = fields.Selection(
        CHANNELS, string="Shown in", required=True, readonly=True
    )
    method = fields.Char(
        string="Route or method",
        readonly=True,
        help="The route or the ORM method that showed it.",
    )
    unit_id = fields.Many2one(
        related="matter_id.unit_id", string="Unit", store=False, readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "The record of who viewed personal data is written by the system."
                )
            )
        return super().create(vals_list)

    @api.model
    def _record(self, views):
        """Record that the current user is being shown the clear values
        ``[(matter id, field), …]``.  Kept until the end of the transaction,
        each once, and written after it by a transaction of their own: the
        read itself never writes, and a read that fails records nothing."""
        if not views or self.env.su:
            return
        data = self.env.cr.postcommit.data
        pending = data.get(PENDING)
        if pending is None:
            pending = data[PENDING] = {}
            self.env.cr.postcommit.add(
                functools.partial(_write_views, self.env.registry, pending)
            )
        channel, method = _request_channel()
        now = fields.Datetime.now()
        for matter_id, field in views:
            pending.setdefault(
                (self.env.uid, matter_id, field), (now, channel, method or None)
            )

    def _insert(self, rows):
        columns = ("user_id", "matter_id", "field", "date", "channel", "method")
        types = ("int4", "int4", "varchar", "timestamp", "varchar", "varchar")
        self.env.cr.execute(
            SQL(
                "INSERT INTO shouwen_personal_view (%s) SELECT * FROM unnest(%s)",
                SQL(", ").join(map(SQL.identifier, columns)),
                SQL(", ").join(
                    SQL(f"%s::{column_type}[]", [row[index] for row in rows])
                    for index, column_type in enumerate(types)
                ),
            )
        )
