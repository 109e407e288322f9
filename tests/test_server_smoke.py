"""Smoke test of a real Odoo server serving the test database."""

import urllib.request


def test_web_login_page(odoo_server):
    with urllib.request.urlopen(odoo_server.url("/web/login"), timeout=30) as resp:
        assert resp.status == 200
        body = resp.read().decode("utf-8", "replace")
    assert 'name="login"' in body


def test_admin_can_log_in_over_rpc(odoo_login):
    client = odoo_login("admin", "admin")
    assert client.env.uid
    assert client.env["res.users"].search_count([]) > 0
