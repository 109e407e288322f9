"""The demo logins, driven over JSON-RPC with odoorpc against a real server:
each role sees exactly what the rules give it, and personal data is masked for
those who do not handle the matter."""

import pytest

MATTER = "shouwen.matter"


@pytest.fixture(scope="module")
def admin(odoo_server):
    import odoorpc

    client = odoorpc.ODOO("127.0.0.1", port=odoo_server.port, timeout=120)
    client.login(odoo_server.db, "admin", "admin")
    return client


def _user(admin, login):
    users = admin.env["res.users"].search_read(
        [("login", "=", login)], ["partner_id", "shouwen_unit_id"]
    )
    assert users, f"demo login {login} is missing: the test database has no demo data"
    return users[0]


def _involving(admin, user):
    """Matters a front-line user takes part in or follows, computed as admin."""
    uid, partner = user["id"], user["partner_id"][0]
    unit = user["shouwen_unit_id"] and user["shouwen_unit_id"][0]
    return set(
        admin.env[MATTER].search(
            [
                "|",
                "|",
                "|",
                "|",
                "|",
                "|",
                "|",
                "|",
                ("first_receiver_id", "=", uid),
                ("first_responsible_id", "=", uid),
                ("handler_id", "=", uid),
                ("guide_to_id", "=", uid),
                ("assign_user_id", "=", uid),
                ("assignment_approver_ids", "in", [uid]),
                ("part_ids.assignee_id", "=", uid),
                ("message_partner_ids", "in", [partner]),
                "&",
                "&",
                ("state", "=", "assigned"),
                ("assign_user_id", "=", False),
                ("assign_unit_id", "=", unit),
            ]
        )
    )


@pytest.mark.parametrize("login", ["zz01_staff1", "zz01_staff2", "ny02_staff1"])
def test_county_staff_see_only_the_matters_they_take_part_in(admin, odoo_login, login):
    user = _user(admin, login)
    expected = _involving(admin, user)
    client = odoo_login(login, login)
    seen = set(client.env[MATTER].search([]))
    assert seen == expected
    assert expected, f"{login} should have demo matters"
    assert len(seen) < admin.env[MATTER].search_count([])


@pytest.mark.parametrize(
    "login, scope",
    [
        ("zz01_supervisor", "unit"),
        ("zz_manager", "subtree"),
        ("hn_manager", "all"),
        ("hn_inspector", "all"),
    ],
)
def test_supervisors_see_their_level(admin, odoo_login, login, scope):
    user = _user(admin, login)
    unit_id = user["shouwen_unit_id"][0]
    if scope == "unit":
        domain = [("unit_id", "=", unit_id)]
    elif scope == "subtree":
        domain = [("unit_id", "child_of", unit_id)]
    else:
        domain = []
    expected = set(admin.env[MATTER].search(domain))
    if scope != "all":
        expected |= _involving(admin, user)
    client = odoo_login(login, login)
    assert set(client.env[MATTER].search([])) == expected


def test_inspector_sees_phones_masked_and_the_handler_in_clear(admin, odoo_login):
    staff = _user(admin, "zz01_staff1")
    matter_id = admin.env[MATTER].search(
        [("first_responsible_id", "=", staff["id"]), ("customer_phone", "!=", False)],
        limit=1,
    )[0]
    clear = admin.env[MATTER].read([matter_id], ["customer_phone"])[0]
    inspector = odoo_login("hn_inspector", "hn_inspector")
    masked = inspector.env[MATTER].read([matter_id], ["customer_phone"])[0]
    assert "****" in masked["customer_phone"]
    assert masked["customer_phone"] != clear["customer_phone"]
    handler = odoo_login("zz01_staff1", "zz01_staff1")
    assert (
        handler.env[MATTER].read([matter_id], ["customer_phone"])[0]["customer_phone"]
        == clear["customer_phone"]
    )


def test_nobody_deletes_a_matter_over_rpc(admin, odoo_login):
    import odoorpc

    matter_id = admin.env[MATTER].search([], limit=1)[0]
    for login in ("zz01_staff1", "hn_manager"):
        client = odoo_login(login, login)
        with pytest.raises(odoorpc.error.RPCError):
            client.env[MATTER].unlink([matter_id])
    assert admin.env[MATTER].search_count([("id", "=", matter_id)]) == 1
