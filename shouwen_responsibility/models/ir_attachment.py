# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import MissingError, UserError
from odoo.tools import SQL

from .mail_message import AUDITED_MODELS, check_posters, is_system


class IrAttachment(models.Model):
    """Evidence: the files of the audited records (matters, findings) and of
    their messages — those posted in the chatter, those a customer uploaded
    with the online form — are append-only outside the superuser.  Nobody
    replaces their content, renames, moves or deletes them (not even in the
    superuser mode of another user); a correction is a new attachment, added
    by someone who may post on the record."""

    _inherit = "ir.attachment"

    def _shouwen_evidence(self):
        """The attachments of ``self`` that are evidence of an audited
        record: attached to it, or to one of its messages."""
        if not self.ids:
            return self.browse()
        self.flush_recordset(["res_model", "res_id"])
        self.env["mail.message"].flush_model(["model", "attachment_ids"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT a.id FROM ir_attachment a
                 WHERE a.id = ANY(%(ids)s)
                   AND (a.res_model = ANY(%(audited)s)
                        OR (a.res_model = 'mail.message' AND a.res_id IN (
                            SELECT m.id FROM mail_message m
                             WHERE m.model = ANY(%(audited)s)))
                        OR EXISTS (
                            SELECT 1 FROM message_attachment_rel rel
                              JOIN mail_message m ON m.id = rel.message_id
                             WHERE rel.attachment_id = a.id
                               AND m.model = ANY(%(audited)s)))
                """,
                ids=list(self.ids),
                audited=list(AUDITED_MODELS),
            )
        )
        return self.browse(id_ for (id_,) in rows)

    @api.model
    def _shouwen_check_attach(self, places):
        """Refuse to attach files to ``places`` (``[(res_model, res_id)]``)
        of audited records, or of their messages, unless the current user may
        post on the record."""
        targets = defaultdict(set)
        message_ids = set()
        for res_model, res_id in places:
            if not res_id:
                continue
            if res_model in AUDITED_MODELS:
                targets[res_model].add(res_id)
            elif res_model == "mail.message":
                message_ids.add(res_id)
        # sudo: the record each message is about, to ask who may post there
        for message in self.env["mail.message"].sudo().browse(message_ids).exists():
            if message.model in AUDITED_MODELS and message.res_id:
                targets[message.model].add(message.res_id)
        if targets:
            check_posters(self.env, targets)

    @api.model_create_multi
    def create(self, vals_list):
        if not is_system(self.env):
            self._shouwen_check_attach(
                [(vals.get("res_model"), vals.get("res_id")) for vals in vals_list]
            )
        return super().create(vals_list)

    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            if len(self.exists()) != len(self):
                raise MissingError(
                    self.env._("Record does not exist or has been deleted.")
                )
            evidence = self._shouwen_evidence()
            # the only change of a piece of evidence: the token that lets the
            # chatter show it, given once (portal, images in a message)
            if evidence and (
                set(vals) - {"access_token"}
                # sudo: whether a token was already given, to refuse changing it
                or any(evidence.sudo().mapped("access_token"))
            ):
                raise UserError(
                    self.env._(
                        "%(name)s is evidence of the record it is attached to: it "
                        "cannot be changed, moved or deleted; attach a corrected "
                        "file instead.",
                        # sudo: the name of the file refused
                        name=evidence[:1].sudo().name,
                    )
                )
            if {"res_model", "res_id"} & set(vals) and not is_system(self.env):
                self._shouwen_check_attach(
                    [
                        (
                            vals.get("res_model", attachment.res_model),
                            vals.get("res_id", attachment.res_id),
                        )
                        # sudo: where each file goes, to ask who may post there
                        for attachment in self.sudo()
                    ]
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        if self.env.uid == SUPERUSER_ID:
            return
        evidence = self._shouwen_evidence()
        if evidence:
            raise UserError(
                self.env._(
                    "%(name)s is evidence of the record it is attached to: it "
                    "cannot be changed, moved or deleted; attach a corrected "
                    "file instead.",
                    # sudo: the name of the file refused
                    name=evidence[:1].sudo().name,
                )
            )
