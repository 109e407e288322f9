"""A customer's contact over the wire, by the side doors (PIPL): a contact
only the staff of its matters may read gives nothing of its phone, email,
address or tax number to anyone else through what Odoo computes for the
records that name it — a form's changes (``onchange`` of a user, a company,
a follower), the details a client may ask in its name (``show_email``,
``show_address``, ``show_vat``), a matter that names it, a follower or a
recipient added to a matter — and a refused call leaves nothing stored.

The contacts are a company customer of a matter of ZZ01 and a person under
it (a company customer's people are its data too)."""

import json

import pytest

MATTER = "shouwen.matter"
#: the contacts' details, none of which an outsider may get back
SECRETS = {
    "phone": "13955550101",
    "mobile": "13955550102",
    "email": "kehu@secret.example",
    "street": "保密路1号",
    "vat": "91410100SECRET01",
}
#: who may read the matter or call the forms, but not the contacts
OUTSIDERS = ("ny02_staff1", "hn_inspector", "hn_customer")
#: what the refused calls must leave as it was
COUNTED = ("shouwen.matter", "mail.followers", "mail.message", "res.partner")


@pytest.fixture(scope="module")
def contacts(orm):
    """A company customer of a matter zz01_staff1 handles, a person under
    it, and a matter of ny02_staff1's own (as the superuser)."""

    def set_up(env):
        env = env(su=True)
        Partner = env["res.partner"]
        company = Partner.create(
            {"name": "保密物流有限公司", "is_company": True, **SECRETS}
        )
        person = Partner.create(
            {
                "name": "保密联系人",
                "parent_id": company.id,
                **{key: f"9{value}" for key, value in SECRETS.items()},
            }
        )
        zz01 = env["res.users"].search([("login", "=", "zz01_staff1")])
        matter = env[MATTER].search([("handler_id", "=", zz01.id)], limit=1)
        matter.partner_id = company
        ny02 = env["res.users"].search([("login", "=", "ny02_staff1")])
        own = env[MATTER].search(
            [("handler_id", "=", ny02.id), ("is_open", "=", True)], limit=1
        )
        assert matter and own, "the demo has a matter for each clerk"
        return {
            "company": company.id,
            "person": person.id,
            "matter": matter.id,
            "own": own.id,
            "own_partner": own.partner_id.id,
        }

    return orm("admin", set_up, commit=True)


def _secrets():
    return {*SECRETS.values(), *(f"9{value}" for value in SECRETS.values())}


def _leaked(answer):
    text = json.dumps(answer, ensure_ascii=False, default=str)
    return sorted(secret for secret in _secrets() if secret in text)


def _call(client, model, method, *args, **kwargs):
    import odoorpc

    # in the staff's language, as the web client asks
    kwargs["context"] = {"lang": "zh_CN", **kwargs.get("context", {})}
    try:
        return client.execute_kw(model, method, list(args), kwargs)
    except odoorpc.error.RPCError as error:
        return f"refused: {error}"


@pytest.mark.parametrize("login", OUTSIDERS)
def test_the_forms_and_names_give_nothing_of_a_hidden_contact(
    odoo_server, contacts, login
):
    """Onchange of the models that show a contact's details, with the
    contact as a value or as a default, and the names of a matter's contact
    with their details asked: nothing of the contact comes back."""
    client = odoo_server.login(login, login)
    spec = {key: {} for key in ("email", "phone", "mobile", "street", "vat")}
    answers = {}
    for contact in ("company", "person"):
        pid = contacts[contact]
        for model, fname, fields_spec in (
            ("res.users", "partner_id", spec),
            ("res.company", "partner_id", spec),
            ("mail.followers", "partner_id", {"email": {}, "name": {}}),
        ):
            answers[(contact, model, "values")] = _call(
                client, model, "onchange", [], {fname: pid}, [fname], fields_spec
            )
            answers[(contact, model, "default")] = _call(
                client,
                model,
                "onchange",
                [],
                {},
                [],
                fields_spec,
                context={f"default_{fname}": pid},
            )
        # the contact inside a linked record given with values of its own
        # (the caller's own user, made anew with the contact as its partner),
        # as a value, as a default and in a line
        me = {"id": client.env.uid, "partner_id": pid}
        answers[(contact, "own user", "values")] = _call(
            client,
            "mail.activity",
            "onchange",
            [],
            {"user_id": me},
            [],
            {"user_id": {"fields": spec}},
        )
        answers[(contact, "own user", "default")] = _call(
            client,
            "mail.activity",
            "onchange",
            [],
            {},
            [],
            {"user_id": {"fields": spec}},
            context={"default_user_id": me},
        )
        answers[(contact, "line", "values")] = _call(
            client,
            "res.partner",
            "onchange",
            [],
            {"child_ids": [[0, "line", {"name": "n", "user_id": me}]]},
            [],
            {"child_ids": {"fields": {"user_id": {"fields": spec}}}},
        )
    details = {"show_email": 1, "show_address": 1, "show_vat": 1}
    matter = contacts["matter"]
    answers["read"] = _call(
        client, MATTER, "read", [matter], ["partner_id"], context=details
    )
    answers["web_read"] = _call(
        client,
        MATTER,
        "web_read",
        [matter],
        {"partner_id": {"fields": {"display_name": {}}}},
        context=details,
    )
    answers["read_group"] = _call(
        client,
        MATTER,
        "read_group",
        [("id", "=", matter)],
        ["partner_id"],
        ["partner_id"],
        context=details,
    )
    # refused in the staff's language: the forms named a contact hidden
    # from the caller (not an error of the call itself)
    for key, answer in answers.items():
        if key[-1] in ("values", "default"):
            assert "只能使用您有权查看的联系人" in str(answer), (key, answer)
    leaks = {key: _leaked(answer) for key, answer in answers.items()}
    assert not any(leaks.values()), (login, {k: v for k, v in leaks.items() if v})
    if login == "hn_inspector":
        # the inspector reads the matter: its contact's name, not its details
        assert "保密物流有限公司" in json.dumps(answers["read"], ensure_ascii=False)


def test_a_clerk_cannot_name_a_hidden_contact(odoo_server, orm, contacts, counts):
    """Another unit's clerk names the company customer, or its person, on a
    matter of their own, as a follower or as a recipient: each is refused in
    their language, and nothing is stored — the contact stays unreadable to
    them."""
    client = odoo_server.login("ny02_staff1", "ny02_staff1")
    before = counts()
    own = contacts["own"]
    refused = {}
    for contact in ("company", "person"):
        pid = contacts[contact]
        refused[(contact, "create")] = _call(
            client,
            MATTER,
            "create",
            {"subject": "冒名客户", "customer_name": "某", "partner_id": pid},
        )
        refused[(contact, "write")] = _call(
            client, MATTER, "write", [own], {"partner_id": pid}
        )
        refused[(contact, "subscribe")] = _call(
            client, MATTER, "message_subscribe", [own], partner_ids=[pid]
        )
        refused[(contact, "post")] = _call(
            client, MATTER, "message_post", [own], body="您好", partner_ids=[pid]
        )
    for key, answer in refused.items():
        assert isinstance(answer, str) and "只能使用您有权查看的联系人" in answer, (
            key,
            answer,
        )
    assert counts() == before

    def stored(env):
        env = env(su=True)
        matter = env[MATTER].browse(own)
        return {
            "partner": matter.partner_id.id,
            "customers": matter.customer_partner_ids.ids,
            "followers": matter.message_partner_ids.ids,
        }

    after = orm("admin", stored)
    assert after["partner"] == contacts["own_partner"]
    hidden = {contacts["company"], contacts["person"]}
    assert not hidden & {*after["customers"], *after["followers"]}
    assert (
        _call(client, "res.partner", "read", [contacts["person"]], ["phone"])[:8]
        == "refused:"
    )


def test_the_handler_writes_to_the_customer_who_does_not_follow(
    odoo_server, orm, contacts
):
    """The handler, who reads the customer, writes to them from the chatter
    (recipients followed as the web client asks): the message goes, the
    customer does not become a follower, and adding them as one is refused —
    a matter's followers are staff."""
    client = odoo_server.login("zz01_staff1", "zz01_staff1")
    matter, person = contacts["matter"], contacts["person"]
    posted = _call(
        client,
        MATTER,
        "message_post",
        [matter],
        body="您的事项已受理。",
        partner_ids=[person],
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
        context={"mail_post_autofollow": True},
    )
    assert isinstance(posted, int), posted
    subscribed = _call(
        client, MATTER, "message_subscribe", [matter], partner_ids=[person]
    )
    assert isinstance(subscribed, str) and "只有员工可以关注事项" in subscribed

    def state(env):
        env = env(su=True)
        message = env["mail.message"].browse(posted)
        return {
            "recipients": message.partner_ids.ids,
            "followers": env[MATTER].browse(matter).message_partner_ids.ids,
        }

    after = orm("admin", state)
    assert after["recipients"] == [person]
    assert person not in after["followers"]


@pytest.mark.parametrize("login", ("ny02_staff1", "hn_inspector", "zz01_staff1"))
def test_the_systems_own_contact_fields_are_not_searched_by_staff(
    odoo_server, contacts, login
):
    """A contact's matters and units, and a matter's customer contacts past
    and present, are read by the system only: searching by them is refused
    too — the records found would tell which contact is the customer of a
    matter the searcher may not read.  The administrator searches them."""
    client = odoo_server.login(login, login)
    company, matter = contacts["company"], contacts["matter"]
    searches = {
        "contact's matters": ("res.partner", [("shouwen_matter_ids", "in", [matter])]),
        "contact's units": (
            "res.partner",
            [("shouwen_customer_unit_ids", "!=", False)],
        ),
        "matter's contacts": (MATTER, [("customer_partner_ids", "in", [company])]),
    }
    for label, (model, domain) in searches.items():
        answer = _call(client, model, "search", domain)
        assert isinstance(answer, str) and answer.startswith("refused"), (label, answer)
    admin = odoo_server.login("admin", "admin")
    assert _call(admin, MATTER, "search", searches["matter's contacts"][1]) == [matter]
