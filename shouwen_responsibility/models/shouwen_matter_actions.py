# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The matter's own actions (首问负责): handle, guide, accept or return,
give parts, tell the missing materials, answer, close, reopen.  Each checks
its own preconditions and ends with :meth:`_transition` (the workflow table,
the write, the log, the activities, the clock); what the later layers add
(the clock, a complaint's return, the handovers) comes through the hooks
declared in ``shouwen_matter.py`` and here."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..tools import ambient
from ..tools.catalogue import TOLD_METHODS


class ShouwenMatter(models.Model):
    _inherit = "shouwen.matter"

    # ------------------------------------------------------------------
    # the dialog of an action that asks for input
    # ------------------------------------------------------------------

    def action_open_wizard(self):
        """The dialog of the action a form's button names (its context's
        ``default_action``), titled with the action's name.  It only opens
        the dialog: the action is checked when the dialog is confirmed."""
        self.ensure_one()
        self.check_access("read")
        key = self.env.context.get("default_action")
        labels = dict(
            self.env["shouwen.matter.wizard"]
            ._fields["action"]
            ._description_selection(self.env)
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "shouwen_responsibility.shouwen_matter_wizard_action"
        )
        action["name"] = labels.get(key) or action["name"]
        action["context"] = {
            **self.env.context,
            "default_action": key,
            "default_matter_id": self.id,
        }
        return action

    # ------------------------------------------------------------------
    # what the actions are given: users, texts, templates
    # ------------------------------------------------------------------

    @api.model
    def _as_user(self, user):
        """A user given as a record or an id (from RPC), checked to exist."""
        if isinstance(user, models.BaseModel):
            user = user.id
        try:
            user = self.env["res.users"].browse(int(user or 0))
        except (TypeError, ValueError):
            user = self.env["res.users"]
        # sudo: only whether the chosen user exists and is active
        if not user or not user.sudo().exists() or not user.sudo().active:
            raise UserError(self.env._("Choose an active staff member."))
        return user

    def _check_staff_target(self, user, verb):
        """``user`` may receive this matter: one of the people
        ``res.users._shouwen_handler_domain`` names for its unit (the rule of
        the dialogs' person pickers), and not the current user."""
        self.ensure_one()
        if user == self.env.user:
            raise UserError(
                self.env._("You cannot %(verb)s a matter to yourself.", verb=verb)
            )
        Users = self.env["res.users"]
        domain = expression.AND(
            [[("id", "=", user.id)], Users._shouwen_handler_domain(self.unit_id)]
        )
        # sudo: only whether the chosen person is one of those who may receive
        # the matter, and their name to say who is refused
        if not Users.sudo().search_count(domain, limit=1):
            name = user.sudo().name
            raise UserError(
                self.env._(
                    "%(user)s cannot receive this matter: only active first-inquiry "
                    "staff with a unit of this organisation can, not inspectors, "
                    "administrators or customers.",
                    user=name,
                )
            )

    def _notice_template_values(self, template):
        """The values recording ``template`` (a record, an id or nothing) as
        the one-time notice template used, once checked to be readable by
        the caller and meant for this matter."""
        self.ensure_one()
        if not template:
            return {}
        if isinstance(template, models.BaseModel):
            template = template.id
        Template = self.env["shouwen.notice.template"]
        try:
            template = Template.browse(int(template))
        except (TypeError, ValueError):
            template = Template
        if not template.exists():
            raise UserError(self.env._("Choose an existing one-time notice template."))
        template.check_access("read")
        template._check_applies_to(self)
        return {"notice_template_id": template.id}

    @staticmethod
    def _required_text(value, message):
        value = (value or "").strip()
        if not value:
            raise UserError(message)
        return value

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_handle(self):
        """The first responsible handles the matter themselves (受理)."""
        return self._transition(
            "handle",
            {"handler_id": self.env.uid},
            to_user=self.env.user,
            clock=["respond"],
        )

    def guide(self, user, note=None):
        """Guide the customer to a handler with the authority (引导). The
        responsibility stays with the first responsible until that handler
        accepts."""
        self.ensure_one()
        target = self._as_user(user)
        new_states = self._check_action("guide")
        self._check_staff_target(target, self.env._("guide"))
        return self._transition(
            "guide",
            {"guide_to_id": target.id, "guided_by_id": self.env.uid},
            new_states=new_states,
            from_user=self.env.user,
            to_user=target,
            reason=note,
            schedule=(
                "accept",
                target,
                self.with_context(lang=target.lang).env._(
                    "Accept or return matter %(number)s", number=self.name
                ),
                note,
            ),
            clock=["respond"],
        )

    def action_accept(self):
        """The handler the matter was guided to accepts it: they become the first
        responsible person (首位承办人即为首问责任人)."""
        self.ensure_one()
        new_states = self._check_action("accept")
        return self._transition(
            "accept",
            {
                "first_responsible_id": self.env.uid,
                "handler_id": self.env.uid,
                "guide_to_id": False,
                "accepted_date": fields.Datetime.now(),
                "transfer_count": self.transfer_count + 1,
            },
            new_states=new_states,
            from_user=self.first_responsible_id,
            to_user=self.env.user,
            done=("accept", self.env.user, self.env._("Accepted")),
            clock=["respond"],
        )

    def return_guide(self, reason):
        """The handler refuses the guided matter, with a reason (退回): it goes
        back to the first responsible, never orphaned."""
        self.ensure_one()
        new_states = self._check_action("return")
        reason = self._required_text(
            reason, self.env._("Give the reason for returning the matter.")
        )
        if self._return_elsewhere(reason):
            return True
        guide = self.guided_by_id or self.first_responsible_id
        self._transition(
            "return",
            {"guide_to_id": False, "return_count": self.return_count + 1},
            new_states=new_states,
            from_user=self.env.user,
            to_user=self.first_responsible_id,
            reason=reason,
            done=("accept", self.env.user, reason),
        )
        self._propose_findings_on_return()
        # the returner no longer acts on the matter: the note is the return's
        with ambient.system_writes():
            self.message_post(
                body=self.env._(
                    "Returned to %(user)s: %(reason)s", user=guide.name, reason=reason
                ),
                partner_ids=self.first_responsible_id.partner_id.ids,
            )
        return True

    def _return_elsewhere(self, reason):
        """Hook: a return that another layer handles in its own way
        (``shouwen_matter_complaint.py``: a complaint's 退单); True when it
        was handled there."""
        return False

    def coordinate(self, user, task):
        """Give part of the matter to another staff member (协办)."""
        self.ensure_one()
        assignee = self._as_user(user)
        task = self._required_text(task, self.env._("Describe the part to be done."))
        new_states = self._check_action("coordinate")
        self._check_staff_target(assignee, self.env._("give a part of"))
        # parts are created by this action only; the caller's role was checked
        part = (
            self.env["shouwen.matter.part"]
            .sudo()
            .create(
                {
                    "matter_id": self.id,
                    "name": task,
                    "assignee_id": assignee.id,
                    "requested_by_id": self.env.uid,
                }
            )
        )
        self._transition(
            "coordinate",
            new_states=new_states,
            from_user=self.env.user,
            to_user=assignee,
            reason=task,
            schedule=(
                "part",
                assignee,
                self.with_context(lang=assignee.lang).env._(
                    "Part of matter %(number)s", number=self.name
                ),
                task,
            ),
        )
        return part.with_env(self.env)

    def _on_part_finished(self):
        """Back to handling once no part is open."""
        for matter in self:
            if matter.state == "coordinating" and not matter.open_part_count:
                # a consequence of finishing the last part, not a user's choice
                matter.sudo()._transition("parts_done")

    def notify_materials(self, materials, pause=False, template=None):
        """Record the complete list of missing materials, told to the customer
        once (一次性告知); ``pause`` stops the closure clock until they are
        brought (never for complaints).  ``template``: the one-time notice
        template (record or id) the list started from, kept with it."""
        self.ensure_one()
        materials = self._required_text(
            materials, self.env._("List the missing materials told to the customer.")
        )
        new_states = self._check_action("notify_materials")
        self._transition(
            "notify_materials",
            {
                "materials_notice": materials,
                "materials_notice_date": fields.Datetime.now(),
                **self._notice_template_values(template),
            },
            new_states=new_states,
            to_user=self.env.user,
            reason=materials,
            clock=["respond"],
            stays=True,
        )
        if pause:
            self._pause_clock()
        return True

    def answer(
        self, result, told_method, told_date=None, told_note=None, template=None
    ):
        """Record the result and how the customer was told (已答复).
        ``template``: the one-time notice template (record or id) the result
        started from, kept with it."""
        self.ensure_one()
        result = self._required_text(
            result, self.env._("Write the result of the matter.")
        )
        if told_method not in dict(TOLD_METHODS):
            raise UserError(self.env._("Say how the customer was told."))
        told_date = fields.Datetime.to_datetime(told_date) or fields.Datetime.now()
        if told_date > fields.Datetime.now():
            raise UserError(
                self.env._("The customer cannot have been told in the future.")
            )
        if told_date < self.registered_date:
            raise UserError(
                self.env._("The customer cannot have been told before registration.")
            )
        new_states = self._check_action("answer")
        return self._transition(
            "answer",
            {
                "handler_id": self.handler_id.id or self.env.uid,
                "result": result,
                "told_method": told_method,
                "told_date": told_date,
                "told_note": told_note or False,
                "answered_date": fields.Datetime.now(),
                **self._notice_template_values(template),
            },
            new_states=new_states,
            to_user=self.env.user,
            reason=result,
            clock=["respond", "stop"],
        )

    def action_close(self):
        """The first responsible closes the matter once the customer was told
        (办结)."""
        new_states = self._check_action("close")
        for matter in self:
            if not matter.told_date:
                raise UserError(
                    self.env._(
                        "Matter %(number)s: tell the customer the result before "
                        "closing it.",
                        number=matter.name,
                    )
                )
        self._transition(
            "close",
            {"closed_date": fields.Datetime.now()},
            new_states=new_states,
            to_user=lambda matter: matter.first_responsible_id,
            done=(None, None, self.env._("Matter closed")),
            clock=["stop"],
        )
        self._propose_findings_on_close()
        return True

    def reopen(self, reason):
        """The customer is not satisfied: handle the matter again (重办)."""
        self.ensure_one()
        reason = self._required_text(
            reason, self.env._("Give the reason for reopening the matter.")
        )
        new_states = self._check_action("reopen")
        return self._transition(
            "reopen",
            {
                "reopen_count": self.reopen_count + 1,
                "told_method": False,
                "told_date": False,
                "told_note": False,
                "closed_date": False,
                "handler_id": self.handler_id.id or self.first_responsible_id.id,
            },
            new_states=new_states,
            from_user=self.env.user,
            to_user=self.first_responsible_id,
            reason=reason,
            clock=["restart"],
        )

    @api.model
    def action_open_unit_matters(self):
        """The matters of the user's unit and of the units below it."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "shouwen_responsibility.shouwen_matter_action"
        )
        unit = self.env.user.shouwen_unit_id
        action.update(
            name=self.env._("Matters of %(unit)s", unit=unit.name or "-"),
            domain=[("unit_id", "child_of", unit.ids)],
            context={"search_default_open": 1},
        )
        return action

    # ------------------------------------------------------------------
    # accountability: facts the system knows become proposals
    # ------------------------------------------------------------------

    def _propose_findings_on_return(self):
        """The same person returned this matter a second time or more."""
        self.ensure_one()
        user = self.env.user
        # counting the caller's own returns on a matter they could act on
        returns = self.sudo().log_ids.filtered(
            lambda line: line.action == "return" and line.user_id == user
        )
        if len(returns) >= 2:
            Finding = self.env["shouwen.finding"]
            Finding._propose(
                [
                    Finding._fact_values(
                        "repeated_returns",
                        self,
                        user,
                        self.env._(
                            "%(user)s returned matter %(number)s %(count)s times.",
                            user=user.name,
                            number=self.name,
                            count=len(returns),
                        ),
                        occurrence=len(returns),
                    )
                ]
            )
