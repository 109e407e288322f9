# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.ambient import SYSTEM_WRITES

#: what anyone but the superuser may still write on a message of the trail:
#: their own star (the chatter's toggle), nothing of what it says or shows
WRITABLE_FIELDS = frozenset({"starred_partner_ids"})

AUDITED_MODELS = ("shouwen.matter", "shouwen.finding")

#: the kinds of messages a person posts on an audited record; an email is
#: the mail gateway's (the superuser), never a person's
POSTED_TYPES = frozenset(
    {"comment", "notification", "auto_comment", "user_notification"}
)

#: key of the transaction-local set of messages being notified by email (not
#: the context: a client sets the context)
NOTIFYING = "shouwen_responsibility.notifying_message_ids"


def is_system(env):
    """Whether ``env`` writes as the system: the superuser itself (the mail
    gateway, the crons, the online form), or inside :func:`system_writes`."""
    return env.uid == SUPERUSER_ID or SYSTEM_WRITES.get()


def check_posters(env, targets):
    """Refuse unless the user of ``env`` may post on every record of
    ``targets`` (``{model: {res_id, …}}`` of the audited models)."""
    for model, ids in targets.items():
        records = env[model].browse(ids).exists()
        refused = records - records._shouwen_posters()
        if refused:
            raise AccessError(
                env._(
                    "You may read %(record)s but not post on it: its writers, "
                    "its parties and the supervisors in scope post there.",
                    # sudo: the name of a record the user may read, in the refusal
                    record=refused[:1].sudo().display_name,
                )
            )


class MailMessage(models.Model):
    """The chatter of a matter is part of its audit trail: nobody but the
    superuser edits or deletes what was posted there; a message is posted by
    the current user, now, with the tracking values of the ORM only, by those
    who may post on the record."""

    _inherit = "mail.message"

    def _check_audit_trail(self):
        if self.env.uid == SUPERUSER_ID:
            return
        # sudo: only the model of each message is read, to refuse changing it
        if any(message.model in AUDITED_MODELS for message in self.sudo()):
            raise UserError(
                self.env._(
                    "Messages of a matter are part of its record: they cannot be "
                    "changed or deleted."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.uid != SUPERUSER_ID:
            targets = defaultdict(set)
            for vals in vals_list:
                if vals.get("model") in AUDITED_MODELS:
                    self._check_posted_values(vals)
                    if vals.get("res_id"):
                        targets[vals["model"]].add(vals["res_id"])
            # sudo() is the server's own code (tracking, logs, the chatter's
            # controllers after their own checks); a client's create is not
            if targets and not self.env.su and not SYSTEM_WRITES.get():
                check_posters(self.env, targets)
        return super().create(vals_list)

    @api.model
    def _check_posted_values(self, vals):
        """A message of the trail says who posted it, when and what changed:
        by the current user (a customer through the portal: as themselves),
        now, with the tracking values the ORM computed."""
        record = self.env[vals["model"]].browse(vals.get("res_id"))
        author = (
            self.env["res.partner"].browse(vals["author_id"] or [])
            if "author_id" in vals
            else self.env.user.partner_id
        )
        if not author or author not in record._shouwen_authors():
            raise UserError(
                self.env._(
                    "A message is posted in your own name: you cannot post it as "
                    "%(author)s.",
                    # sudo: the name of the partner the caller gave, to refuse it
                    author=author.sudo().exists().display_name or "-",
                )
            )
        if vals.get("author_guest_id"):
            raise UserError(self.env._("A guest cannot post here."))
        email_from = vals.get("email_from")
        # sudo: the author's own address, compared with the one given
        if email_from and email_from != author.sudo().email_formatted:
            raise UserError(
                self.env._(
                    "A message is sent from its author's own address, not from "
                    "%(address)s.",
                    address=email_from,
                )
            )
        if vals.get("date"):
            raise UserError(
                self.env._("A message is dated when it is posted: give no date.")
            )
        if vals.get("tracking_value_ids") and not SYSTEM_WRITES.get():
            raise UserError(
                self.env._(
                    "Tracked changes are recorded by the system when a field "
                    "changes; they cannot be posted."
                )
            )
        if vals.get("message_type", "notification") not in POSTED_TYPES:
            raise UserError(
                self.env._(
                    "Only the mail gateway records emails; post a message or a note."
                )
            )

    def write(self, vals):
        notifying = self.env.cr.precommit.data.get(NOTIFYING, ())
        if set(self.ids) <= set(notifying):
            # mail.mail inherits mail.message: the notification email of a
            # message being posted gives it its subject; not a rewrite
            vals_checked = set(vals) - {"subject"}
        else:
            vals_checked = set(vals)
        if SYSTEM_WRITES.get():
            # a to-do marked done hands its files to the message it leaves
            vals_checked -= {"attachment_ids"}
        if vals_checked - WRITABLE_FIELDS:
            self._check_audit_trail()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_trail(self):
        self._check_audit_trail()

    def _get_forbidden_access(self, operation):
        """A customer reads of a matter's chatter only what was sent to them:
        Odoo hides internal messages from portal users for comments only, so
        that an internal note posted as a notification (the addon's notes,
        urgings, activity feedback) would be readable by its id."""
        forbidden = super()._get_forbidden_access(operation)
        if self.env.user._is_internal() or self.env.su:
            return forbidden
        rest = self - forbidden
        if not rest:
            return forbidden
        rows = self.env.execute_query(
            SQL(
                """SELECT message.id
                     FROM mail_message AS message
                LEFT JOIN mail_message_subtype AS subtype
                       ON message.subtype_id = subtype.id
                    WHERE message.id = ANY(%s)
                      AND message.model IN %s
                      AND message.author_id IS DISTINCT FROM %s
                      AND (message.is_internal IS TRUE
                           OR message.subtype_id IS NULL
                           OR subtype.internal IS TRUE)""",
                rest.ids,
                AUDITED_MODELS,
                self.env.user.partner_id.id,
            )
        )
        return forbidden + self.browse(id_ for (id_,) in rows)
