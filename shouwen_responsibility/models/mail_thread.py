# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from ..tools.ambient import system_writes
from .mail_message import AUDITED_MODELS


class MailThread(models.AbstractModel):
    """The chatter of the audited records (matters, findings): the tracking
    values of a change are the ORM's own, written by the system."""

    _inherit = "mail.thread"

    def _message_track(self, fields_iter, initial_values_dict):
        if self._name not in AUDITED_MODELS:
            return super()._message_track(fields_iter, initial_values_dict)
        # the changes were made by a write the rules allowed; their tracking
        # is the only way tracking values reach the trail
        with system_writes():
            return super()._message_track(fields_iter, initial_values_dict)

    def _thread_to_store(self, store, /, *, fields=None, request_list=None):
        result = super()._thread_to_store(
            store, fields=fields, request_list=request_list
        )
        if request_list and self._name in AUDITED_MODELS:
            # the composer is shown to those who may post, not to every reader
            posters = self._shouwen_posters()
            for thread in self:
                store.add(
                    thread, {"canPostOnReadonly": thread in posters}, as_thread=True
                )
        return result
