# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Fixtures shared by the tests: a small organisation of our own (never the demo
data), one user per role and placement, two service posts with their duty
catalogues, and helpers to register matters and to check the responsibility log.

The tree::

    SWT  province              provincial supervisor
    ├── SWT-A  city A          city supervisor of A, staff at city level
    │   ├── SWT-A1  county A1  staff (two), unit supervisor of A1
    │   └── SWT-A2  county A2  staff, unit supervisor of A2
    └── SWT-B  city B          city supervisor of B
        └── SWT-B1  county B1  staff

    SWX  another province      staff of another organisation
"""

from contextlib import contextmanager
from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user

STAFF = "shouwen_responsibility.group_shouwen_staff"
UNIT_SUPERVISOR = "shouwen_responsibility.group_shouwen_unit_supervisor"
CITY_SUPERVISOR = "shouwen_responsibility.group_shouwen_city_supervisor"
PROVINCE_SUPERVISOR = "shouwen_responsibility.group_shouwen_province_supervisor"
MANAGER = "shouwen_responsibility.group_shouwen_manager"
INSPECTOR = "shouwen_responsibility.group_shouwen_inspector"

PHONE = "13812345678"
PHONE_MASKED = "138****5678"
ID_NUMBER = "410102199003071230"
ID_NUMBER_MASKED = "4101**********1230"

#: what a refused action must leave untouched
SNAPSHOT_FIELDS = (
    "name",
    "state",
    "first_receiver_id",
    "first_responsible_id",
    "handler_id",
    "guide_to_id",
    "guided_by_id",
    "result",
    "told_method",
    "told_date",
    "transfer_count",
    "return_count",
    "reopen_count",
    "log_ids",
    "part_ids",
    "activity_ids",
    "description",
    "customer_phone",
    "customer_id_number",
)


def expect_log(
    action,
    by,
    from_user=None,
    to_user=None,
    state_from=None,
    state_to=None,
    reason=None,
):
    """The expected values of one log line; ``reason`` is only compared when
    given, every other field always (``None`` meaning empty)."""
    values = {
        "action": action,
        "user_id": by,
        "from_user_id": from_user,
        "to_user_id": to_user,
        "state_from": state_from,
        "state_to": state_to,
    }
    if reason is not None:
        values["reason"] = reason
    return values


class ShouwenCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, lang="en_US", tracking_disable=False)
        )
        Unit = cls.env["shouwen.unit"]
        cls.province = Unit.create(
            {"name": "测试省公司", "code": "SWT", "level": "province"}
        )
        cls.city_a = Unit.create(
            {
                "name": "测试甲市公司",
                "code": "SWT-A",
                "level": "city",
                "parent_id": cls.province.id,
            }
        )
        cls.city_b = Unit.create(
            {
                "name": "测试乙市公司",
                "code": "SWT-B",
                "level": "city",
                "parent_id": cls.province.id,
            }
        )
        cls.county_a1 = Unit.create(
            {
                "name": "测试甲一支公司",
                "code": "SWT-A1",
                "level": "county",
                "parent_id": cls.city_a.id,
            }
        )
        cls.county_a2 = Unit.create(
            {
                "name": "测试甲二支公司",
                "code": "SWT-A2",
                "level": "county",
                "parent_id": cls.city_a.id,
            }
        )
        cls.county_b1 = Unit.create(
            {
                "name": "测试乙一支公司",
                "code": "SWT-B1",
                "level": "county",
                "parent_id": cls.city_b.id,
            }
        )
        cls.other_province = Unit.create(
            {"name": "另一省公司", "code": "SWX", "level": "province"}
        )

        Post = cls.env["shouwen.post"]
        # counter underwriting staff: product, underwriting and endorsement
        cls.post_counter = Post.create(
            {
                "name": "柜面承保岗（测试）",
                "post_type": "service_hall",
                "duty_ids": [
                    Command.create({"kind": kind, "business_domain": domain})
                    for kind in ("consult", "business")
                    for domain in ("product", "underwriting", "endorsement")
                ],
            }
        )
        # loss adjusters: the claims process and the basis of loss, any domain
        # for a status query
        cls.post_claims = Post.create(
            {
                "name": "查勘定损岗（测试）",
                "post_type": "loss_center",
                "duty_ids": [
                    Command.create({"kind": "consult", "business_domain": "claims"}),
                    Command.create({"kind": "business", "business_domain": "claims"}),
                    Command.create({"kind": "query", "business_domain": False}),
                ],
            }
        )

        user = cls._new_user
        cls.staff_a1 = user("sw_staff_a1", "Staff A1", STAFF, cls.county_a1)
        cls.staff_a1b = user("sw_staff_a1b", "Staff A1 bis", STAFF, cls.county_a1)
        cls.staff_a2 = user("sw_staff_a2", "Staff A2", STAFF, cls.county_a2)
        cls.staff_b1 = user("sw_staff_b1", "Staff B1", STAFF, cls.county_b1)
        cls.staff_city_a = user("sw_staff_ca", "Staff City A", STAFF, cls.city_a)
        cls.sup_a1 = user("sw_sup_a1", "Supervisor A1", UNIT_SUPERVISOR, cls.county_a1)
        cls.sup_a2 = user("sw_sup_a2", "Supervisor A2", UNIT_SUPERVISOR, cls.county_a2)
        cls.sup_city_a = user(
            "sw_sup_ca", "Supervisor City A", CITY_SUPERVISOR, cls.city_a
        )
        cls.sup_city_b = user(
            "sw_sup_cb", "Supervisor City B", CITY_SUPERVISOR, cls.city_b
        )
        cls.sup_province = user(
            "sw_sup_p", "Supervisor Province", PROVINCE_SUPERVISOR, cls.province
        )
        cls.manager = user("sw_manager", "Shouwen Manager", MANAGER, cls.province)
        cls.inspector = user("sw_inspector", "Inspector", INSPECTOR, False)
        cls.employee = user("sw_employee", "Plain Employee", "base.group_user", False)
        cls.employee.shouwen_unit_id = cls.county_a2
        cls.outsider = user("sw_outsider", "Outsider Staff", STAFF, cls.other_province)
        cls.staff_no_unit = user("sw_no_unit", "Staff Without Unit", STAFF, False)

        cls.county_a1.supervisor_ids = cls.sup_a1
        cls.county_a2.supervisor_ids = cls.sup_a2
        cls.city_a.supervisor_ids = cls.sup_city_a
        cls.city_b.supervisor_ids = cls.sup_city_b
        cls.province.supervisor_ids = cls.sup_province

        cls.post_counter.user_ids = cls.staff_a1 | cls.staff_a1b
        cls.post_claims.user_ids = cls.staff_a2 | cls.staff_b1 | cls.staff_city_a

    @classmethod
    def _new_user(cls, login, name, groups, unit):
        return new_test_user(
            cls.env,
            login=login,
            name=name,
            groups=groups,
            email=f"{login}@example.com",
            shouwen_unit_id=unit.id if unit else False,
            tz="Asia/Shanghai",
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    @classmethod
    def _matter_values(cls, **values):
        return {
            "subject": "车险理赔进度查询",
            "description": "客户询问理赔款何时到账",
            "channel": "counter",
            "kind": "consult",
            "business_domain": "claims",
            "customer_type": "external",
            "customer_name": "张三",
            "customer_phone": PHONE,
            "customer_id_number": ID_NUMBER,
            **values,
        }

    @classmethod
    def register(cls, user, **values):
        """Register a matter as ``user``; the matter is returned in their
        environment."""
        return (
            cls.env["shouwen.matter"]
            .with_user(user)
            .create(cls._matter_values(**values))
        )

    def guided(self, guide, target, **values):
        """A matter registered by ``guide`` and guided to ``target``."""
        matter = self.register(guide, **values)
        matter.guide(target, note="请协助办理")
        return matter

    def accepted(self, guide, target, **values):
        """A matter guided by ``guide`` and accepted by ``target``, returned in
        the target's environment."""
        matter = self.guided(guide, target, **values).with_user(target)
        matter.action_accept()
        return matter

    def coordinating(self, responsible, assignee, task="核对保单信息", **values):
        """A matter handled by ``responsible`` with one part given to
        ``assignee``; returns ``(matter, part)``."""
        matter = self.register(responsible, **values)
        matter.action_handle()
        part = matter.coordinate(assignee, task)
        return matter, part

    @staticmethod
    def as_user(record, user):
        return record.with_user(user)

    def snapshot(self, matter):
        matter = matter.sudo()
        matter.env.invalidate_all()
        values = {}
        for fname in SNAPSHOT_FIELDS:
            value = matter[fname]
            values[fname] = value.ids if hasattr(value, "ids") else value
        values["part_states"] = matter.part_ids.mapped("state")
        return values

    @contextmanager
    def assertLogged(self, matter, *expected):
        """The block adds exactly the ``expected`` log lines (see
        :func:`expect_log`) to ``matter``, in this order, and leaves the
        responsibility invariant true."""
        matter = matter.sudo()
        matter.env.invalidate_all()
        before = matter.log_ids
        yield
        matter.env.invalidate_all()
        new = (matter.log_ids - before).sorted("id")
        self.assertEqual(
            len(matter.log_ids),
            len(before) + len(expected),
            f"expected {[e['action'] for e in expected]}, "
            f"logged {new.mapped('action')}",
        )
        self.assertEqual(new.mapped("action"), [e["action"] for e in expected])
        for line, values in zip(new, expected, strict=True):
            for fname, value in values.items():
                actual = line[fname]
                if fname.endswith("_id"):
                    actual = actual.id or None
                    value = value.id if value else None
                else:
                    actual = actual or None
                self.assertEqual(actual, value, f"log line {line.action}: {fname}")
        self.assertResponsibilityInvariant(matter)

    def assertResponsibilityInvariant(self, matter):
        """Exactly one first responsible while the matter is open; a guide
        target exactly while it is being guided."""
        matter = matter.sudo()
        matter.invalidate_recordset()
        if matter.state != "closed":
            self.assertEqual(len(matter.first_responsible_id), 1)
            self.assertTrue(matter.is_open)
        self.assertEqual(bool(matter.guide_to_id), matter.state == "guiding")

    @contextmanager
    def assertRefused(self, matter, exception=UserError):
        """The block raises ``exception`` and changes nothing on ``matter``:
        no field, no log line, no part, no activity."""
        before = self.snapshot(matter)
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertEqual(self.snapshot(matter), before)


def shanghai(*args):
    """A moment read on a clock in Shanghai (UTC+8, no daylight saving time),
    as the naive UTC datetime Odoo stores: ``shanghai(2025, 10, 11, 17, 30)``
    is ``datetime(2025, 10, 11, 9, 30)``."""
    return datetime(*args) - timedelta(hours=8)


class ShouwenClockCase(ShouwenCase):
    """Time limits: fixtures and helpers to read a matter's clock and its
    follow-up (reminders, escalation activities, chatter notes, log lines)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the sweep reads every due matter of the database: keep those this
        # class did not create (e.g. demo data) out of its way
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE shouwen_matter SET next_followup_date = NULL "
            "WHERE next_followup_date IS NOT NULL"
        )
        cls.env.cr.execute(
            "UPDATE shouwen_handover SET next_check_date = NULL "
            "WHERE next_check_date IS NOT NULL"
        )
        cls.env.invalidate_all()
        cls.policy_business = cls.env.ref(
            "shouwen_responsibility.shouwen_time_policy_business"
        )
        cls.policy_query = cls.env.ref(
            "shouwen_responsibility.shouwen_time_policy_query"
        )
        cls.policy_complaint = cls.env.ref(
            "shouwen_responsibility.shouwen_time_policy_complaint"
        )

    def sweep(self):
        """One run of the follow-up cron, as the scheduler calls it."""
        return self.env["shouwen.matter"]._cron_followup_sweep()

    def activities(self, matter, key, user=None):
        """The open activities of type ``key`` (reminder, escalation,
        extension, …) on ``matter``, for ``user`` when given."""
        domain = [
            ("res_model", "=", "shouwen.matter"),
            ("res_id", "=", matter.id),
            (
                "activity_type_id",
                "=",
                self.env.ref(
                    f"shouwen_responsibility.mail_activity_type_shouwen_{key}"
                ).id,
            ),
        ]
        if user is not None:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def notes(self, matter, template):
        """The chatter notes posted on ``matter`` from the mail template
        ``template`` (``reminder`` or ``escalation``)."""
        subject = self.env.ref(
            f"shouwen_responsibility.mail_template_shouwen_{template}"
        )._render_field("subject", matter.ids, compute_lang=True)[matter.id]
        return self.env["mail.message"].search(
            [
                ("model", "=", "shouwen.matter"),
                ("res_id", "=", matter.id),
                ("subject", "=", subject),
            ]
        )

    def log_lines(self, matter, action):
        return matter.sudo().log_ids.filtered(lambda line: line.action == action)
