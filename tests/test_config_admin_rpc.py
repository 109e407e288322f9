"""The addon's administrator (配置管理, demo login ``hn_admin``) over JSON-RPC
(issue 18, case 9): no Odoo Settings rights, hence no code run in the server
(server actions, automation code, filters); the log and the chatter of
matters stay out of reach; and everything the README says administrators
configure still works — each checked in what was stored afterwards."""

import time

import odoorpc
import pytest

MANAGER = "shouwen_responsibility.group_shouwen_manager"
RULE = "shouwen_responsibility.base_automation_followup_escalation"


@pytest.fixture(scope="module")
def hn_admin(odoo_server):
    return odoo_server.login("hn_admin", "hn_admin")


@pytest.fixture(scope="module")
def admin(odoo_server):
    return odoo_server.login("admin", "admin")


def refused(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except odoorpc.error.RPCError:
        return True
    return False


def _id(client, xmlid):
    return client.env.ref(xmlid).id


# ----------------------------------------------------------------------
# no Settings rights, no code
# ----------------------------------------------------------------------


def test_only_admin_has_settings_rights(admin):
    Users = admin.env["res.users"]
    for group in ("base.group_system", "base.group_erp_manager"):
        holders = Users.search_read(
            [("groups_id", "in", [_id(admin, group)]), ("share", "=", False)],
            ["login"],
        )
        assert {user["login"] for user in holders} == {"admin"}, group
    hn_admin = Users.search([("login", "=", "hn_admin")])
    assert Users.search_count(
        [("id", "in", hn_admin), ("groups_id", "in", [_id(admin, MANAGER)])]
    )


def test_the_administrator_cannot_create_or_change_server_code(hn_admin, admin):
    Actions = hn_admin.env["ir.actions.server"]
    model_id = _id(admin, "shouwen_responsibility.model_shouwen_matter_log")
    before = admin.env["ir.actions.server"].search_count([])
    assert refused(
        Actions.create,
        {
            "name": "清理日志",
            "model_id": model_id,
            "state": "code",
            "code": "env['shouwen.matter.log'].sudo().search([]).unlink()",
        },
    )
    assert admin.env["ir.actions.server"].search_count([]) == before
    action_id = _id(admin, RULE + "_action")
    code = admin.env["ir.actions.server"].read([action_id], ["code"])[0]["code"]
    assert refused(
        hn_admin.execute, "ir.actions.server", "write", [action_id], {"code": "1"}
    )
    assert refused(hn_admin.execute, "ir.actions.server", "run", [action_id])
    assert admin.env["ir.actions.server"].read([action_id], ["code"])[0]["code"] == code


def test_the_administrator_cannot_create_automation_nor_change_its_code(
    hn_admin, admin
):
    rule_id = _id(admin, RULE)
    fields = ["filter_domain", "action_server_ids", "trigger", "model_id"]
    before = admin.env["base.automation"].read([rule_id], fields)
    model_id = _id(admin, "shouwen_responsibility.model_shouwen_matter")
    assert refused(
        hn_admin.env["base.automation"].create,
        {"name": "x", "model_id": model_id, "trigger": "on_create_or_write"},
    )
    for vals in (
        {"filter_domain": "[('id', '=', user.sudo().write({}) and 1)]"},
        {
            "action_server_ids": [
                (
                    0,
                    0,
                    {"name": "x", "model_id": model_id, "state": "code", "code": "1"},
                )
            ]
        },
        {"trigger": "on_create_or_write"},
        {"active": False, "filter_domain": "[]"},
    ):
        assert refused(hn_admin.execute, "base.automation", "write", [rule_id], vals)
    assert admin.env["base.automation"].read([rule_id], fields) == before
    # other automation rules are not theirs to read
    other = admin.env["base.automation"].create(
        {
            "name": "联系人规则",
            "model_id": _id(admin, "base.model_res_partner"),
            "trigger": "on_create_or_write",
        }
    )
    try:
        assert hn_admin.env["base.automation"].search([("id", "=", other)]) == []
        assert refused(hn_admin.env["base.automation"].read, [other], ["name"])
        assert refused(
            hn_admin.execute, "base.automation", "write", [other], {"active": False}
        )
    finally:
        admin.execute("base.automation", "unlink", [other])


def test_the_administrator_cannot_change_the_log_or_the_chatter(hn_admin, admin):
    line = admin.env["shouwen.matter.log"].search([], limit=1)[0]
    reason = admin.env["shouwen.matter.log"].read([line], ["reason"])[0]["reason"]
    assert refused(
        hn_admin.execute, "shouwen.matter.log", "write", [line], {"reason": "x"}
    )
    assert refused(hn_admin.execute, "shouwen.matter.log", "unlink", [line])
    assert admin.env["shouwen.matter.log"].read([line], ["reason"])[0]["reason"] == (
        reason
    )
    matter = admin.env["shouwen.matter"].search([], limit=1)[0]
    message = admin.execute_kw(
        "shouwen.matter",
        "message_post",
        [[matter]],
        {
            "body": "管理员备注",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_note",
        },
    )
    body = admin.env["mail.message"].read([message], ["body"])[0]["body"]
    assert refused(hn_admin.execute, "mail.message", "write", [message], {"body": "x"})
    assert refused(hn_admin.execute, "mail.message", "unlink", [message])
    assert admin.env["mail.message"].read([message], ["body"])[0]["body"] == body


def test_the_administrator_cannot_touch_other_parameters_or_accounts(hn_admin, admin):
    url = admin.env["ir.config_parameter"].get_param("web.base.url")
    assert refused(
        hn_admin.execute, "ir.config_parameter", "set_param", "web.base.url", "x"
    )
    assert refused(
        hn_admin.execute,
        "ir.config_parameter",
        "set_param",
        "shouwen_responsibility.not_a_threshold",
        "1",
    )
    assert admin.env["ir.config_parameter"].get_param("web.base.url") == url
    Users = admin.env["res.users"]
    staff = Users.search([("login", "=", "zz01_staff2")])
    admin_id = Users.search([("login", "=", "admin")])
    system = _id(admin, "base.group_system")
    for target, vals in (
        (staff, {"groups_id": [(4, system)]}),
        (staff, {"login": "zz01_staff2_x"}),
        (staff, {"password": "x"}),
        (staff, {"shouwen_role": "manager", "name": "x"}),
        (admin_id, {"shouwen_unit_id": False}),
    ):
        assert refused(hn_admin.execute, "res.users", "write", target, vals), vals
    assert Users.read(staff, ["login", "groups_id"])[0]["login"] == "zz01_staff2"
    assert system not in Users.read(staff, ["groups_id"])[0]["groups_id"]


# ----------------------------------------------------------------------
# what administrators configure still works
# ----------------------------------------------------------------------


def test_the_administrator_configures_units_posts_and_letter_addresses(hn_admin, admin):
    Units = hn_admin.env["shouwen.unit"]
    city = admin.env["shouwen.unit"].search([("code", "=", "ZZ")])[0]
    code = f"ZZ9{int(time.time() * 1000) % 100000:05d}"  # new at each run
    unit = Units.create(
        {
            "name": "郑州新区营销服务部",
            "code": code,
            "level": "county",
            "parent_id": city,
        }
    )
    hn_admin.execute(
        "shouwen.unit",
        "write",
        [unit],
        {"phone": "0371-60000009", "alias_name": f"{code.lower()}-letters"},
    )
    stored = admin.env["shouwen.unit"].read(
        [unit], ["phone", "alias_name", "parent_id"]
    )[0]
    assert stored["phone"] == "0371-60000009"
    assert stored["alias_name"] == f"{code.lower()}-letters"
    assert stored["parent_id"][0] == city
    post = hn_admin.env["shouwen.post"].create({"name": "新区客户服务站"})
    hn_admin.execute(
        "shouwen.post", "write", [post], {"name": "新区客户服务站（试点）"}
    )
    assert admin.env["shouwen.post"].read([post], ["name"])[0]["name"] == (
        "新区客户服务站（试点）"
    )
    # leave the demo as it was for the other tests
    hn_admin.execute("shouwen.post", "unlink", [post])
    admin.execute("shouwen.unit", "write", [unit], {"active": False})


def test_the_administrator_gives_staff_their_unit_posts_and_role(hn_admin, admin):
    Users = admin.env["res.users"]
    staff = Users.search([("login", "=", "zz01_staff2")])
    fields = [
        "shouwen_unit_id",
        "shouwen_post_ids",
        "shouwen_role",
        "shouwen_inspector",
    ]
    before = Users.read(staff, fields)[0]
    # what the staff list and form show them
    assert hn_admin.env["res.users"].read(staff, fields)[0] == before
    unit = admin.env["shouwen.unit"].search([("code", "=", "ZZ02")])[0]
    post = admin.env["shouwen.post"].search([], limit=1)[0]
    supervisor = _id(admin, "shouwen_responsibility.group_shouwen_unit_supervisor")
    try:
        hn_admin.execute(
            "res.users",
            "write",
            staff,
            {
                "shouwen_unit_id": unit,
                "shouwen_post_ids": [(6, 0, [post])],
                "shouwen_role": "unit_supervisor",
            },
        )
        stored = Users.read(staff, [*fields, "groups_id"])[0]
        assert stored["shouwen_unit_id"][0] == unit
        assert stored["shouwen_post_ids"] == [post]
        assert stored["shouwen_role"] == "unit_supervisor"
        assert supervisor in stored["groups_id"]
        # the same through the dialog of the staff form
        Dialog = hn_admin.env["shouwen.staff.wizard"]
        dialog = Dialog.create({"user_id": staff[0]})
        hn_admin.execute(
            "shouwen.staff.wizard",
            "write",
            [dialog],
            {"role": "staff", "inspector": True},
        )
        hn_admin.execute("shouwen.staff.wizard", "action_apply", [dialog])
        stored = Users.read(staff, [*fields, "groups_id"])[0]
        assert stored["shouwen_role"] == "staff"
        assert stored["shouwen_inspector"]
        assert supervisor not in stored["groups_id"]
    finally:
        admin.execute(
            "res.users",
            "write",
            staff,
            {
                "shouwen_unit_id": before["shouwen_unit_id"][0],
                "shouwen_post_ids": [(6, 0, before["shouwen_post_ids"])],
                "shouwen_role": before["shouwen_role"],
                "shouwen_inspector": before["shouwen_inspector"],
            },
        )
    assert Users.read(staff, fields)[0] == before


def test_the_administrator_sets_policies_days_and_notice_templates(hn_admin, admin):
    policy = _id(admin, "shouwen_responsibility.shouwen_time_policy_business")
    amount = admin.env["shouwen.time.policy"].read([policy], ["closure_amount"])[0]
    try:
        hn_admin.execute(
            "shouwen.time.policy", "write", [policy], {"closure_amount": 4}
        )
        assert (
            admin.env["shouwen.time.policy"].read([policy], ["closure_amount"])[0][
                "closure_amount"
            ]
            == 4
        )
    finally:
        hn_admin.execute(
            "shouwen.time.policy",
            "write",
            [policy],
            {"closure_amount": amount["closure_amount"]},
        )
    day = hn_admin.env["shouwen.calendar.day"].create(
        {"date": "2032-01-02", "day_type": "holiday", "name": "测试调休"}
    )
    assert (
        admin.env["shouwen.calendar.day"].read([day], ["day_type"])[0]["day_type"]
        == "holiday"
    )
    hn_admin.execute("shouwen.calendar.day", "unlink", [day])
    assert not admin.env["shouwen.calendar.day"].search([("id", "=", day)])
    template = hn_admin.env["shouwen.notice.template"].create(
        {
            "name": "新区承保材料",
            "business_domain": "underwriting",
            "kind": "business",
            "materials": "投保单",
        }
    )
    assert (
        admin.env["shouwen.notice.template"].read([template], ["materials"])[0][
            "materials"
        ]
        == "投保单"
    )
    hn_admin.execute("shouwen.notice.template", "unlink", [template])


def test_the_administrator_switches_follow_up_rules_and_sets_their_delay(
    hn_admin, admin
):
    rule_id = _id(admin, RULE)
    fields = ["active", "trg_date_range", "trg_date_range_type"]
    before = admin.env["base.automation"].read([rule_id], fields)[0]
    model_id = _id(admin, "shouwen_responsibility.model_shouwen_matter")
    found = hn_admin.execute_kw(
        "base.automation",
        "search_read",
        [[("model_id", "=", model_id)], ["name", *fields]],
        {"context": {"active_test": False}},
    )
    assert rule_id in [rule["id"] for rule in found]
    try:
        hn_admin.execute(
            "base.automation",
            "write",
            [rule_id],
            {"active": False, "trg_date_range": 2, "trg_date_range_type": "hour"},
        )
        stored = admin.env["base.automation"].read([rule_id], fields)[0]
        assert (stored["active"], stored["trg_date_range"]) == (False, 2)
        assert stored["trg_date_range_type"] == "hour"
    finally:
        admin.execute(
            "base.automation",
            "write",
            [rule_id],
            {key: before[key] for key in fields},
        )


def test_the_administrator_sets_the_thresholds(hn_admin, admin):
    key = "shouwen_responsibility.urge_days"
    before = admin.env["ir.config_parameter"].get_param(key)
    try:
        hn_admin.execute("ir.config_parameter", "set_param", key, "2")
        assert admin.env["ir.config_parameter"].get_param(key) == "2"
        assert refused(
            hn_admin.execute, "ir.config_parameter", "set_param", key, "两天"
        )
        assert admin.env["ir.config_parameter"].get_param(key) == "2"
        found = hn_admin.env["ir.config_parameter"].search_read([], ["key"])
        assert found and all(
            row["key"].startswith("shouwen_responsibility.") for row in found
        )
        # a threshold not stored yet is created with its value
        new = "shouwen_responsibility.callback_attempts"
        hn_admin.execute("ir.config_parameter", "set_param", new, "4")
        assert admin.env["ir.config_parameter"].get_param(new) == "4"
        admin.execute("ir.config_parameter", "set_param", new, False)
    finally:
        admin.execute("ir.config_parameter", "set_param", key, before)
