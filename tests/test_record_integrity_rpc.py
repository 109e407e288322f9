"""The record cannot be bent (issue 18, cases 1–8), tried over the wire as
each demo role would: JSON-RPC with ``odoorpc`` (the calls any script makes),
the chatter's own HTTP routes, the public form.  Every attempt must end
refused, or harmless, and what is stored is read back afterwards as the
superuser, not taken from the call's answer.

1. chatter: readers who may not act do not post; a message is authored by
   its poster, dated now, with the ORM's tracking values only; its fields
   are frozen; the customer posts through the portal's composer only;
2. findings: their unit is the person's; nobody records or decides about
   their superiors or peers;
3. reclassification: an action with a reason, logged and tracked, which
   keeps a passed deadline; a complaint under way stays one;
4. evidence: files of a matter and of its messages (the online form's
   included) are append-only;
5. to-dos: only their own user and the matter's writers close or change them;
6. a complaint assigned to a person is not its colleagues';
7. an assignment goes to the proposed person's own unit and line;
8. a status link is made on purpose by the first responsible (logged),
   never on the way by a reader.
"""

import base64
import re
import uuid
from datetime import datetime, timedelta

import pytest

from conftest import online_limits

MATTER = "shouwen.matter"
STAFF = "zz01_staff1"
COLLEAGUE = "zz01_staff2"
SUPERVISOR = "zz01_supervisor"
CITY = "zz_manager"
PROVINCE = "hn_manager"
INSPECTOR = "hn_inspector"
CUSTOMER = "hn_customer"
#: the refusals a call may end with (anything else is a crash)
REFUSALS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
}
VALUES = {
    "subject": "批改进度查询（记录完整性）",
    "description": "客户询问批改何时生效",
    "channel": "counter",
    "kind": "business",
    "business_domain": "endorsement",
    "customer_type": "external",
    "customer_name": "钱七",
    "customer_phone": "13912345678",
}


# ----------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------


def refused(client, model, method, *args, **kwargs):
    """Call ``model.method(*args, **kwargs)`` over JSON-RPC; it must be
    refused (an access, user, validation or missing-record error)."""
    import odoorpc

    try:
        client.execute_kw(model, method, list(args), kwargs)
    except odoorpc.error.RPCError as error:
        data = error.info.get("data", {})
        assert data.get("name") in REFUSALS, (model, method, data.get("debug"))
        return data.get("message")
    raise AssertionError(f"{model}.{method}{args} {kwargs} was accepted")


def su(orm, func):
    """``func(env)`` as the superuser on the server's database (read back
    what is stored), rolled back."""
    return orm("admin", lambda env: func(env(su=True)))


def login(odoo_server, name):
    return odoo_server.login(name, name)


def browser(odoo_server, name=None):
    """A ``requests`` session, logged in as ``name`` (or anonymous)."""
    import requests

    session = requests.Session()
    if name:
        answer = session.post(
            odoo_server.url("/web/session/authenticate"),
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"db": odoo_server.db, "login": name, "password": name},
            },
            timeout=60,
        )
        assert answer.json()["result"]["uid"], answer.text
    return session


def json_route(session, odoo_server, path, **params):
    """A JSON route of the web client; its ``result`` or its ``error``."""
    answer = session.post(
        odoo_server.url(path),
        json={"jsonrpc": "2.0", "method": "call", "params": params},
        timeout=60,
    )
    if answer.status_code != 200:
        return {"error": {"http_status": answer.status_code}}
    return answer.json()


def upload(session, odoo_server, matter_id, name, content):
    """Attach a file with the chatter's paperclip, as the web client does:
    the JSON answer of ``/mail/attachment/upload``."""
    page = session.get(odoo_server.url("/odoo"), timeout=60)
    token = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
    answer = session.post(
        odoo_server.url("/mail/attachment/upload"),
        data={
            "csrf_token": token,
            "thread_id": str(matter_id),
            "thread_model": MATTER,
        },
        files={"ufile": (name, content, "text/plain")},
        timeout=60,
    )
    assert answer.status_code in (200, 404), answer.text[-2000:]
    return answer.json() if answer.status_code == 200 else {"error": 404}


def trail(orm, matter_id):
    """What the chatter, its tracking values, files and to-dos of a matter
    hold, as stored."""

    def read(env):
        messages = env["mail.message"].search(
            [("model", "=", MATTER), ("res_id", "=", matter_id)]
        )
        return {
            "messages": {
                m.id: (m.author_id.id, str(m.date), m.body, m.is_internal, m.res_id)
                for m in messages
            },
            "tracking": sorted(messages.tracking_value_ids.ids),
            "attachments": sorted(
                env["ir.attachment"]
                .search([("res_model", "=", MATTER), ("res_id", "=", matter_id)])
                .ids
            ),
            "activities": sorted(
                env["mail.activity"]
                .with_context(active_test=False)
                .search([("res_model", "=", MATTER), ("res_id", "=", matter_id)])
                .ids
            ),
        }

    return su(orm, read)


def register(odoo_server, name=STAFF, handle=True, **values):
    """A matter ``name`` registers over RPC (and handles)."""
    client = login(odoo_server, name)
    matter_id = client.execute(MATTER, "create", [dict(VALUES, **values)])[0]
    if handle:
        client.execute(MATTER, "action_handle", [matter_id])
    return matter_id


@pytest.fixture(scope="module")
def people(orm):
    """``{login: (user id, partner id)}`` of the demo logins used here."""

    def read(env):
        users = env["res.users"].search(
            [
                (
                    "login",
                    "in",
                    [
                        STAFF,
                        COLLEAGUE,
                        SUPERVISOR,
                        CITY,
                        PROVINCE,
                        INSPECTOR,
                        CUSTOMER,
                        "hn_admin",
                        "hn_staff",
                        "hn_office",
                        "zz_staff",
                        "zz_claims",
                        "zz02_staff1",
                        "ly01_staff1",
                        "ny02_staff1",
                    ],
                )
            ]
        )
        return {user.login: (user.id, user.partner_id.id) for user in users}

    return su(orm, read)


@pytest.fixture(scope="module")
def handled(odoo_server):
    """A business matter zz01_staff1 registered and handles."""
    return register(odoo_server)


def _ago(days):
    return (datetime.utcnow() - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")


def _state_field(orm):
    return su(
        orm,
        lambda env: env["ir.model.fields"]._get(MATTER, "state").id,
    )


# ----------------------------------------------------------------------
# 1. chatter
# ----------------------------------------------------------------------


def test_a_reader_who_may_not_act_posts_nothing_by_any_path(
    odoo_server, orm, people, handled
):
    """The inspector reads the matter and cannot post on it: no message
    (forged or plain), notification, file or to-do reaches it."""
    mark = f"forged-{uuid.uuid4()}"
    forged_tracking = [
        [
            0,
            0,
            {
                "field_id": _state_field(orm),
                "old_value_char": "引导中",
                "new_value_char": "已办结",
            },
        ]
    ]
    staff_partner = people[STAFF][1]
    before = trail(orm, handled)
    client = login(odoo_server, INSPECTOR)
    assert client.execute(MATTER, "read", [handled], ["name"])  # a reader
    message = {
        "model": MATTER,
        "res_id": handled,
        "body": f"<p>{mark}</p>",
        "message_type": "comment",
    }
    forged = dict(
        message,
        author_id=staff_partner,
        date=_ago(60),
        tracking_value_ids=forged_tracking,
    )
    refused(client, "mail.message", "create", [forged])
    refused(client, "mail.message", "create", [message])
    refused(client, MATTER, "message_post", [handled], body=mark)
    refused(
        client, MATTER, "message_post", [handled], body=mark, author_id=staff_partner
    )
    refused(client, MATTER, "message_post", [handled], body=mark, date=_ago(60))
    refused(
        client,
        MATTER,
        "message_post",
        [handled],
        body=mark,
        tracking_value_ids=forged_tracking,
    )
    refused(
        client,
        MATTER,
        "message_notify",
        [handled],
        body=mark,
        partner_ids=[staff_partner],
    )
    refused(
        client,
        "ir.attachment",
        "create",
        {"name": "伪造.txt", "raw": mark, "res_model": MATTER, "res_id": handled},
    )
    refused(
        client,
        "mail.activity",
        "create",
        {
            "res_model_id": su(orm, lambda env: env["ir.model"]._get_id(MATTER)),
            "res_id": handled,
            "activity_type_id": su(
                orm, lambda env: env.ref("mail.mail_activity_data_todo").id
            ),
            "summary": mark,
            "user_id": people[INSPECTOR][0],
        },
    )
    # nor through the chatter's own routes, as the web client posts
    session = browser(odoo_server, INSPECTOR)
    answer = upload(session, odoo_server, handled, "伪造.txt", mark.encode())
    assert "error" in answer, answer
    answer = json_route(
        session,
        odoo_server,
        "/mail/message/post",
        thread_model=MATTER,
        thread_id=handled,
        post_data={"body": mark, "message_type": "comment"},
    )
    assert "error" in answer, answer
    assert trail(orm, handled) == before
    assert not su(
        orm,
        lambda env: env["mail.message"].search_count([("body", "ilike", mark)]),
    )


def test_a_writer_posts_in_their_own_name_now_with_no_tracking_of_their_own(
    odoo_server, orm, people, handled
):
    mark = f"posted-{uuid.uuid4()}"
    client = login(odoo_server, STAFF)
    other = people[SUPERVISOR][1]
    before = trail(orm, handled)
    for forged in (
        {"author_id": other},
        {"author_id": False},
        {"email_from": "王建国 <boss@example.com>"},
        {"date": _ago(60)},
        {"message_type": "email"},
        {
            "tracking_value_ids": [
                [
                    0,
                    0,
                    {
                        "field_id": _state_field(orm),
                        "old_value_char": "引导中",
                        "new_value_char": "已办结",
                    },
                ]
            ]
        },
    ):
        refused(client, MATTER, "message_post", [handled], body=mark, **forged)
        refused(
            client,
            "mail.message",
            "create",
            dict(
                {"model": MATTER, "res_id": handled, "body": mark},
                **forged,
            ),
        )
    assert trail(orm, handled) == before
    message_id = client.execute_kw(
        MATTER,
        "message_post",
        [[handled]],
        {"body": mark, "message_type": "comment"},
    )

    def stored(env):
        message = env["mail.message"].browse(message_id)
        return (
            message.model,
            message.res_id,
            message.author_id.id,
            message.date,
            message.tracking_value_ids.ids,
        )

    model, res_id, author, date, tracking = su(orm, stored)
    assert (model, res_id, author, tracking) == (
        MATTER,
        handled,
        people[STAFF][1],
        [],
    )
    assert abs(date - datetime.utcnow()) < timedelta(minutes=10)
    # the supervisor of the unit posts too (in scope), as themselves
    supervisor = login(odoo_server, SUPERVISOR)
    note = supervisor.execute_kw(
        MATTER, "message_post", [[handled]], {"body": mark + " 督办"}
    )
    assert su(orm, lambda env: env["mail.message"].browse(note).author_id.id) == other


def test_the_messages_of_the_trail_are_frozen_field_by_field(
    odoo_server, orm, people, handled
):
    author = login(odoo_server, STAFF)
    message_id = author.execute_kw(
        MATTER,
        "message_post",
        [[handled]],
        {"body": "客户已补交材料", "message_type": "comment"},
    )
    other_matter = register(odoo_server, handle=False)
    before = trail(orm, handled)
    for name in (STAFF, SUPERVISOR, PROVINCE):
        client = login(odoo_server, name)
        for vals in (
            {"body": "改写"},
            {"is_internal": True},
            {"author_id": people[CITY][1]},
            {"date": _ago(60)},
            {"res_id": other_matter},
            {"model": "res.partner", "res_id": people[CITY][1]},
            {"partner_ids": [[6, 0, [people[CITY][1]]]]},
            {"subtype_id": 1},
            {"message_type": "email"},
            {"record_name": "另一事项"},
        ):
            refused(client, "mail.message", "write", [message_id], vals)
        refused(client, "mail.message", "unlink", [message_id])
        # the portal's route that flips a note to a message and back
        answer = json_route(
            browser(odoo_server, name),
            odoo_server,
            "/mail/update_is_internal",
            message_id=message_id,
            is_internal=True,
        )
        assert "error" in answer, (name, answer)
    assert trail(orm, handled) == before


def test_the_customer_posts_only_through_the_portals_composer_on_their_own_matter(
    odoo_server, orm, people
):
    customer_partner = people[CUSTOMER][1]

    def matters(env):
        own = env[MATTER].search([("partner_id", "=", customer_partner)], limit=1)
        other = env[MATTER].search(
            [("partner_id", "!=", customer_partner)], limit=1, order="id"
        )
        return own.id, other.id

    own, other = su(orm, matters)
    assert own, "the demo customer has a matter of their own"
    mark = f"customer-{uuid.uuid4()}"
    client = login(odoo_server, CUSTOMER)
    # over RPC: not even on their own matter, whatever the values
    refused(client, MATTER, "message_post", [own], body=mark)
    refused(
        client,
        "mail.message",
        "create",
        {"model": MATTER, "res_id": own, "body": mark, "message_type": "comment"},
    )
    refused(
        client,
        "mail.message",
        "create",
        {
            "model": MATTER,
            "res_id": own,
            "body": mark,
            "date": _ago(60),
            "tracking_value_ids": [
                [0, 0, {"field_id": _state_field(orm), "new_value_char": "已撤回"}]
            ],
        },
    )
    session = browser(odoo_server, CUSTOMER)
    # the portal's composer, on a matter not theirs: not found
    answer = json_route(
        session,
        odoo_server,
        "/mail/message/post",
        thread_model=MATTER,
        thread_id=other,
        post_data={"body": mark, "message_type": "comment"},
    )
    assert "error" in answer, answer
    # on their own: posted as themselves, now, nothing else
    answer = json_route(
        session,
        odoo_server,
        "/mail/message/post",
        thread_model=MATTER,
        thread_id=own,
        post_data={
            "body": mark,
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
        },
    )
    assert "result" in answer, answer

    def posted(env):
        return [
            (m.model, m.res_id, m.author_id.id, m.date, m.tracking_value_ids.ids)
            for m in env["mail.message"].search([("body", "ilike", mark)])
        ]

    ((model, res_id, author, date, tracking),) = su(orm, posted)
    assert (model, res_id, author, tracking) == (MATTER, own, customer_partner, [])
    assert abs(date - datetime.utcnow()) < timedelta(minutes=10)


# ----------------------------------------------------------------------
# 2. findings
# ----------------------------------------------------------------------


def test_a_unit_supervisor_records_findings_about_their_own_staff_only(
    odoo_server, orm, people
):
    def unit_of(env, name):
        return env["res.users"].search([("login", "=", name)]).shouwen_unit_id.id

    units = su(orm, lambda env: {n: unit_of(env, n) for n in (STAFF, SUPERVISOR, CITY)})
    mark = f"finding-{uuid.uuid4()}"
    client = login(odoo_server, SUPERVISOR)

    def finding(person, **values):
        return {
            "person_id": people[person][0],
            "finding_type": "attitude",
            "facts": mark,
            "proposed_sanction": "administrative",
            **values,
        }

    # the provincial manager, a Luoyang staff member, the city staff above:
    # with the supervisor's own unit on the finding or without
    for person in (PROVINCE, "ly01_staff1", "zz_staff", CITY):
        refused(client, "shouwen.finding", "create", finding(person))
        refused(
            client,
            "shouwen.finding",
            "create",
            finding(person, unit_id=units[SUPERVISOR]),
        )
    # their own staff, but in another unit's name
    refused(client, "shouwen.finding", "create", finding(STAFF, unit_id=units[CITY]))
    # themselves
    refused(client, "shouwen.finding", "create", finding(SUPERVISOR))
    # the provincial manager about the administrator (a peer at the province)
    refused(
        login(odoo_server, PROVINCE), "shouwen.finding", "create", finding("hn_admin")
    )
    assert not su(
        orm, lambda env: env["shouwen.finding"].search_count([("facts", "=", mark)])
    )
    # their own staff: recorded, in the staff member's unit
    (finding_id,) = client.execute("shouwen.finding", "create", [finding(STAFF)])
    assert (
        su(orm, lambda env: env["shouwen.finding"].browse(finding_id).unit_id.id)
        == units[STAFF]
    )
    refused(client, "shouwen.finding", "write", [finding_id], {"unit_id": units[CITY]})


def test_nobody_decides_a_finding_outside_their_line(odoo_server, orm, people):
    """The demo's proposed finding about a city staff member (zz_claims):
    neither a county supervisor below, a Luoyang manager, the person nor a
    colleague decides it.  A proposal of the system about the administrator
    (a provincial peer): not the provincial manager, an inspector does."""

    def proposed(env):
        Finding = env["shouwen.finding"]
        about_peer = Finding._propose(
            [
                Finding._fact_values(
                    "overdue_closure",
                    env[MATTER].search([], limit=1),
                    env["res.users"].browse(people["hn_admin"][0]),
                    "超过办结时限（记录完整性）",
                    occurrence=uuid.uuid4().hex,
                )
            ]
        )
        demo = Finding.search(
            [("person_id", "=", people["zz_claims"][0]), ("state", "=", "proposed")],
            limit=1,
        )
        return demo.id, about_peer.id

    demo_finding, peer_finding = orm(
        "admin", lambda env: proposed(env(su=True)), commit=True
    )
    assert demo_finding and peer_finding

    def decisions(env):
        return [
            (f.state, f.decided_by_id.login)
            for f in env["shouwen.finding"].browse([demo_finding, peer_finding])
        ]

    before = su(orm, decisions)
    attempts = {
        demo_finding: (SUPERVISOR, "ly_manager", "zz_claims", STAFF),
        peer_finding: (PROVINCE, "hn_admin", SUPERVISOR),
    }
    for finding_id, names in attempts.items():
        for name in names:
            client = login(odoo_server, name)
            refused(client, "shouwen.finding", "action_confirm", [finding_id])
            refused(client, "shouwen.finding", "dismiss", [finding_id], "不成立")
            refused(
                client, "shouwen.finding", "message_post", [finding_id], body="意见"
            )
    assert su(orm, decisions) == before
    login(odoo_server, INSPECTOR).execute(
        "shouwen.finding", "dismiss", [peer_finding], "系统时钟有误"
    )
    assert su(orm, decisions)[1] == ("dismissed", INSPECTOR)


# ----------------------------------------------------------------------
# 3. reclassification
# ----------------------------------------------------------------------


def test_an_overdue_consultation_reclassified_stays_overdue(odoo_server, orm, people):
    matter_id = register(odoo_server, kind="consult", business_domain="claims")
    passed = datetime.utcnow().replace(microsecond=0) - timedelta(days=1)

    def make_overdue(env):
        # its same-day deadline passed yesterday
        env[MATTER].browse(matter_id)._clock_write(
            {"closure_deadline": passed, "is_overdue": True}
        )

    orm("admin", lambda env: make_overdue(env(su=True)), commit=True)
    client = login(odoo_server, STAFF)
    for vals in (
        {"kind": "business"},
        {"business_domain": "underwriting"},
        {"priority": "1"},
        {"channel": "phone"},
    ):
        refused(client, MATTER, "write", [matter_id], vals)
    refused(client, MATTER, "reclassify", [matter_id], "", kind="business")
    refused(
        login(odoo_server, INSPECTOR),
        MATTER,
        "reclassify",
        [matter_id],
        "改为办理类",
        kind="business",
    )
    client.execute_kw(
        MATTER,
        "reclassify",
        [[matter_id], "客户实际需要办理批改"],
        {"kind": "business", "priority": "1"},
    )

    def stored(env):
        matter = env[MATTER].browse(matter_id)
        line = matter.log_ids.filtered(lambda line: line.action == "reclassify")
        tracked = matter.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name in ("kind", "priority")
        )
        return {
            "kind": matter.kind,
            "priority": matter.priority,
            "deadline": matter.closure_deadline,
            "overdue": matter.is_overdue,
            "log": [(log.user_id.login, log.reason) for log in line],
            "tracked": sorted(tracked.field_id.mapped("name")),
        }

    result = su(orm, stored)
    assert result["kind"] == "business"
    assert result["priority"] == "1"
    assert result["deadline"] == passed, "a passed deadline does not move"
    assert result["overdue"]
    assert result["tracked"] == ["kind", "priority"]
    ((who, reason),) = result["log"]
    assert who == STAFF
    assert "客户实际需要办理批改" in reason
    assert "→" in reason


def test_a_complaint_under_way_stays_a_complaint(odoo_server, orm):
    def under_way(env):
        matter = env[MATTER].search(
            [("kind", "=", "complaint"), ("state", "=", "in_progress")], limit=1
        )
        return matter.id, matter.first_responsible_id.login

    matter_id, responsible = su(orm, under_way)
    assert matter_id
    for name in (responsible, PROVINCE):
        client = login(odoo_server, name)
        refused(client, MATTER, "write", [matter_id], {"kind": "consult"})
        refused(client, MATTER, "reclassify", [matter_id], "其实是咨询", kind="consult")
    # nothing becomes a complaint on its way either
    handled = register(odoo_server)
    refused(
        login(odoo_server, STAFF),
        MATTER,
        "reclassify",
        [handled],
        "客户要求投诉",
        kind="complaint",
    )
    assert su(
        orm,
        lambda env: (
            env[MATTER].browse(matter_id).kind,
            env[MATTER].browse(handled).kind,
        ),
    ) == ("complaint", "business")


# ----------------------------------------------------------------------
# 4. evidence
# ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def generous_rate_limit(orm):
    """The form's rate limit raised for this module's post, then put back."""
    with online_limits(orm, ip="1000", phone="1000"):
        yield


@pytest.fixture(scope="module")
def uploaded(odoo_server, orm, generous_rate_limit):
    """``(matter id, attachment id)``: a complaint filed on the public form
    with a photo."""
    import requests

    visitor = requests.Session()
    page = visitor.get(odoo_server.url("/shouwen/online"), timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    mark = f"照片-{uuid.uuid4().hex[:8]}.jpg"
    answer = visitor.post(
        odoo_server.url("/shouwen/online"),
        data={
            "csrf_token": token,
            "customer_name": "孙八",
            "customer_phone": "13712345678",
            "kind": "complaint",
            "description": "定损员未按约定时间上门。",
            "customer_request": "请尽快安排定损。",
        },
        files=[("attachments", (mark, b"\xff\xd8\xff original photo", "image/jpeg"))],
        timeout=60,
    )
    assert answer.status_code == 200, answer.text[-2000:]

    def find(env):
        attachment = env["ir.attachment"].search([("name", "=", mark)])
        assert attachment.res_model == MATTER
        return attachment.res_id, attachment.id

    return su(orm, find)


def _file(orm, attachment_id):
    def read(env):
        attachment = env["ir.attachment"].browse(attachment_id)
        return (
            attachment.exists().id,
            attachment.name,
            attachment.checksum,
            attachment.res_model,
            attachment.res_id,
            attachment.public,
        )

    return su(orm, read)


def test_evidence_is_never_replaced_renamed_moved_or_deleted(
    odoo_server, orm, people, handled, uploaded
):
    online_matter, online_file = uploaded
    responsible = login(odoo_server, STAFF)
    # a file posted with a message in the chatter of the matter
    message_id = responsible.execute_kw(
        MATTER,
        "message_post",
        [[handled]],
        {
            "body": "客户提交的批单原件",
            "message_type": "comment",
            "attachments": [["批单原件.txt", "原件内容"]],
        },
    )
    posted_file = su(
        orm, lambda env: env["mail.message"].browse(message_id).attachment_ids.id
    )
    assert posted_file
    other_matter = register(odoo_server, handle=False)
    replaced = base64.b64encode(b"replaced").decode()

    def online_people(env):
        matter = env[MATTER].browse(online_matter)
        return matter.first_responsible_id.login

    receiver = su(orm, online_people)
    attackers = {
        posted_file: (STAFF, SUPERVISOR, CITY, PROVINCE, "hn_admin"),
        online_file: (receiver, PROVINCE, "hn_admin"),
    }
    for attachment_id, names in attackers.items():
        before = _file(orm, attachment_id)
        for name in names:
            client = login(odoo_server, name)
            for vals in (
                {"datas": replaced},
                {"raw": "replaced"},
                {"name": "无关文件.txt"},
                {"res_id": other_matter},
                {"res_model": "res.partner", "res_id": people[CITY][1]},
                {"public": True},
                {"description": "已核实"},
            ):
                refused(client, "ir.attachment", "write", [attachment_id], vals)
            refused(client, "ir.attachment", "unlink", [attachment_id])
            # the chatter's own route that deletes a file
            answer = json_route(
                browser(odoo_server, name),
                odoo_server,
                "/mail/attachment/delete",
                attachment_id=attachment_id,
            )
            assert "error" in answer, (name, answer)
        assert _file(orm, attachment_id) == before
    # the message of the file keeps it
    assert su(
        orm, lambda env: env["mail.message"].browse(message_id).attachment_ids.ids
    ) == [posted_file]
    # a correction is a new file, added by one who may post: with the
    # chatter's paperclip, or over RPC
    answer = upload(browser(odoo_server, STAFF), odoo_server, handled, "更正.txt", b"x")
    assert "error" not in answer, answer
    (correction,) = responsible.execute(
        "ir.attachment",
        "create",
        [
            {
                "name": "批单更正.txt",
                "raw": "更正内容",
                "res_model": MATTER,
                "res_id": handled,
            }
        ],
    )
    assert _file(orm, correction)[3:5] == (MATTER, handled)


# ----------------------------------------------------------------------
# 5. to-dos
# ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def guided(odoo_server, orm, people):
    """``(matter id, activity id)``: a matter zz01_staff1 guided to
    zz01_staff2, and the colleague's to-do to accept or return it."""
    matter_id = register(odoo_server, handle=False)
    login(odoo_server, STAFF).execute(
        MATTER, "guide", [matter_id], people[COLLEAGUE][0]
    )
    activity_id = su(
        orm,
        lambda env: (
            env["mail.activity"]
            .search([("res_model", "=", MATTER), ("res_id", "=", matter_id)])
            .id
        ),
    )
    assert activity_id
    return matter_id, activity_id


def test_others_to_dos_are_closed_and_changed_only_by_their_user_and_the_writers(
    odoo_server, orm, people, guided
):
    matter_id, activity_id = guided

    def stored(env):
        activity = env["mail.activity"].with_context(active_test=False)
        activity = activity.browse(activity_id).exists()
        return activity.id, str(activity.date_deadline), activity.user_id.id

    before, chatter = su(orm, stored), trail(orm, matter_id)
    later = (datetime.utcnow() + timedelta(days=30)).strftime("%Y-%m-%d")
    for name in (INSPECTOR, "zz_claims", "ny02_staff1"):
        client = login(odoo_server, name)
        refused(client, "mail.activity", "action_feedback", [activity_id], "已处理")
        refused(client, "mail.activity", "action_done", [activity_id])
        refused(client, "mail.activity", "action_feedback_schedule_next", [activity_id])
        refused(client, "mail.activity", "unlink", [activity_id])
        refused(
            client, "mail.activity", "write", [activity_id], {"date_deadline": later}
        )
        refused(
            client,
            "mail.activity",
            "write",
            [activity_id],
            {"user_id": people[name][0]},
        )
    assert su(orm, stored) == before
    assert trail(orm, matter_id) == chatter
    # a writer of the matter in scope (the unit supervisor) may move it
    login(odoo_server, SUPERVISOR).execute(
        "mail.activity", "write", [activity_id], {"date_deadline": later}
    )
    assert su(orm, stored)[1] == later
    # and its own user marks it done, which leaves a message by them
    login(odoo_server, COLLEAGUE).execute(
        "mail.activity", "action_feedback", [activity_id], "已联系客户"
    )
    assert not su(orm, stored)[0]
    authors = su(
        orm,
        lambda env: (
            env["mail.message"]
            .search(
                [
                    ("model", "=", MATTER),
                    ("res_id", "=", matter_id),
                    ("body", "ilike", "已联系客户"),
                ]
            )
            .author_id.ids
        ),
    )
    assert authors == [people[COLLEAGUE][1]]


# ----------------------------------------------------------------------
# 6. peers of an assignee
# ----------------------------------------------------------------------


def test_a_complaint_assigned_to_a_person_is_not_their_colleagues(
    odoo_server, orm, people
):
    def assigned(env):
        matter = env[MATTER].search(
            [("state", "=", "assigned"), ("assign_user_id", "!=", False)], limit=1
        )
        return matter.id, matter.assign_user_id.login, matter.assign_unit_id.id

    matter_id, assignee, unit_id = su(orm, assigned)
    assert matter_id

    def colleagues(env):
        return (
            env["res.users"]
            .search(
                [
                    ("shouwen_unit_id", "=", unit_id),
                    ("login", "!=", assignee),
                    ("share", "=", False),
                ]
            )
            .filtered(
                lambda u: (
                    u.has_group("shouwen_responsibility.group_shouwen_staff")
                    and not u.has_group(
                        "shouwen_responsibility.group_shouwen_unit_supervisor"
                    )
                )
            )
            .mapped("login")
        )

    peers = su(orm, colleagues)
    assert peers, "the assignee has colleagues in the demo"

    def snapshot(env):
        return (
            env[MATTER]
            .browse(matter_id)
            .read(["state", "handler_id", "assign_user_id", "description", "version"])
        )

    before = su(orm, snapshot)
    for name in peers:
        client = login(odoo_server, name)
        assert matter_id not in client.execute(MATTER, "search", [])
        refused(client, MATTER, "read", [matter_id], ["name"])
        refused(client, MATTER, "write", [matter_id], {"description": "同事改写"})
        refused(client, MATTER, "action_sign", [matter_id])
        refused(client, MATTER, "return_guide", [matter_id], "不属于我")
    assert su(orm, snapshot) == before


# ----------------------------------------------------------------------
# 7. the unit of a proposed assignment
# ----------------------------------------------------------------------


def test_an_assignment_goes_to_the_proposed_persons_own_unit_and_line(
    odoo_server, orm, people
):
    complaint = register(
        odoo_server, handle=False, kind="complaint", business_domain="complaint"
    )
    city_unit = su(
        orm,
        lambda env: env["res.users"].search([("login", "=", CITY)]).shouwen_unit_id.id,
    )
    client = login(odoo_server, STAFF)

    def stored(env):
        matter = env[MATTER].browse(complaint)
        return (
            matter.state,
            matter.assign_user_id.login,
            matter.assign_unit_id.code,
            sorted(matter.assignment_approver_ids.mapped("login")),
            len(matter.review_ids),
        )

    # a provincial staff member routed through a city unit
    refused(
        client,
        MATTER,
        "propose_assignment",
        [complaint],
        user=people["hn_staff"][0],
        unit=city_unit,
    )
    assert su(orm, stored) == ("registered", False, False, [], 0)
    client.execute_kw(
        MATTER,
        "propose_assignment",
        [[complaint]],
        {"user": people["zz02_staff1"][0]},
    )
    state, assignee, unit, approvers, reviews = su(orm, stored)
    assert (state, assignee, unit) == ("approval", "zz02_staff1", "ZZ02")
    # the lowest unit above both county branches: the city, whose manager
    assert approvers == [CITY]
    assert reviews


# ----------------------------------------------------------------------
# 8. the customer's status link
# ----------------------------------------------------------------------


def test_a_status_link_is_made_only_by_the_first_responsibles_logged_action(
    odoo_server, orm, people
):
    import requests

    matter_id = register(odoo_server)

    def token(env):
        return env[MATTER].browse(matter_id).access_token or False

    for name in (INSPECTOR, SUPERVISOR, CITY, PROVINCE):
        client = login(odoo_server, name)
        url = client.execute(MATTER, "get_portal_url", [matter_id])
        assert "access_token=" in url and not url.endswith("=False")
        assert (
            client.execute(MATTER, "read", [matter_id], ["status_url"])[0]["status_url"]
            is False
        )
        refused(client, MATTER, "action_make_status_link", [matter_id])
        refused(client, MATTER, "write", [matter_id], {"access_token": "guessable"})
        assert su(orm, token) is False, name
    number = su(orm, lambda env: env[MATTER].browse(matter_id).name)
    page = requests.get(
        odoo_server.url(f"/shouwen/status/{number}"),
        params={"access_token": ""},
        timeout=60,
    )
    assert page.status_code == 404
    # the first responsible makes it, on purpose: logged
    responsible = login(odoo_server, STAFF)
    responsible.execute(MATTER, "action_make_status_link", [matter_id])
    made = su(orm, token)
    assert made
    lines = su(
        orm,
        lambda env: [
            (line.action, line.user_id.login)
            for line in env[MATTER].browse(matter_id).log_ids
            if line.action == "status_link"
        ],
    )
    assert lines == [("status_link", STAFF)]
    page = requests.get(
        odoo_server.url(f"/shouwen/status/{number}"),
        params={"access_token": made},
        timeout=60,
    )
    assert page.status_code == 200
