# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError

from .mail_message import AUDITED_MODELS, POSTED_TYPES, check_posters, is_system


class MailScheduledMessage(models.Model):
    """A message scheduled on a matter or a finding is posted later by the
    system in its creator's name: it is checked when scheduled as it would
    be when posted now (who posts, as whom, what kind of message), so that
    the trail is not bent later and the posting cron never stalls on it."""

    _inherit = "mail.scheduled.message"

    @api.constrains("model", "res_id", "author_id", "notification_parameters")
    def _check_shouwen_trail(self):
        if is_system(self.env):
            return
        targets = defaultdict(set)
        # sudo: where each message goes and in whose name, to check them
        for scheduled in self.sudo():
            if scheduled.model not in AUDITED_MODELS:
                continue
            parameters = json.loads(scheduled.notification_parameters or "{}")
            if scheduled.author_id != self.env.user.partner_id:
                raise UserError(
                    self.env._(
                        "A message is posted in your own name: you cannot post it as "
                        "%(author)s.",
                        author=scheduled.author_id.display_name or "-",
                    )
                )
            if parameters.get("email_from"):
                raise UserError(
                    self.env._(
                        "A message is sent from its author's own address, not from "
                        "%(address)s.",
                        address=parameters["email_from"],
                    )
                )
            if parameters.get("message_type", "comment") not in POSTED_TYPES:
                raise UserError(
                    self.env._(
                        "Only the mail gateway records emails; post a message or a "
                        "note."
                    )
                )
            targets[scheduled.model].add(scheduled.res_id)
        if targets:
            check_posters(self.env, targets)
