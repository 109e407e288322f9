# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from ..tools.ambient import system_writes
from .mail_message import AUDITED_MODELS


class MailThread(models.AbstractModel):
    """The chatter of the audited records (matters, findings): the tracking
    values of a change are the ORM's own, written by the system."""

    _inherit = "mail.thread"

    def _fallback_lang(self):
        # what the system writes on the addon's records (crons, rules, the
        # mail gateway, the tracking of a module's install) is in the
        # insurer's language, not in the system user's (OdooBot's: English)
        if (
            self._name.startswith("shouwen.")
            and not self.env.context.get("lang")
            and self.env.user._is_superuser()
        ):
            return self.with_context(lang=self.env.company._shouwen_lang())
        return super()._fallback_lang()

    def _message_track(self, fields_iter, initial_values_dict):
        # the labels of tracked choices are stored in the language of the
        # change's author (the insurer's for the system's changes)
        self = self._fallback_lang()
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
