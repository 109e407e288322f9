# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The form's buttons and the server agree, for every demo role on every demo
matter: a visible button's action is accepted by the server (tried in a
savepoint, rolled back), and an action the server accepts has a visible
button.  The buttons are read from the form as each user gets it, and their
``invisible`` expressions are evaluated the way the web client does, with the
record's values as that user reads them."""

import ast
from datetime import timedelta

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from ..tools import workflow

#: object buttons -> the action they take
OBJECT_BUTTONS = {
    "action_sign": "sign",
    "action_accept": "accept",
    "action_sign_part": "sign_part",
    "action_handle": "handle",
    "action_close": "close",
    "action_resume_clock": "resume_clock",
    "action_make_status_link": "make_status_link",
    "action_send_status_link": "send_status_link",
    "validate_tier": "approve_assignment",
    "action_verify_trail": "verify_trail",
}

#: actions only the addon takes, never a person through a button
SYSTEM_ACTIONS = {
    action
    for action, (_from, _to, roles, _kinds) in workflow.TRANSITIONS.items()
    if roles == ("system",)
}

REFUSED = (UserError, AccessError, ValidationError)


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestButtons(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Matter = cls.env["shouwen.matter"]
        cls._arch_cache = {}
        cls.matters = cls.Matter.with_context(active_test=False).search([])
        groups = [
            cls.env.ref("shouwen_responsibility.group_shouwen_staff").id,
            cls.env.ref("shouwen_responsibility.group_shouwen_inspector").id,
        ]
        cls.users = cls.env["res.users"].search(
            [("share", "=", False), ("groups_id", "in", groups)]
        )
        cls.staff = cls.users.filtered(
            lambda u: (
                u.has_group("shouwen_responsibility.group_shouwen_staff")
                and u.shouwen_unit_id
            )
        )

    # ------------------------------------------------------------------
    # the buttons as the web client shows them
    # ------------------------------------------------------------------

    def _buttons(self, user):
        """``[(action, [invisible expressions])]`` of the form's buttons as
        ``user`` gets the form (once per set of groups)."""
        cache = self._arch_cache
        key = tuple(user.groups_id.ids)
        if key not in cache:
            arch = self.Matter.with_user(user).get_views([(False, "form")])["views"][
                "form"
            ]["arch"]
            buttons = []
            for node in etree.fromstring(arch).iter("button"):
                context = node.get("context") or ""
                if (
                    node.get("type") == "object"
                    and node.get("name") != "action_open_wizard"
                ):
                    action = OBJECT_BUTTONS.get(node.get("name"))
                else:
                    action = safe_eval(context, {"id": 0}).get("default_action")
                self.assertTrue(action, f"a button of unknown action: {node.attrib}")
                conditions = [
                    n.get("invisible")
                    for n in (node, *node.iterancestors())
                    if n.get("invisible")
                ]
                buttons.append((action, conditions))
            cache[key] = buttons
        return cache[key]

    def _names(self, buttons):
        names = set()
        for _action, conditions in buttons:
            for expr in conditions:
                names |= {
                    n.id
                    for n in ast.walk(ast.parse(expr, mode="eval"))
                    if isinstance(n, ast.Name)
                }
        return names & set(self.Matter._fields)

    def _visible(self, user, matter):
        """The actions of the buttons ``user`` sees on ``matter``."""
        buttons = self._buttons(user)
        record = matter.with_user(user)
        values = record.read(sorted(self._names(buttons)))[0]
        context = {
            name: value[0] if isinstance(value, tuple) else value
            for name, value in values.items()
        }
        # the web client's ``in`` on a false value is false, as on an empty list
        context["available_actions"] = context.get("available_actions") or []
        context["uid"] = user.id
        return {
            action
            for action, conditions in buttons
            if not any(safe_eval(expr, dict(context)) for expr in conditions)
        }

    # ------------------------------------------------------------------
    # the server
    # ------------------------------------------------------------------

    def _other_staff(self, matter, user):
        """A staff member who may be given the matter: not the user, not
        already on it, not the person complained about; of its unit if
        possible."""
        taken = (
            user
            | matter.first_responsible_id
            | matter.handler_id
            | matter.guide_to_id
            | matter.complained_person_id
            | matter.part_ids.assignee_id
        )
        candidates = self.staff - taken
        candidates = candidates.filtered(
            lambda u: not u.has_group("shouwen_responsibility.group_shouwen_inspector")
        )
        same = candidates.filtered(lambda u: u.shouwen_unit_id == matter.unit_id)
        return (same or candidates)[:1]

    def _wizard_values(self, action, matter, user):
        text = "按钮一致性测试"
        values = {"text": text}
        open_parts = matter.part_ids.filtered(lambda p: p.state == "open")
        if action in ("guide", "coordinate", "propose_assignment", "decide_return"):
            values["user_id"] = self._other_staff(matter, user).id
        if action == "return":
            values["return_category"] = (
                self.env["shouwen.matter.wizard"]
                ._fields["return_category"]
                .selection[0][0]
            )
        if action == "decide_return":
            values["return_judgement"] = "justified"
        if action == "urge_part":
            values["part_id"] = open_parts.filtered(lambda p: p.assignee_id != user)[
                :1
            ].id
        if action in ("cancel_part", "finish_part"):
            mine = open_parts.filtered(lambda p: p.assignee_id == user)
            values["part_id"] = (mine if action == "finish_part" else open_parts)[:1].id
        if action == "request_extension":
            policy = matter.policy_id
            cap = (
                self.env["shouwen.work.calendar"]
                ._calendar()
                .add(matter.clock_start, policy.extension_max, policy.closure_unit)
            )
            values["new_deadline"] = min(
                matter.closure_deadline + timedelta(days=1), cap
            )
        if action == "decide_extension":
            values.update(decision="approve", customer_notice=text)
        if action in ("answer", "tell_complainant"):
            values["told_method"] = "phone"
        if action == "callback":
            values["callback_outcome"] = "satisfied"
        if action == "reclassify":
            values["new_priority"] = "0" if matter.priority == "1" else "1"
        return values

    def _run(self, action, matter, user):
        """Take ``action`` on ``matter`` as ``user`` through its button's
        path; return the refusal, or None when the server accepted it."""
        # no notification emails nor tracking: they follow the decision
        quiet = {"mail_activity_quick_update": True, "mail_notrack": True}
        record = matter.with_user(user).with_context(**quiet)
        method = {v: k for k, v in OBJECT_BUTTONS.items()}.get(action)
        try:
            with self.env.cr.savepoint():
                if method:
                    getattr(record, method)()
                else:
                    wizard = (
                        self.env["shouwen.matter.wizard"]
                        .with_user(user)
                        .with_context(
                            default_action=action, default_matter_id=matter.id, **quiet
                        )
                        .create(self._wizard_values(action, matter, user))
                    )
                    wizard.action_confirm()
                raise _Rollback
        except _Rollback:
            return None
        except REFUSED as error:
            return error
        finally:
            self.env.invalidate_all(flush=False)

    def _server_may(self, matter, roles):
        """The actions worth trying: the transition table's answer for
        workflow actions, the extra actions where they may apply."""
        actions = workflow.actions_for(matter.state, roles, matter.kind)
        if matter.part_ids.filtered(lambda p: p.state == "open"):
            actions |= {"sign_part", "finish_part", "cancel_part", "urge_part"}
        if matter.state == "approval":
            actions |= {"approve_assignment", "reject_assignment"}
        if "make_status_link" in actions:
            # whoever may make the link may email it (refused without email)
            actions.add("send_status_link")
        if matter.status_url:
            # made once: another click is accepted as a no-op, the button hides
            actions.discard("make_status_link")
        return actions - SYSTEM_ACTIONS

    def _disagreements(self, matters):
        """``(problems, tried)``: every user on each of ``matters``, both ways."""
        problems = []
        tried = 0
        outcomes = {}

        def outcome(action, matter, user, roles):
            """The server's answer, once per matter, action and the user's
            standing on it (their roles; whether they are the one to act;
            the parts' assignees answer for themselves)."""
            key = (
                matter.id,
                action,
                frozenset(roles),
                user == matter._who_must_act(),
                user.id if action.endswith("_part") or action == "return" else 0,
            )
            if key not in outcomes:
                outcomes[key] = self._run(action, matter, user)
            return outcomes[key]

        for user in self.users:
            readable = matters.with_user(user)._filtered_access("read")
            for matter_id in readable.ids:
                # one record at a time: no prefetch of the others' computes
                matter = self.Matter.browse(matter_id)
                visible = self._visible(user, matter)
                roles = matter.with_user(user)._roles(user)
                for action in sorted(visible - {"verify_trail"}):
                    tried += 1
                    error = outcome(action, matter, user, roles)
                    if error:
                        problems.append(
                            f"{user.login} sees “{action}” on {matter.name} "
                            f"({matter.kind}, {matter.state}) but the server "
                            f"refuses: {error}"
                        )
                for action in sorted(self._server_may(matter, roles) - visible):
                    tried += 1
                    if outcome(action, matter, user, roles) is None:
                        problems.append(
                            f"{user.login} may take “{action}” on {matter.name} "
                            f"({matter.kind}, {matter.state}) but sees no button"
                        )
        return problems, tried

    def test_buttons_and_server_agree(self):
        self.assertGreater(len(self.matters), 30, "the demo's matters are missing")
        self.assertGreater(len(self.users), 15, "the demo's users are missing")
        problems, tried = self._disagreements(self.matters)
        self.assertGreater(tried, 50)
        self.assertFalse(problems, "\n".join(problems))

    def test_buttons_follow_the_actions_preconditions(self):
        """States the demo does not show: a supervised matter's closure not
        yet approved, an extension only the unit above decides, a deadline
        already at the policy's cap."""
        Matter = self.Matter.sudo()
        open_ = self.matters.filtered(lambda m: m.is_open and not m.supervision_unit_id)
        answered = open_.filtered(
            lambda m: m.state == "answered" and m.unit_id.parent_id
        )[:1]
        reason = Matter._fields["supervision_reason"].selection[0][0]
        answered.sudo()._supervise(reason)
        self.assertTrue(answered.supervision_unit_id)
        self.assertNotIn(
            "close",
            answered.with_user(answered.first_responsible_id).available_actions or [],
        )

        calendar = self.env["shouwen.work.calendar"]._calendar()

        def cap(matter):
            policy = matter.policy_id
            return calendar.add(
                matter.clock_start, policy.extension_max, policy.closure_unit
            )

        senior = open_.filtered(
            lambda m: (
                m.kind == "complaint"
                and m.state in ("in_progress", "reopened")
                and m.policy_id.extension_approval_beyond
                and not m.pending_extension_id
                and m.closure_deadline < cap(m)
            )
        )[:1]
        self.assertTrue(senior, "the demo has a complaint in progress")
        senior.with_user(senior.first_responsible_id).request_extension(
            cap(senior), "需要上级批准的延期"
        )
        self.assertTrue(senior.pending_extension_id.needs_senior)

        exhausted = (
            open_.filtered(
                lambda m: (
                    m.state == "in_progress"
                    and m.policy_id.extension_max
                    and not m.pending_extension_id
                )
            )
            - senior
        )[:1]
        exhausted.sudo()._clock_write({"closure_deadline": cap(exhausted)})
        self.assertNotIn(
            "request_extension",
            exhausted.with_user(exhausted.first_responsible_id).available_actions or [],
        )

        problems, tried = self._disagreements(answered | senior | exhausted)
        self.assertGreater(tried, 5)
        self.assertFalse(problems, "\n".join(problems))

    def test_status_bar_follows_the_kind(self):
        """Each status bar shows only states the workflow can reach for the
        kinds it is shown for: a complaint is never guided nor answered."""
        arch = etree.fromstring(
            self.Matter.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        bars = arch.xpath("//field[@name='state'][@widget='statusbar']")
        self.assertEqual(len(bars), 2)
        for bar in bars:
            complaint = bar.get("invisible") == "kind != 'complaint'"
            kind = "complaint" if complaint else "business"
            reachable = {"registered"} | {
                to_state
                for _from, to_state, _roles, kinds in workflow.TRANSITIONS.values()
                if to_state and workflow._applies(kinds, kind)
            }
            shown = set(bar.get("statusbar_visible").split(","))
            self.assertLessEqual(shown, reachable, bar.attrib)
        complaint_bar = next(
            b for b in bars if b.get("invisible") == "kind != 'complaint'"
        )
        self.assertNotIn("guiding", complaint_bar.get("statusbar_visible"))
        self.assertNotIn("answered", complaint_bar.get("statusbar_visible"))
