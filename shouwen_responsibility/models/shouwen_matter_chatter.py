# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who may post on a matter's chatter (its audit trail), and who acts on its
to-dos: see ``mail_message.py``, ``mail_activity.py`` and
``ir_attachment.py`` for the guards that ask these questions."""

from odoo import api, models

from .mail_message import check_posters, is_system


class ShouwenMatterChatter(models.Model):
    # the chatter's rules are a concern of their own, beside the workflow
    _inherit = "shouwen.matter"  # pylint: disable=consider-merging-classes-inherited

    def _shouwen_actors(self):
        """The matters of ``self`` the current user acts on: those the record
        rules let them change (the first responsible, the handler, the person
        it is guided or assigned to, the approvers, deciders and supervisors
        of record, the supervisors in scope)."""
        if self.env.su:
            return self
        return self._filtered_access("write")

    def _shouwen_posters(self):
        """The matters of ``self`` the current user may post on: those they
        act on, and those they take part in (first receiver, a part's
        assignee); a customer only their own, through the portal's composer
        (the server's controller, after its own check of their access)."""
        user = self.env.user
        if user.share:
            if not self.env.su:
                return self.browse()
            if user._is_public():
                # a visitor with the matter's private link posts as its customer
                return self.filtered("partner_id")
            return self.filtered(lambda matter: matter.partner_id == user.partner_id)
        # sudo(False): what the user themselves may change, whatever the mode
        actors = self.sudo(False)._shouwen_actors()
        # sudo: the receiver and the parts' assignees are compared with the user
        parties = (
            (self - actors)
            .sudo()
            .filtered(
                lambda matter: (
                    user in (matter.first_receiver_id | matter.part_ids.assignee_id)
                )
            )
        )
        return actors | parties.with_env(self.env)

    def _shouwen_authors(self):
        """The partners a message on these matters may be authored by: the
        current user's; a visitor posting through the private link of a
        matter, as the portal's composer does, its customer's."""
        user = self.env.user
        if user._is_public() and self.env.su:
            return self.partner_id
        return user.partner_id

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        if not is_system(self.env):
            check_posters(self.env, {self._name: set(self.ids)})
        return super().message_post(**kwargs)
