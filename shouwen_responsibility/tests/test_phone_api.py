# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The phone centre API (来电), driven with real HTTP requests: the call-centre
software authenticates with the agent's API key, looks up open matters by the
caller's phone, registers matters with the agent as first receiver and adds
follow-up notes; every wrong request gets a clear 4xx and writes nothing."""

import json
import re
from datetime import timedelta
from pathlib import Path

import yaml

from odoo import fields
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, tagged

from ..controllers.phone_api import MAX_BODY, PREFIX, REGISTER_FIELDS
from .common import PHONE, PHONE_MASKED, ShouwenCase

MATTERS = f"{PREFIX}/matters"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
OPENAPI = (
    Path(get_module_path("shouwen_responsibility")).parent
    / "docs"
    / "phone-api.openapi.yaml"
)


@tagged("post_install", "-at_install")
class TestPhoneApi(HttpCase, ShouwenCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.key_a1 = cls._api_key(cls.staff_a1)
        cls.key_a1b = cls._api_key(cls.staff_a1b)
        cls.key_employee = cls._api_key(cls.employee)
        cls.key_no_unit = cls._api_key(cls.staff_no_unit)

    @classmethod
    def _api_key(cls, user):
        # a key of a user who is not an administrator must expire (one day at
        # most by default)
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(
                "rpc", "call centre", fields.Datetime.now() + timedelta(hours=12)
            )
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def call(self, method, path, body=None, key=None, raw=None, headers=None):
        """One HTTP request; ``body`` is sent as JSON, ``raw`` as is."""
        headers = dict(headers or {})
        if key:
            headers["Authorization"] = f"Bearer {key}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        return self.opener.request(
            method, self.base_url() + path, data=data, headers=headers, timeout=30
        )

    def register_call(self, key=None, **values):
        body = {
            "subject": "来电查询理赔进度",
            "description": "客户来电询问理赔款何时到账",
            "kind": "query",
            "business_domain": "claims",
            "customer_name": "李四",
            "customer_phone": PHONE,
            **values,
        }
        return self.call("POST", MATTERS, body, key=key or self.key_a1)

    def assertApiError(self, response, status, code):
        """A 4xx in the API's JSON shape, with a message in Chinese and in
        English."""
        self.assertEqual(response.status_code, status, response.text)
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        error = response.json()["error"]
        self.assertEqual(error["code"], code)
        chinese, _sep, english = error["message"].partition(" / ")
        self.assertRegex(chinese, CHINESE, error["message"])
        self.assertRegex(english, r"[A-Za-z]{3}", error["message"])
        return error["message"]

    def matter_count(self):
        return (
            self.env["shouwen.matter"]
            .sudo()
            .with_context(active_test=False)
            .search_count([])
        )

    def notes_of(self, matter):
        return self.env["mail.message"].search(
            [
                ("model", "=", "shouwen.matter"),
                ("res_id", "=", matter.id),
                ("message_type", "=", "comment"),
            ]
        )

    # ------------------------------------------------------------------
    # authentication
    # ------------------------------------------------------------------

    def test_without_a_key_the_api_answers_401_and_registers_nothing(self):
        before = self.matter_count()
        response = self.call("POST", MATTERS, {"subject": "x", "customer_name": "x"})
        message = self.assertApiError(response, 401, "missing_api_key")
        self.assertIn("Bearer", message)
        self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        self.assertApiError(
            self.call("GET", f"{MATTERS}?phone={PHONE}"), 401, "missing_api_key"
        )
        self.assertEqual(self.matter_count(), before)

    def test_a_wrong_key_is_refused_with_401(self):
        before = self.matter_count()
        for header in (
            f"Bearer {self.key_a1[:-4]}abcd",
            "Bearer not-a-key",
            f"Basic {self.key_a1}",
            "Bearer",
        ):
            response = self.call(
                "POST",
                MATTERS,
                {"subject": "x", "customer_name": "x"},
                headers={"Authorization": header},
            )
            self.assertApiError(response, 401, "invalid_api_key")
        self.assertEqual(self.matter_count(), before)

    def test_the_key_of_an_archived_agent_no_longer_works(self):
        self.staff_a1b.active = False
        response = self.call("GET", f"{MATTERS}?phone={PHONE}", key=self.key_a1b)
        self.assertApiError(response, 401, "invalid_api_key")

    def test_the_key_of_a_user_outside_the_system_is_refused_with_403(self):
        before = self.matter_count()
        response = self.register_call(key=self.key_employee)
        self.assertApiError(response, 403, "not_staff")
        self.assertEqual(self.matter_count(), before)

    # ------------------------------------------------------------------
    # bad requests
    # ------------------------------------------------------------------

    def test_bad_json_is_refused_with_400_and_writes_nothing(self):
        before = self.matter_count()
        for raw, code in (
            (b'{"subject": "x", ', "invalid_json"),
            (b"\xff\xfe", "invalid_json"),
            (b"", "invalid_json"),
            (b'["subject"]', "not_an_object"),
            (b'"subject"', "not_an_object"),
        ):
            response = self.call("POST", MATTERS, raw=raw, key=self.key_a1)
            self.assertApiError(response, 400, code)
        self.assertEqual(self.matter_count(), before)

    def test_unknown_fields_and_wrong_types_are_refused_with_400(self):
        before = self.matter_count()
        cases = (
            ({"channel": "counter"}, "unknown_field", "channel"),
            ({"first_responsible_id": 2}, "unknown_field", "first_responsible_id"),
            ({"subject": 12}, "wrong_type", "subject"),
            ({"urgent": "yes"}, "wrong_type", "urgent"),
            ({"customer_phone": 13812345678}, "wrong_type", "customer_phone"),
        )
        for values, code, field in cases:
            response = self.register_call(**values)
            self.assertIn(field, self.assertApiError(response, 400, code))
        self.assertEqual(self.matter_count(), before)

    def test_missing_and_invalid_values_are_refused_with_422(self):
        before = self.matter_count()
        for values, code, word in (
            ({"subject": None}, "missing_field", "subject"),
            ({"customer_name": "  "}, "missing_field", "customer_name"),
            ({"kind": "gossip"}, "invalid_value", "consult"),
            ({"business_domain": "weather"}, "invalid_value", "claims"),
        ):
            response = self.register_call(**values)
            self.assertIn(word, self.assertApiError(response, 422, code))
        self.assertEqual(self.matter_count(), before)

    def test_the_models_own_rules_refuse_with_422_in_both_languages(self):
        before = self.matter_count()
        message = self.assertApiError(
            self.register_call(customer_phone="12345"), 422, "validation_error"
        )
        self.assertIn("12345", message)
        self.assertIn("not a valid phone number", message)
        message = self.assertApiError(
            self.register_call(customer_id_number="410102199003071231"),
            422,
            "validation_error",
        )
        self.assertIn("resident identity card", message)
        message = self.assertApiError(
            self.register_call(customer_phone=None), 422, "validation_error"
        )
        self.assertIn("how to reach the customer", message)
        # an agent without a unit cannot register: said, not crashed
        message = self.assertApiError(
            self.register_call(key=self.key_no_unit), 422, "validation_error"
        )
        self.assertIn("belongs to no unit", message)
        self.assertEqual(self.matter_count(), before)

    def test_a_body_too_large_is_refused_with_413(self):
        before = self.matter_count()
        response = self.register_call(description="x" * (MAX_BODY + 1))
        self.assertApiError(response, 413, "body_too_large")
        self.assertEqual(self.matter_count(), before)

    def test_a_body_not_sent_as_json_is_refused_with_415(self):
        response = self.call(
            "POST",
            MATTERS,
            raw=b"subject=x&customer_name=y",
            key=self.key_a1,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertApiError(response, 415, "unsupported_media_type")

    def test_wrong_methods_and_unknown_paths_get_json_errors(self):
        response = self.call("DELETE", MATTERS, key=self.key_a1)
        self.assertApiError(response, 405, "method_not_allowed")
        self.assertEqual(response.headers["Allow"], "GET, POST")
        response = self.call("GET", f"{MATTERS}/1/notes", key=self.key_a1)
        self.assertApiError(response, 405, "method_not_allowed")
        self.assertEqual(response.headers["Allow"], "POST")
        for path in (f"{PREFIX}/calls", f"{MATTERS}/abc/notes", PREFIX):
            response = self.call("GET", path, key=self.key_a1)
            self.assertApiError(response, 404, "no_such_endpoint")

    def test_a_lookup_needs_a_valid_phone_and_knows_its_parameters(self):
        for query, status, code in (
            ("", 422, "missing_parameter"),
            ("?phone=12345", 422, "invalid_value"),
            (f"?phone={PHONE}&limit=0", 422, "invalid_value"),
            (f"?phone={PHONE}&limit=many", 422, "invalid_value"),
            (f"?phone={PHONE}&name=张三", 400, "unknown_parameter"),
        ):
            response = self.call("GET", MATTERS + query, key=self.key_a1)
            self.assertApiError(response, status, code)

    # ------------------------------------------------------------------
    # the valid flow
    # ------------------------------------------------------------------

    def test_registration_makes_the_agent_first_receiver_on_the_phone_channel(self):
        response = self.register_call(urgent=True, policy_number="PDAA2025001")
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        matter = self.env["shouwen.matter"].browse(data["id"])
        self.assertEqual(data["number"], matter.name)
        self.assertTrue(matter.name.startswith("SWT-A1-"))
        self.assertEqual(matter.channel, "phone")
        self.assertEqual(matter.first_receiver_id, self.staff_a1)
        self.assertEqual(matter.first_responsible_id, self.staff_a1)
        self.assertEqual(matter.unit_id, self.county_a1)
        self.assertEqual(matter.priority, "1")
        self.assertEqual(matter.policy_number, "PDAA2025001")
        self.assertEqual(matter.customer_phone, PHONE)
        self.assertEqual(matter.log_ids.mapped("action"), ["register"])
        self.assertEqual(data["channel"], "phone")
        self.assertEqual(data["state"], "registered")
        self.assertEqual(data["first_responsible"]["id"], self.staff_a1.id)
        self.assertEqual(data["unit"]["code"], "SWT-A1")
        self.assertTrue(matter.closure_deadline)
        self.assertEqual(
            data["closure_deadline"],
            matter.closure_deadline.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        self.assertEqual(
            data["response_deadline"],
            matter.response_deadline.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    def test_lookup_finds_the_callers_open_matters_the_agent_may_see(self):
        mine = self.register(self.staff_a1, subject="我的来电事项")
        closed = self.register(self.staff_a1, subject="已办结事项")
        closed.answer("已电话告知客户", "phone")
        closed.action_close()
        # a colleague's matter on the same phone: not the agent's to see
        colleague = self.register(self.staff_a1b, subject="同事的事项")
        other_phone = self.register(
            self.staff_a1, subject="其他客户", customer_phone="13900001111"
        )
        response = self.call("GET", f"{MATTERS}?phone=138-1234-5678", key=self.key_a1)
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        ids = [matter["id"] for matter in data["matters"]]
        self.assertEqual(ids, [mine.id])
        self.assertEqual(data["count"], 1)
        self.assertNotIn(colleague.id, ids)
        self.assertNotIn(closed.id, ids)
        self.assertNotIn(other_phone.id, ids)
        found = data["matters"][0]
        self.assertEqual(found["number"], mine.name)
        self.assertEqual(found["subject"], "我的来电事项")
        self.assertEqual(found["customer_phone"], PHONE)
        self.assertEqual(found["state_label"], "已登记")

    def test_a_phone_matches_only_matters_whose_customer_data_the_agent_reads(self):
        """The agent follows a colleague's matter, sees it, but may not read
        its customer's phone: a lookup by that phone does not reveal it, and
        the matter read otherwise shows the phone masked."""
        followed = self.register(self.staff_a1b, subject="关注的事项")
        followed.sudo().message_subscribe(partner_ids=self.staff_a1.partner_id.ids)
        response = self.call("GET", f"{MATTERS}?phone={PHONE}", key=self.key_a1)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertNotIn(followed.id, [m["id"] for m in response.json()["matters"]])
        visible = followed.with_user(self.staff_a1)
        self.assertEqual(
            visible.read(["customer_phone"])[0]["customer_phone"], PHONE_MASKED
        )

    def test_a_note_is_posted_by_the_agent_in_the_matters_history(self):
        matter = self.register(self.staff_a1)
        response = self.call(
            "POST",
            f"{MATTERS}/{matter.id}/notes",
            {"note": "客户来电催办\n已告知三个工作日内答复"},
            key=self.key_a1,
        )
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        note = self.env["mail.message"].browse(data["id"])
        self.assertEqual(note.model, "shouwen.matter")
        self.assertEqual(note.res_id, matter.id)
        self.assertEqual(note.author_id, self.staff_a1.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("客户来电催办<br>已告知三个工作日内答复", note.body)
        self.assertEqual(data["number"], matter.name)

    def test_a_note_on_a_matter_the_agent_may_not_read_is_a_404_like_no_matter(self):
        theirs = self.register(self.staff_a2)
        before = self.notes_of(theirs)
        response = self.call(
            "POST", f"{MATTERS}/{theirs.id}/notes", {"note": "x"}, key=self.key_a1
        )
        message = self.assertApiError(response, 404, "matter_not_found")
        self.assertEqual(self.notes_of(theirs), before)
        missing = self.call(
            "POST", f"{MATTERS}/2000000000/notes", {"note": "x"}, key=self.key_a1
        )
        self.assertEqual(
            missing.json()["error"]["message"],
            message.replace(str(theirs.id), "2000000000"),
        )

    def test_a_note_must_be_text(self):
        matter = self.register(self.staff_a1)
        before = self.notes_of(matter)
        path = f"{MATTERS}/{matter.id}/notes"
        self.assertApiError(
            self.call("POST", path, {"note": " "}, key=self.key_a1),
            422,
            "missing_field",
        )
        self.assertApiError(
            self.call("POST", path, {"note": ["x"]}, key=self.key_a1),
            400,
            "wrong_type",
        )
        self.assertApiError(
            self.call("POST", path, {"note": "x", "author": "y"}, key=self.key_a1),
            400,
            "unknown_field",
        )
        self.assertEqual(self.notes_of(matter), before)

    # ------------------------------------------------------------------
    # the contract
    # ------------------------------------------------------------------

    def test_the_openapi_file_describes_the_routes_the_server_serves(self):
        spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
        self.assertTrue(spec["openapi"].startswith("3."))
        documented = {
            (path, method.upper())
            for path, operations in spec["paths"].items()
            for method in operations
        }
        self.assertEqual(
            documented,
            {
                (f"{PREFIX}/matters", "GET"),
                (f"{PREFIX}/matters", "POST"),
                (f"{PREFIX}/matters/{{matter_id}}/notes", "POST"),
            },
        )
        for path, method in documented:
            url = path.replace("{matter_id}", "1")
            # served: the route answers for itself (401 without a key), and
            # refuses the methods the file does not list
            self.assertApiError(self.call(method, url), 401, "missing_api_key")
            allowed = {m.upper() for m in spec["paths"][path] if m != "parameters"}
            for other in {"GET", "POST", "PUT", "DELETE"} - allowed:
                self.assertApiError(self.call(other, url), 405, "method_not_allowed")
        registration = spec["components"]["schemas"]["Registration"]
        self.assertEqual(set(registration["properties"]), set(REGISTER_FIELDS))
        self.assertEqual(
            set(registration["required"]),
            {name for name, (_t, required, _a) in REGISTER_FIELDS.items() if required},
        )
        for name, (_type, _required, allowed) in REGISTER_FIELDS.items():
            if allowed:
                self.assertEqual(registration["properties"][name]["enum"], allowed)
