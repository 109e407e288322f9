# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import models

from ..tools.ambient import system_writes
from .mail_message import AUDITED_MODELS


class MailActivity(models.Model):
    """The to-dos of the audited records (reminders, 催办, approvals …) are
    part of their follow-up: only the activity's own user, those who act on
    the record (its writers in scope, a finding's deciders) and the system
    mark them done, edit or delete them; those who may post on the record
    schedule them."""

    _inherit = "mail.activity"

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not self or operation == "read":
            return result
        refused = result[0] if result else self.browse()
        by_document = defaultdict(lambda: defaultdict(list))
        # sudo: the document and the assignee of each activity, to decide
        for activity in (self - refused).sudo():
            if activity.res_model in AUDITED_MODELS and activity.res_id:
                if operation != "create" and activity.user_id.id == self.env.uid:
                    continue  # the activity's own user
                by_document[activity.res_model][activity.res_id].append(activity.id)
        forbidden = []
        for model, activity_ids in by_document.items():
            documents = self.env[model].browse(activity_ids).exists()
            allowed = (
                documents._shouwen_posters()
                if operation == "create"
                else documents._shouwen_actors()
            )
            forbidden += [
                activity_id
                for res_id, ids in activity_ids.items()
                if res_id not in allowed.ids
                for activity_id in ids
            ]
        if not forbidden:
            return result
        refused += self.browse(forbidden)
        return refused, lambda: refused._make_access_error(operation)

    def _action_done(self, feedback=False, attachment_ids=None):
        # marking done closes the activity: the caller must be allowed to
        # (its own user, those who act on the record, the system); the
        # message it leaves in the chatter is then the system's consequence
        self.check_access("unlink")
        with system_writes():
            return super()._action_done(
                feedback=feedback, attachment_ids=attachment_ids
            )
