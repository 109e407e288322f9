# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import personal_data


def _lock_key(kind, value):
    """The advisory lock (a signed 64-bit integer) of one address or phone."""
    digest = hashlib.sha256(f"shouwen.online.attempt:{kind}:{value}".encode())
    return int.from_bytes(digest.digest()[:8], "big", signed=True)


class ShouwenOnlineAttempt(models.Model):
    """One submission of the public online form, kept for the sliding window of
    the rate limits (per IP address, per phone number).  The phone number is
    kept only as a keyed hash; old attempts are vacuumed."""

    _name = "shouwen.online.attempt"
    _description = "Online form submission attempt"
    _order = "attempt_date desc, id desc"
    _log_access = False

    attempt_date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True
    )
    ip_address = fields.Char(string="IP address", index=True, readonly=True)
    phone_key = fields.Char(
        index="btree_not_null",
        readonly=True,
        help="Keyed hash of the phone number given: counts submissions per "
        "phone without keeping the number.",
    )

    @api.model
    def _param(self, key):
        return self.env["ir.config_parameter"]._shouwen_threshold(key)

    @api.model
    def _phone_key(self, phone):
        phone = personal_data.normalize_phone((phone or "").strip())
        if not phone:
            return False
        # sudo: the database secret keys the hash; it is never returned
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(
            (secret or "").encode(),
            phone.encode("utf-8", "surrogatepass"),
            hashlib.sha256,
        ).hexdigest()

    @api.model
    def _register_attempt(self, ip_address, phone):
        """Record one submission from ``ip_address`` with ``phone`` and say
        which limit it exceeds within the sliding window: ``"ip"``,
        ``"phone"`` or ``None``.  Refused attempts count as well, so that a
        flood keeps itself blocked.

        The count and the record are a short transaction of their own,
        committed at once, whatever becomes of the request: it waits for the
        submissions of the same address and phone being counted (a lock on
        each), then counts from the latest committed state (READ COMMITTED;
        the request's own snapshot would not see the submissions committed
        while it waited)."""
        phone_key = self._phone_key(phone)
        keys = sorted(
            {_lock_key("ip", ip_address)}
            | ({_lock_key("phone", phone_key)} if phone_key else set())
        )
        if self.env.registry.in_test_mode():
            # the test's own transaction: nothing runs beside it
            return self._count_and_record(keys, ip_address, phone_key)
        with self.env.registry.cursor() as cr:
            cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
            # the visitor is anonymous: the counts are the system's own
            return self.with_env(self.env(cr=cr, su=True))._count_and_record(
                keys, ip_address, phone_key
            )

    @api.model
    def _count_and_record(self, keys, ip_address, phone_key):
        for key in keys:
            # in one order for all, so that two submissions never wait on
            # each other
            self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", key))
        since = fields.Datetime.now() - timedelta(
            minutes=self._param("online_window_minutes")
        )
        # sudo: the visitor is anonymous, the counts are the system's own
        Attempt = self.sudo()
        ip_count = Attempt.search_count(
            [("ip_address", "=", ip_address), ("attempt_date", ">", since)]
        )
        phone_count = (
            Attempt.search_count(
                [("phone_key", "=", phone_key), ("attempt_date", ">", since)]
            )
            if phone_key
            else 0
        )
        Attempt.create({"ip_address": ip_address, "phone_key": phone_key})
        if ip_count >= self._param("online_limit_ip"):
            return "ip"
        if phone_key and phone_count >= self._param("online_limit_phone"):
            return "phone"
        return None

    @api.autovacuum
    def _gc_old_attempts(self):
        """Forget attempts older than a day, or than the window if longer."""
        minutes = max(self._param("online_window_minutes"), 24 * 60)
        since = fields.Datetime.now() - timedelta(minutes=minutes)
        # sudo: the rate limiter forgets its own old attempts
        self.sudo().search([("attempt_date", "<", since)]).unlink()
