# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every public method of every model of the addon is safe over RPC: called by
a logged-in user on any record with any arguments, it checks the caller's
right to that record and that transition on the server, and raises
:class:`AccessError` or :class:`UserError` otherwise.

The sweep finds the methods itself: every public callable an addon class
defines (overrides of core models and of ``create``/``write``/``copy``
included), then ``create``, ``write``, ``copy`` and ``unlink`` of every model
the addon defines.  It calls each through :func:`odoo.api.call_kw`, as the RPC
layer does, with plain ids and plausible arguments (what the form would send if
the caller were allowed), as a user who has nothing to do with the records of
county A1 it targets: matters in each state, a part, an extension, a unit, a
policy, a calendar day, a dialog of the victim, a log line, a message and a
tracking value of the chatter, a post, a duty, a rung of the ladder, a
follow-up step, a one-time notice template, an attempt of the online form;
and on an id that does not exist.

A call must raise (:class:`UserError` or a subclass: access, missing record,
validation) and change nothing, not even before it raised; a method listed in
``READ_ONLY`` may answer, and must change nothing either."""

import inspect
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ShouwenCase

ADDON = "odoo.addons.shouwen_responsibility"

#: public methods that read only and may answer anyone: (model, method) -> why
READ_ONLY = {
    ("shouwen.matter", "action_open_unit_matters"): (
        "opens the matters of the caller's own unit, under their record rules"
    ),
    ("shouwen.matter.wizard", "default_get"): (
        "the defaults of a dialog, echoing the id the caller gave; reads nothing"
    ),
    ("shouwen.matter", "check_field_access_rights"): (
        "names the fields of matters the caller may read; reads no record"
    ),
    ("shouwen.matter", "search_count"): (
        "counts the matters the caller's own rules let them read, up to the cap"
    ),
    ("shouwen.matter", "web_search_read"): (
        "a list's page of the matters the caller's own rules let them read "
        "(web's own, the page read as found)"
    ),
    ("shouwen.matter", "read"): (
        "the fields of the matters the caller's own rules let them read "
        "(Odoo's own: a matter they may not read fails the read, one that "
        "does not exist is left out; the matters read as found once fetched)"
    ),
    ("shouwen.matter", "get_work_queue"): (
        "the caller's work queue: counts of the matters and units their own "
        "rules let them read"
    ),
    ("shouwen.matter", "action_open_work_queue"): (
        "the window action of a list of the work queue; reads no record"
    ),
    ("res.users", "name_search"): (
        "the names of the users the caller's own rules let them read; in a "
        "dialog's person picker, with their unit and posts, nearest first"
    ),
}

#: what every model of the addon inherits and a client may call on it
CRUD = ("create", "write", "copy", "unlink")

#: tables whose row count a call must leave unchanged
COUNTED_TABLES = (
    "shouwen_matter",
    "shouwen_matter_log",
    "shouwen_matter_part",
    "shouwen_extension",
    "shouwen_finding",
    "shouwen_complaint_representative",
    "tier_review",
    "shouwen_unit",
    "shouwen_calendar_day",
    "shouwen_time_policy",
    "shouwen_notice_template",
    "shouwen_followup",
    "shouwen_handover",
    "shouwen_matter_wizard",
    "mail_message",
    "mail_tracking_value",
    "mail_activity",
    "mail_followers",
    "mail_notification",
    "shouwen_post",
    "shouwen_post_duty",
    "shouwen_escalation_step",
    "shouwen_post_user_rel",
    "shouwen_unit_supervisor_rel",
    "mail_message_res_partner_rel",
    "mail_message_res_partner_starred_rel",
    "ir_attachment",
    "shouwen_online_attempt",
    "shouwen_personal_view",
    "shouwen_trail_verify",
    "shouwen_trail_verify_issue",
    "shouwen_staff_wizard",
    "res_groups_users_rel",
)


def addon_public_methods(env):
    """``{(model, method): function}``: the public callables the addon's own
    classes define, on every model they take part in (overrides of core
    models included)."""
    found = {}
    for model_name in sorted(env.registry):
        if env[model_name]._abstract:
            # a mixin's methods are called on the models that inherit it
            continue
        for cls in type(env[model_name]).mro():
            if not cls.__module__.startswith(ADDON + "."):
                continue
            if cls._name in ("base", "mail.thread"):
                # Odoo's own methods of all models (base) or of every thread
                # (mail.thread), to which the addon adds refusals only: they
                # refuse what Odoo refuses, and more (test_contact_side_doors)
                continue
            for name, value in vars(cls).items():
                # what Odoo's RPC refuses itself: private names and init
                if not models.regex_private.match(name) and callable(value):
                    found.setdefault((model_name, name), value)
    return found


def addon_crud_methods(env):
    """``{(model, method): function}``: create, write, copy and unlink of
    every model the addon defines, as a client reaches them."""
    return {
        (model_name, name): getattr(type(env[model_name]), name)
        for model_name in sorted(env.registry)
        if env[model_name]._original_module == "shouwen_responsibility"
        and not env[model_name]._abstract
        for name in CRUD
    }


@tagged("post_install", "-at_install")
class TestRpcSafety(ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the victims' records, in county A1; business matters, whose policy
        # allows pauses and extensions
        business = {"kind": "business", "business_domain": "underwriting"}

        def handled(subject):
            matter = cls.register(cls.staff_a1, subject=subject, **business)
            matter.action_handle()
            return matter

        registered = cls.register(cls.staff_a1, subject="已登记", **business)
        guiding = cls.register(cls.staff_a1, subject="引导中", **business)
        guiding.guide(cls.staff_a1b, note="请协助办理")
        returned = cls.register(cls.staff_a1, subject="已退回", **business)
        returned.guide(cls.staff_a1b, note="请协助办理")
        # returned as the superuser: a staff member's return notifies the
        # first responsible by email, refused today by the audit trail (see
        # test_audit_trail, test_returning_a_matter_notifies_…)
        returned.with_env(cls.env(user=SUPERUSER_ID)).return_guide("不属于本岗位")
        disputed = cls.register(cls.staff_a1, subject="退单审定中", **business)
        disputed.guide(cls.staff_a1b, note="请协助办理")
        disputed.with_env(cls.env(user=SUPERUSER_ID)).return_guide("不属于本岗位")
        disputed.dispute_return("属于本岗位职责")
        # tracked from a later transaction than its creation, as in real life

        in_progress = cls.register(cls.staff_a1, subject="办理中", **business)
        cls.env.cr.precommit.run()
        in_progress.action_handle()
        coordinating = handled("协办中")
        cls.part = coordinating.coordinate(cls.staff_a2, "核对保单信息").sudo()
        answered = handled("已答复")
        answered.answer("已电话告知客户", "phone")
        closed = handled("已办结")
        closed.answer("已电话告知客户", "phone")
        closed.action_close()
        reopened = handled("重办")
        reopened.answer("已电话告知客户", "phone")
        reopened.action_close()
        reopened.reopen("客户不满意")
        paused = handled("等待材料")
        paused.notify_materials("身份证复印件", pause=True)
        extending = handled("申请延期")
        cls.extension = extending.request_extension(
            extending.closure_deadline + timedelta(hours=1), "等待医院证明"
        ).sudo()
        # complaints at each step of their own path
        complaint = {"kind": "complaint", "business_domain": "complaint"}

        def complaint_at(subject, step):
            matter = cls.register(cls.staff_a1, subject=subject, **complaint)
            steps = [
                lambda: matter.propose_assignment(user=cls.staff_a1b.id),
                lambda: matter.with_user(cls.sup_a1).validate_tier(),
                lambda: matter.with_user(cls.staff_a1b).action_sign(),
                lambda: matter.with_user(cls.staff_a1b).submit_reply("已核实"),
                lambda: matter.with_user(cls.sup_a1).review_accept(),
                lambda: matter.tell_complainant("phone"),
            ]
            for run in steps[:step]:
                run()
            return matter

        complaints = (
            complaint_at("投诉待审批", 1)
            | complaint_at("投诉待签收", 2)
            | complaint_at("投诉待审核", 4)
            | complaint_at("投诉待反馈", 5)
            | complaint_at("投诉待回访", 6)
        )
        cls.representative = cls.env["shouwen.complaint.representative"].create(
            {"matter_id": complaints[:1].id, "name": "代表甲", "phone": "13800001111"}
        )
        Finding = cls.env["shouwen.finding"]
        cls.finding = Finding._propose(
            [Finding._fact_values("overdue_closure", in_progress, cls.staff_a1, "超期")]
        )
        cls.matters = (
            complaints
            | registered
            | guiding
            | returned
            | disputed
            | in_progress
            | coordinating
            | answered
            | closed
            | reopened
            | paused
            | extending
        ).sudo()
        cls.target_matter = in_progress.sudo()

        cls.message = in_progress.message_post(
            body="已与客户核对保单号", message_type="comment"
        ).sudo()
        cls.env.cr.precommit.run()  # the tracking message of in_progress
        cls.tracking_value = cls.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "shouwen.matter"),
                ("mail_message_id.res_id", "in", cls.matters.ids),
            ],
            limit=1,
        )
        cls.log_line = in_progress.sudo().log_ids[:1]
        # a file posted on the victims' matter: evidence
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "保单.pdf",
                "raw": b"%PDF-1.4 policy",
                "res_model": "shouwen.matter",
                "res_id": in_progress.id,
            }
        )
        cls.county_a1.designated_receiver_id = cls.staff_a1
        cls.calendar_day = cls.env["shouwen.calendar.day"].create(
            {"date": "2031-01-02", "day_type": "holiday", "name": "测试假日"}
        )
        cls.policy = cls.env.ref("shouwen_responsibility.shouwen_time_policy_business")
        cls.resource_calendar = cls.env.ref(
            "shouwen_responsibility.resource_calendar_shouwen"
        )
        cls.notice_template = cls.env["shouwen.notice.template"].create(
            {
                "name": "承保材料",
                "business_domain": "underwriting",
                "kind": "business",
                "materials": "投保单\n身份证复印件",
                "answer_text": "材料齐全后即可出具保单。",
            }
        )
        cls.wizard = (
            cls.env["shouwen.matter.wizard"]
            .with_user(cls.staff_a1)
            .create(
                {
                    "matter_id": in_progress.id,
                    "action": "answer",
                    "text": "已电话告知客户",
                    "told_method": "phone",
                }
            )
            .sudo()
        )
        cls.attempt = cls.env["shouwen.online.attempt"].create(
            {"ip_address": "192.0.2.1"}
        )
        cls.followup = cls.env["shouwen.followup"].create(
            {
                "matter_id": in_progress.id,
                "step": "closure_reminder_1",
                "deadline": in_progress.sudo().closure_deadline,
            }
        )
        cls.env["shouwen.personal.view"]._insert(
            [
                (
                    cls.staff_a1.id,
                    in_progress.id,
                    "customer_phone",
                    fields.Datetime.now(),
                    "web",
                    None,
                )
            ]
        )
        cls.personal_view = cls.env["shouwen.personal.view"].search(
            [("matter_id", "=", in_progress.id)]
        )
        cls.verification = (
            cls.env["shouwen.trail.verify"]
            .with_user(cls.inspector)
            .create({"scope": "matter", "matter_id": in_progress.id})
        )
        cls.verification.action_verify()
        cls.verification.issue_ids = [
            Command.create({"matter_id": in_progress.id, "problem": "altered"})
        ]
        cls.staff_dialog = (
            cls.env["shouwen.staff.wizard"]
            .with_user(cls.manager)
            .create({"user_id": cls.staff_a1.id})
        )
        cls.figures_dialog = (
            cls.env["shouwen.figures.wizard"]
            .with_user(cls.sup_city_a)
            .create({"unit_id": cls.city_a.id})
        )
        cls.targets = {
            "shouwen.personal.view": cls.personal_view,
            "shouwen.matter": cls.matters,
            "shouwen.matter.part": cls.part,
            "shouwen.extension": cls.extension,
            "shouwen.matter.log": cls.log_line,
            "shouwen.unit": cls.county_a1,
            "shouwen.time.policy": cls.policy,
            "shouwen.notice.template": cls.notice_template,
            "shouwen.calendar.day": cls.calendar_day,
            "shouwen.matter.wizard": cls.wizard,
            "mail.message": cls.message,
            "mail.tracking.value": cls.tracking_value,
            "ir.attachment": cls.attachment,
            "shouwen.post": cls.post_counter,
            "shouwen.post.duty": cls.post_counter.duty_ids[:1],
            "shouwen.escalation.step": cls.policy.escalation_step_ids[:1],
            "shouwen.followup": cls.followup,
            "shouwen.complaint.representative": cls.representative,
            "shouwen.finding": cls.finding,
            "shouwen.handover": (guiding | returned | disputed).sudo().handover_ids,
            "shouwen.matter.report": cls.env["shouwen.matter.report"].browse(
                in_progress.ids
            ),
            "shouwen.handover.report": cls.env["shouwen.handover.report"].browse(
                (guiding | returned | disputed).sudo().handover_ids.ids
            ),
            "shouwen.online.attempt": cls.attempt,
            "shouwen.trail.verify": cls.verification.sudo(),
            "shouwen.trail.verify.issue": cls.verification.sudo().issue_ids,
            "shouwen.staff.wizard": cls.staff_dialog.sudo(),
            "shouwen.figures.wizard": cls.figures_dialog.sudo(),
            "res.users": cls.staff_a1,
            "base.automation": cls.env.ref(
                "shouwen_responsibility.base_automation_followup_escalation"
            ),
            "resource.calendar": cls.resource_calendar,
            "resource.calendar.attendance": cls.resource_calendar.attendance_ids[:1],
        }
        cls.missing_id = 2_000_000_000  # no record of any model has this id
        for model_name, records in cls.targets.items():
            assert records, f"no target record of {model_name}"
        cls.env.flush_all()

    # ------------------------------------------------------------------
    # plausible arguments
    # ------------------------------------------------------------------

    def _write_values(self, model_name):
        return {
            "shouwen.matter": {"description": "x", "priority": "1"},
            "shouwen.matter.part": {"result": "x"},
            "shouwen.extension": {"reason": "x"},
            "shouwen.matter.log": {"reason": "x"},
            "shouwen.unit": {"phone": "x", "designated_receiver_id": False},
            "shouwen.time.policy": {"closure_amount": 1},
            "shouwen.notice.template": {"materials": "x"},
            "shouwen.calendar.day": {"day_type": "workday"},
            "shouwen.matter.wizard": {"text": "x"},
            "mail.message": {"body": "x"},
            "mail.tracking.value": {"old_value_char": "x"},
            "ir.attachment": {"name": "x"},
            "shouwen.post": {"name": "x"},
            "shouwen.post.duty": {"business_domain": "other"},
            "shouwen.escalation.step": {"delay_amount": 5},
            "shouwen.followup": {"rung": 7},
            "shouwen.complaint.representative": {"name": "x"},
            "shouwen.finding": {"decision_note": "x", "sanction": "fine"},
            "shouwen.handover": {"state": "signed", "return_reason": "x"},
            "shouwen.matter.report": {"received_count": 5},
            "shouwen.handover.report": {"sign_rate": 100.0},
            "shouwen.online.attempt": {"ip_address": "x"},
            "shouwen.personal.view": {"field": "customer_id_number"},
            "shouwen.trail.verify": {"scope": "all", "state": "draft"},
            "shouwen.trail.verify.issue": {"problem": "missing"},
            "shouwen.staff.wizard": {"role": "manager"},
            "shouwen.figures.wizard": {"unit_id": self.city_b.id},
            "res.users": {"shouwen_role": "manager", "shouwen_unit_id": False},
            "base.automation": {"active": False, "trg_date_range": 9},
            "resource.calendar": {"tz": "Asia/Urumqi"},
            "resource.calendar.attendance": {"hour_to": 10.0},
        }.get(model_name)

    def _create_values(self, model_name, attacker):
        """What ``attacker`` would create; a matter in two ways: as its
        first receiver in a unit not theirs, and in a colleague's name."""
        now = fields.Datetime.now()
        target = self.target_matter
        values = {
            "shouwen.matter.part": {
                "matter_id": target.id,
                "name": "x",
                "assignee_id": attacker.id,
            },
            "shouwen.extension": {
                "matter_id": target.id,
                "requested_by_id": attacker.id,
                "reason": "x",
                "new_deadline": fields.Datetime.to_string(now + timedelta(days=30)),
            },
            "shouwen.matter.log": {
                "matter_id": target.id,
                "action": "close",
                "user_id": attacker.id,
            },
            "shouwen.unit": {
                "name": "x",
                "code": "SWT-X",
                "level": "county",
                "parent_id": self.city_a.id,
            },
            "shouwen.time.policy": {"name": "x", "kind": "query", "channel": "phone"},
            "shouwen.notice.template": {
                "name": "x",
                "business_domain": "underwriting",
                "materials": "x",
            },
            "shouwen.calendar.day": {"date": "2031-01-03", "day_type": "holiday"},
            "shouwen.matter.wizard": {
                "matter_id": target.id,
                "action": "answer",
                "text": "x",
            },
            "shouwen.post": {"name": "x"},
            "shouwen.post.duty": {
                "post_id": self.post_counter.id,
                "kind": "query",
                "business_domain": "claims",
            },
            "shouwen.escalation.step": {"policy_id": self.policy.id, "level": "unit"},
            "shouwen.followup": {
                "matter_id": target.id,
                "step": "escalation",
                "rung": 9,
                "deadline": fields.Datetime.to_string(now),
            },
            "shouwen.complaint.representative": {
                "matter_id": self.representative.matter_id.id,
                "name": "x",
            },
            "shouwen.matter.report": {"matter_id": target.id},
            "shouwen.handover.report": {"matter_id": target.id},
            "shouwen.handover": {
                "matter_id": target.id,
                "kind": "guide",
                "from_user_id": attacker.id,
                "user_id": attacker.id,
            },
            "shouwen.online.attempt": {"ip_address": "192.0.2.2"},
            "shouwen.personal.view": {
                "user_id": attacker.id,
                "matter_id": target.id,
                "field": "customer_phone",
                "channel": "web",
                "date": fields.Datetime.to_string(now),
            },
            "shouwen.trail.verify": {"scope": "matter", "matter_id": target.id},
            "shouwen.staff.wizard": {"user_id": attacker.id, "role": "manager"},
            "shouwen.figures.wizard": {"unit_id": self.city_a.id},
            "shouwen.trail.verify.issue": {
                "verify_id": self.verification.id,
                "matter_id": target.id,
                "problem": "altered",
            },
            "resource.calendar.attendance": {
                "calendar_id": self.resource_calendar.id,
                "name": "x",
                "dayofweek": "5",
                "hour_from": 9.0,
                "hour_to": 10.0,
                "day_period": "morning",
            },
            "mail.message": {
                "model": "shouwen.matter",
                "res_id": target.id,
                "body": "x",
                "message_type": "comment",
            },
            "mail.tracking.value": {
                "mail_message_id": self.message.id,
                "field_id": self.env["ir.model.fields"]._get_ids("shouwen.matter")[
                    "state"
                ],
                "old_value_char": "x",
                "new_value_char": "y",
            },
            "ir.attachment": {
                "name": "x",
                "raw": "x",
                "res_model": "shouwen.matter",
                "res_id": target.id,
            },
            "shouwen.finding": {
                "person_id": self.staff_a1.id,
                "unit_id": self.county_a1.id,
                "matter_id": target.id,
                "finding_type": "other",
                "facts": "x",
            },
        }
        if model_name == "shouwen.matter":
            return [
                [self._matter_values(unit_id=self.county_a1.id)],
                [
                    self._matter_values(
                        unit_id=self.county_a1.id, first_receiver_id=self.staff_a1.id
                    )
                ],
            ]
        return [[values[model_name]]] if model_name in values else []

    def _argument(self, param):
        """A plausible value for parameter ``param``: what the form would send
        if the caller were allowed; ``None`` when the sweep has none."""
        now = fields.Datetime.now()
        return {
            "user": self.staff_a2.id,
            "note": "x",
            "reason": "x",
            "task": "x",
            "materials": "x",
            "result": "x",
            "text": "x",
            "told_note": "x",
            "customer_notice": "x",
            "told_method": "phone",
            "told_date": fields.Datetime.to_string(now),
            "new_deadline": fields.Datetime.to_string(now + timedelta(days=2)),
            "pause": True,
            "fields_list": ["matter_id", "action", "text"],
            "outcome": "satisfied",
            "unit": self.county_a2.id,
            "reply": "x",
            "date": fields.Date.to_string(fields.Date.today()),
            "category": "other",
            "justified": True,
            "message": "x",
            "template": self.notice_template.id,
            # a letter as the mail gateway parses it, naming the victims' unit
            "msg_dict": {
                "email_from": "王五 <wangwu@customer.example.com>",
                "to": "letters@example.com",
                "subject": "[SWT-A1] 来信",
                "body": "x",
            },
            "custom_values": {"unit_id": self.county_a1.id},
            "update_vals": {"description": "x"},
            "operation": "read",
            "field_names": ["name", "customer_phone"],
            "specification": {"name": {}, "customer_phone": {}},
            "domain": [],
            "key": "to_sign",
        }.get(param)

    def _calls(self, attacker, model_name, name, function):
        """The RPC calls of ``model_name.name``: ``(label, args, kwargs)``;
        record methods on every target of the model and on a missing id."""
        if name == "create":
            arg_lists = [
                [vals_list] for vals_list in self._create_values(model_name, attacker)
            ]
            self.assertTrue(arg_lists, f"give the sweep values for {model_name}")
        else:
            args, missing = [], []
            for param in list(inspect.signature(function).parameters.values())[1:]:
                if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                    continue
                if name == "write" and param.name == "vals":
                    value = self._write_values(model_name)
                else:
                    value = self._argument(param.name)
                if value is None and param.default is param.empty:
                    missing.append(param.name)
                args.append(value if value is not None else param.default)
            self.assertFalse(
                missing, f"give the sweep an argument for {model_name}.{name}{missing}"
            )
            arg_lists = [args]
        kwargs = {}
        if name == "default_get":
            kwargs["context"] = {
                "active_model": "shouwen.matter",
                "active_id": self.target_matter.id,
            }
        if getattr(function, "_api", None):  # @api.model: no ids
            return [(f"{model_name}.{name}", args, kwargs) for args in arg_lists]
        ids = [*self.targets[model_name].ids, self.missing_id]
        return [
            (f"{model_name}.{name}({record_id})", [[record_id], *args], kwargs)
            for record_id in ids
            for args in arg_lists
        ]

    # ------------------------------------------------------------------
    # what must not change
    # ------------------------------------------------------------------

    def _records(self):
        """Every column of every target, as the database holds it."""
        self.env.flush_all()
        state = {}
        for records in self.targets.values():
            if not records._auto:  # a report over SQL stores nothing
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT * FROM %s WHERE id IN %s",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                )
            )
            for row in self.env.cr.dictfetchall():
                state[records._name, row["id"]] = row
        return state

    def _rows(self):
        """The row counts of the tables a call could add to or delete from."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(" UNION ALL ").join(
                SQL("SELECT %s, count(*) FROM %s", table, SQL.identifier(table))
                for table in COUNTED_TABLES
            )
        )
        return {"rows": dict(self.env.cr.fetchall())}

    @staticmethod
    def _diff(before, after):
        return [
            f"{key}.{fname}: {value!r} -> {after[key][fname]!r}"
            for key, values in before.items()
            for fname, value in values.items()
            if after[key][fname] != value
        ]

    def _attempt(self, attacker, before, model_name, name, args, kwargs):
        """Call as ``attacker`` in a savepoint, always rolled back.  Return
        the outcome (``None`` when the call returned) and what had changed:
        for a refusal, the targets at the moment it was raised (a method
        checks before it writes), then the rows once rolled back as RPC rolls
        back a failed call; for a call that returned, everything."""
        model = self.env[model_name].with_user(attacker)
        savepoint = self.env.cr.savepoint()
        try:
            try:
                result = api.call_kw(model, name, args, kwargs)
                outcome = None
            except Exception as error:  # judged by the caller
                outcome = error
            if outcome is None and name == "read" and result:
                return outcome, [f"returned their rows {result!r}"]
            try:
                after = self._records()
                if outcome is None:
                    after.update(self._rows())
            except Exception as error:  # the transaction is broken
                return outcome, [f"transaction broken: {error!r}"]
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all(flush=False)
        if outcome is not None:
            after.update(self._rows())
        return outcome, self._diff(before, after)

    def _sweep(self, attacker, methods):
        """Problems found calling ``methods`` as ``attacker``, and what each
        call did."""
        before = {**self._records(), **self._rows()}
        problems, report = [], []
        for (model_name, name), function in sorted(methods.items()):
            for label, args, kwargs in self._calls(
                attacker, model_name, name, function
            ):
                outcome, changes = self._attempt(
                    attacker, before, model_name, name, args, kwargs
                )
                first_line = str(outcome or "").strip().splitlines()[:1]
                report.append(f"{label}: {type(outcome).__name__} {first_line}")
                if changes:
                    problems.append(f"{label} changed {changes}")
                if outcome is None and (model_name, name) not in READ_ONLY:
                    problems.append(f"{label} returned instead of refusing")
                elif outcome is not None and not isinstance(outcome, UserError):
                    problems.append(f"{label} crashed: {outcome!r}")
        return problems, report

    def assertSweepClean(self, attacker, methods):
        problems, report = self._sweep(attacker, methods)
        self.assertFalse(
            problems,
            "\n".join(["", *problems, "", "every call:", *report]),
        )

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------

    def test_the_sweep_finds_the_actions_and_the_crud_overrides(self):
        methods = addon_public_methods(self.env)
        for expected in (
            ("shouwen.matter", "action_accept"),
            ("shouwen.matter", "answer"),
            ("shouwen.matter", "write"),
            ("shouwen.matter", "copy"),
            ("shouwen.matter.part", "action_done"),
            ("shouwen.matter.wizard", "action_confirm"),
            ("shouwen.unit", "action_approve_designated_receiver"),
            ("shouwen.matter", "message_new"),
            ("shouwen.matter", "message_update"),
            ("mail.message", "write"),
            ("mail.tracking.value", "write"),
        ):
            self.assertIn(expected, methods)
        self.assertLessEqual(set(READ_ONLY), set(methods))
        crud = addon_crud_methods(self.env)
        self.assertIn(("shouwen.matter.wizard", "create"), crud)
        self.assertIn(("shouwen.post.duty", "unlink"), crud)
        self.assertFalse(
            {model for model, _name in {**methods, **crud}} - set(self.targets),
            "give the sweep a target record of every model",
        )

    def test_every_public_method_of_the_addon_refuses_staff_of_another_city(self):
        self.assertSweepClean(self.staff_b1, addon_public_methods(self.env))

    def test_every_public_method_of_the_addon_refuses_another_organisation(self):
        self.assertSweepClean(self.outsider, addon_public_methods(self.env))

    def test_every_public_method_of_the_addon_refuses_an_employee_without_role(
        self,
    ):
        self.assertSweepClean(self.employee, addon_public_methods(self.env))

    def test_create_write_copy_unlink_of_every_addon_model_refuse_a_stranger(self):
        self.assertSweepClean(self.staff_b1, addon_crud_methods(self.env))

    def test_a_strangers_save_is_an_access_error_whatever_version_it_sends(self):
        """A save of a matter one cannot read tells nothing of it: not that
        its version moved on (nor does it lock its row)."""
        matter = self.target_matter
        for version in (matter.version, matter.version - 1, 0):
            with self.assertRaises(AccessError):
                api.call_kw(
                    self.env["shouwen.matter"].with_user(self.staff_b1),
                    "write",
                    [[matter.id], {"description": "x", "version": version}],
                    {},
                )

    def test_a_dialog_belongs_to_the_user_who_opened_it(self):
        """Another user neither reads nor changes the answer the victim is
        typing in their dialog, nor opens one on a matter they cannot read."""
        as_stranger = self.env["shouwen.matter.wizard"].with_user(self.staff_b1)
        for method, args in (
            ("read", [[self.wizard.id], ["text", "matter_id"]]),
            ("write", [[self.wizard.id], {"text": "x"}]),
            ("create", [{"matter_id": self.target_matter.id, "action": "answer"}]),
        ):
            with self.assertRaises(AccessError, msg=method):
                api.call_kw(as_stranger, method, args, {})
        self.assertEqual(self.wizard.text, "已电话告知客户")
