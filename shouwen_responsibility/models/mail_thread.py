# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError

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

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if partner_ids and not self.env.su:
            # a follower's name and email are shown to every reader of the
            # record (mail.followers: related fields, read as the superuser)
            self.env["res.partner"].browse(partner_ids)._check_named_by_user()
            if self._name in AUDITED_MODELS and set(partner_ids) - set(
                self._staff_partner_ids(partner_ids)
            ):
                raise UserError(
                    self.env._(
                        "Only staff follow matters and findings: write to a "
                        "customer with the matter's email to the customer."
                    )
                )
        return super().message_subscribe(partner_ids, subtype_ids)

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        if partner_ids and self._name in AUDITED_MODELS:
            # the author of a customer's email or portal message is not
            # subscribed either: a follower's name and email are shown to all
            # who read the record, the customer's only to their matters' staff
            partner_ids = self._staff_partner_ids(partner_ids)
            if not partner_ids:
                return True
        return super()._message_subscribe(partner_ids, subtype_ids, customer_ids)

    def _staff_partner_ids(self, partner_ids):
        """The ids of ``partner_ids`` that are staff's (internal users'): the
        followers an audited record may have, its chatter being the internal
        trail (a customer hears from the matter's own emails and status
        page, not as a follower)."""
        # sudo: whether each partner is a member of staff's (Odoo's own
        # partner_share, which the subscription reads next), nothing shown
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        return partners.filtered(lambda partner: not partner.partner_share).ids

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        partner_ids = kwargs.get("partner_ids")
        # the recipients of a message are shown with it (names, emails)
        self.env["res.partner"].browse(partner_ids or [])._check_named_by_user()
        if (
            partner_ids
            and self._name in AUDITED_MODELS
            and self.env.context.get("mail_post_autofollow")
        ):
            # the composer subscribes the recipients it writes to: the staff
            # among them, not the customer
            staff = self._staff_partner_ids(partner_ids)
            if staff:
                self.message_subscribe(partner_ids=staff)
            self = self.with_context(mail_post_autofollow=False)
        return super().message_post(**kwargs)

    @api.returns("mail.message", lambda value: value.id)
    def message_notify(self, **kwargs):
        partners = self.env["res.partner"].browse(kwargs.get("partner_ids") or [])
        partners._check_named_by_user()
        return super().message_notify(**kwargs)
