"""Registration from two clients at once, through a real server: every matter
gets a number of its own and one registration line in its log."""

import threading

MATTER = "shouwen.matter"
PER_CLIENT = 8


def test_two_clients_registering_at_once_never_share_a_number(odoo_server):
    import odoorpc

    logins = ("zz01_staff1", "zz01_staff2")  # two staff of the same unit
    clients = []
    for login in logins:
        client = odoorpc.ODOO("127.0.0.1", port=odoo_server.port, timeout=120)
        client.login(odoo_server.db, login, login)
        clients.append(client)
    start = threading.Barrier(len(clients))
    created, errors = [], []

    def register(client, login):
        try:
            start.wait(timeout=60)
            for index in range(PER_CLIENT):
                created.append(
                    client.env[MATTER].create(
                        {
                            "subject": f"并发登记 {login} {index}",
                            "channel": "phone",
                            "kind": "consult",
                            "business_domain": "product",
                            "customer_name": "并发测试客户",
                            "customer_phone": f"1390000{index:04d}",
                        }
                    )
                )
        except Exception as error:  # reported below, with the others
            errors.append(error)

    threads = [
        threading.Thread(target=register, args=(client, login))
        for client, login in zip(clients, logins, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert len(created) == PER_CLIENT * len(clients)

    admin = odoorpc.ODOO("127.0.0.1", port=odoo_server.port, timeout=120)
    admin.login(odoo_server.db, "admin", "admin")
    matters = admin.env[MATTER].read(created, ["name", "log_ids"])
    names = [matter["name"] for matter in matters]
    assert len(set(names)) == len(names), sorted(names)
    assert all(name.startswith("ZZ01-") for name in names), names
    logs = admin.env["shouwen.matter.log"].search_read(
        [("matter_id", "in", created), ("action", "=", "register")], ["matter_id"]
    )
    assert sorted(line["matter_id"][0] for line in logs) == sorted(created)
