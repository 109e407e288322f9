# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The phone centre API (来电): a JSON API for the call-centre software.

The software authenticates with an API key of the agent (Odoo's API keys,
``Authorization: Bearer <key>``) and acts as that agent, under their access
rights and record rules: it looks up the open matters of a caller's phone
number, registers a matter with the agent as its first receiver, and adds a
follow-up note to a matter.  Every wrong request gets a 4xx answer
``{"error": {"code": ..., "message": "中文 / English"}}`` and writes nothing.

The contract is ``docs/phone-api.openapi.yaml``."""

import json
import logging
import re

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import plaintext2html
from odoo.tools.translate import LazyTranslate

from ..tools import personal_data
from ..tools.catalogue import BUSINESS_DOMAINS, CUSTOMER_TYPES, KINDS

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

PREFIX = "/shouwen/api/v1"
STAFF = "shouwen_responsibility.group_shouwen_staff"
#: the language of the Chinese half of the messages
LANG_ZH = "zh_CN"
#: the largest request body accepted, in bytes
MAX_BODY = 64 * 1024
#: the default and the largest number of matters a lookup returns
LOOKUP_LIMIT = 20
LOOKUP_MAX = 100
#: the largest record id (PostgreSQL integer)
MAX_ID = 2**31 - 1
# an API key is printable ASCII (Odoo's keys are hexadecimal)
_BEARER = re.compile(r"Bearer[ \t]+([!-~]+)[ \t]*", re.IGNORECASE | re.ASCII)
#: a lookup's limit: a whole number in ASCII digits, at most 3 of them
_LIMIT = re.compile(r"[0-9]{1,3}")

#: what a registration may send: name -> (type, required, allowed values)
REGISTER_FIELDS = {
    "subject": (str, True, None),
    "description": (str, False, None),
    "kind": (str, False, [key for key, _label in KINDS]),
    "business_domain": (str, False, [key for key, _label in BUSINESS_DOMAINS]),
    "urgent": (bool, False, None),
    "customer_type": (str, False, [key for key, _label in CUSTOMER_TYPES]),
    "customer_name": (str, True, None),
    "customer_phone": (str, False, None),
    "customer_id_number": (str, False, None),
    "customer_email": (str, False, None),
    "policy_number": (str, False, None),
    "claim_number": (str, False, None),
}
#: what a note may send
NOTE_FIELDS = {"note": (str, True, None)}
#: what a lookup may ask
LOOKUP_PARAMETERS = ("phone", "limit")

_JSON_TYPES = {str: "string", bool: "boolean"}


class ApiError(Exception):
    """A refused request: its HTTP status, a stable code and the message (a
    lazy translation, or a text already in Chinese and English)."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or []


class PhoneApi(http.Controller):
    # ------------------------------------------------------------------
    # routes
    # ------------------------------------------------------------------

    @http.route(
        f"{PREFIX}/matters",
        type="http",
        auth="none",
        csrf=False,
        save_session=False,
        methods=None,
    )
    def matters(self, **_params):
        """GET: the open matters of a caller's phone; POST: register one."""
        return self._serve(
            {"GET": self._lookup, "POST": self._register},
        )

    @http.route(
        f"{PREFIX}/matters/<int:matter_id>/notes",
        type="http",
        auth="none",
        csrf=False,
        save_session=False,
        methods=None,
    )
    def matter_notes(self, matter_id, **_params):
        """POST: a follow-up note on a matter the agent may read."""
        return self._serve({"POST": lambda env: self._add_note(env, matter_id)})

    @http.route(
        [PREFIX, f"{PREFIX}/<path:_path>"],
        type="http",
        auth="none",
        csrf=False,
        save_session=False,
        methods=None,
    )
    def unknown_endpoint(self, **_params):
        """Any other path of the API: a JSON 404, not the website's page."""
        return self._serve({}, endpoint_found=False)

    # ------------------------------------------------------------------
    # the request cycle
    # ------------------------------------------------------------------

    def _serve(self, handlers, endpoint_found=True):
        """Check the method and the key, run the handler in a savepoint and
        answer in JSON; a refusal rolls back whatever the handler wrote."""
        try:
            if not endpoint_found:
                raise ApiError(
                    404,
                    "no_such_endpoint",
                    _lt("This endpoint does not exist."),
                )
            method = request.httprequest.method
            if method not in handlers:
                allowed = ", ".join(sorted(handlers))
                raise ApiError(
                    405,
                    "method_not_allowed",
                    _lt(
                        "Method %(method)s is not allowed here; use %(allowed)s.",
                        method=method,
                        allowed=allowed,
                    ),
                    headers=[("Allow", allowed)],
                )
            env = self._authenticate()
            with env.cr.savepoint():
                status, payload = handlers[method](env)
        except ApiError as error:
            return self._error_response(error)
        return request.make_json_response(payload, status=status)

    def _authenticate(self):
        """The agent of the API key, as the environment to act in."""
        header = request.httprequest.headers.get("Authorization")
        if not header:
            raise ApiError(
                401,
                "missing_api_key",
                _lt("Send the agent's API key: Authorization: Bearer <key>."),
                headers=[("WWW-Authenticate", 'Bearer realm="shouwen"')],
            )
        match = _BEARER.fullmatch(header)
        uid = match and request.env["res.users.apikeys"]._check_credentials(
            scope="rpc", key=match.group(1)
        )
        if not uid:
            _logger.info(
                "phone API: refused an invalid API key from %s",
                request.httprequest.remote_addr,
            )
            raise ApiError(
                401,
                "invalid_api_key",
                _lt("The API key is not valid."),
                headers=[
                    (
                        "WWW-Authenticate",
                        'Bearer realm="shouwen", error="invalid_token"',
                    )
                ],
            )
        request.update_env(user=uid)
        user = request.env.user
        if not user.has_group(STAFF):
            raise ApiError(
                403,
                "not_staff",
                _lt(
                    "The owner of this API key is not a staff member of the "
                    "first-inquiry system."
                ),
            )
        lang = LANG_ZH if self._zh_installed() else user.lang
        return request.env(
            context=dict(request.env.context, lang=lang, tz=user.tz or "UTC")
        )

    def _read_json(self, spec):
        """The request body: a JSON object whose keys are in ``spec``, with
        the right types and the required ones present."""
        httprequest = request.httprequest
        if (httprequest.mimetype or "") != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                _lt("Send the body as JSON (Content-Type: application/json)."),
            )
        too_large = ApiError(
            413,
            "body_too_large",
            _lt("The request body is larger than %(size)s bytes.", size=MAX_BODY),
        )
        if (httprequest.content_length or 0) > MAX_BODY:
            raise too_large
        # a body without a length (chunked) is cut at the limit as it is read
        httprequest.max_content_length = MAX_BODY
        try:
            raw = httprequest.get_data()
        except RequestEntityTooLarge:
            raise too_large from None
        if len(raw) > MAX_BODY:
            raise too_large
        body = self._decode_json(raw)
        unknown = sorted(set(body) - set(spec))
        if unknown:
            unknown = [_shown(name) for name in unknown]
            raise ApiError(
                400,
                "unknown_field",
                _lt(
                    "Unknown fields: %(fields)s. Accepted: %(accepted)s.",
                    fields=", ".join(unknown),
                    accepted=", ".join(spec),
                ),
            )
        for name, (kind, required, allowed) in spec.items():
            value = body.get(name)
            if value is None:
                if required:
                    raise ApiError(
                        422,
                        "missing_field",
                        _lt("The field %(field)s is required.", field=name),
                    )
                continue
            # bool is a subclass of int, and no int is accepted: exact types
            if type(value) is not kind:
                raise ApiError(
                    400,
                    "wrong_type",
                    _lt(
                        "The field %(field)s must be a %(type)s.",
                        field=name,
                        type=_JSON_TYPES[kind],
                    ),
                )
            if kind is str and required and not value.strip():
                raise ApiError(
                    422,
                    "missing_field",
                    _lt("The field %(field)s is required.", field=name),
                )
            if allowed is not None and value not in allowed:
                raise ApiError(
                    422,
                    "invalid_value",
                    _lt(
                        "The field %(field)s must be one of: %(allowed)s.",
                        field=name,
                        allowed=", ".join(allowed),
                    ),
                )
        return body

    @staticmethod
    def _decode_json(raw):
        """The JSON object of a request body, or the reason it is refused:
        not JSON (nested too deeply included), a key given twice, a text
        that cannot be stored, not an object."""
        try:
            body = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
        except _DuplicateKey as error:
            raise ApiError(
                400,
                "duplicate_field",
                _lt(
                    "The field %(field)s is given more than once.",
                    field=_shown(error.args[0]),
                ),
            ) from None
        except RecursionError:
            raise ApiError(
                400,
                "invalid_json",
                _lt("The body is not valid JSON: it is nested too deeply."),
            ) from None
        except (UnicodeDecodeError, ValueError) as error:
            raise ApiError(
                400,
                "invalid_json",
                _lt("The body is not valid JSON: %(error)s", error=str(error)),
            ) from None
        if _has_unstorable_text(body):
            raise ApiError(
                400,
                "invalid_text",
                _lt(
                    "The body contains a text with a character that cannot be "
                    "stored (NUL or a lone surrogate)."
                ),
            )
        if not isinstance(body, dict):
            raise ApiError(
                400,
                "not_an_object",
                _lt("The body must be a JSON object."),
            )
        return body

    def _error_response(self, error):
        request.env.cr.rollback()
        message = error.message
        if not isinstance(message, str):
            message = self._both(message)
        return request.make_json_response(
            {"error": {"code": error.code, "message": message}},
            headers=error.headers,
            status=error.status,
        )

    # ------------------------------------------------------------------
    # messages: Chinese, then English
    # ------------------------------------------------------------------

    @staticmethod
    def _zh_installed():
        # which languages are installed is no secret, and the caller may not
        # be authenticated yet
        return bool(request.env["res.lang"].sudo()._lang_get(LANG_ZH))

    def _both(self, lazy):
        """A lazy translation in Chinese and in English: ``"中文 / English"``."""
        english = lazy._translate("en_US")
        if not self._zh_installed():
            return english
        return self._join(lazy._translate(LANG_ZH), english)

    @staticmethod
    def _join(chinese, english):
        return english if chinese == english else f"{chinese} / {english}"

    def _run_model(self, env, operation):
        """``operation(env)``.  A refusal of the model (its constraints, its
        checks) becomes a 422 (403 for an access error) with the model's own
        message; the operation is tried once more in English, in a savepoint
        always rolled back, to give it in both languages."""
        try:
            with env.cr.savepoint():
                return operation(env)
        except UserError as error:
            refusal = error
        chinese = _error_text(refusal)
        english = chinese
        if env.lang != "en_US":
            english = self._english_refusal(env, operation) or chinese
        if isinstance(refusal, AccessError):
            raise ApiError(403, "forbidden", self._join(chinese, english))
        raise ApiError(422, "validation_error", self._join(chinese, english))

    @staticmethod
    def _english_refusal(env, operation):
        """The refusal of ``operation`` worded in English, always rolled
        back; ``None`` if it does not refuse this time."""
        try:
            with env.cr.savepoint():
                operation(env(context=dict(env.context, lang="en_US")))
                raise _Undo()
        except _Undo:
            return None
        except UserError as error:
            return _error_text(error)

    # ------------------------------------------------------------------
    # handlers: (status, payload)
    # ------------------------------------------------------------------

    def _lookup(self, env):
        args = request.httprequest.args
        unknown = sorted(set(args) - set(LOOKUP_PARAMETERS))
        if unknown:
            unknown = [_shown(name) for name in unknown]
            raise ApiError(
                400,
                "unknown_parameter",
                _lt(
                    "Unknown parameters: %(parameters)s. Accepted: %(accepted)s.",
                    parameters=", ".join(unknown),
                    accepted=", ".join(LOOKUP_PARAMETERS),
                ),
            )
        repeated = [name for name in LOOKUP_PARAMETERS if len(args.getlist(name)) > 1]
        if repeated:
            raise ApiError(
                400,
                "duplicate_parameter",
                _lt(
                    "The parameter %(parameter)s is given more than once.",
                    parameter=repeated[0],
                ),
            )
        phone = personal_data.normalize_phone((args.get("phone") or "").strip())
        if not phone:
            raise ApiError(
                422,
                "missing_parameter",
                _lt("Give the caller's phone number: ?phone=13812345678."),
            )
        if not personal_data.is_valid_phone(phone):
            raise ApiError(
                422,
                "invalid_value",
                _lt(
                    "%(phone)s is not a valid phone number (mobile such as "
                    "13812345678, landline such as 0371-65551234).",
                    phone=_shown(phone),
                ),
            )
        limit = args.get("limit", str(LOOKUP_LIMIT))
        if not _LIMIT.fullmatch(limit) or not 1 <= int(limit) <= LOOKUP_MAX:
            raise ApiError(
                422,
                "invalid_value",
                _lt("limit must be a whole number from 1 to %(max)s.", max=LOOKUP_MAX),
            )
        # the agent's record rules decide what they see; the ORM matches a
        # phone only on matters whose customer data the agent may read
        matters = env["shouwen.matter"].search(
            [("customer_phone", "=", phone), ("is_open", "=", True)],
            limit=int(limit),
        )
        return 200, {
            "count": len(matters),
            "matters": [self._matter_json(matter) for matter in matters],
        }

    def _register(self, env):
        body = self._read_json(REGISTER_FIELDS)
        vals = {
            name: value
            for name, value in body.items()
            if value is not None and name != "urgent"
        }
        vals.update(channel="phone", priority="1" if body.get("urgent") else "0")
        # create() completes the values it is given: a fresh copy each try
        matter = self._run_model(
            env, lambda env: env["shouwen.matter"].create([dict(vals)])
        )
        return 201, self._matter_json(matter)

    def _add_note(self, env, matter_id):
        body = self._read_json(NOTE_FIELDS)
        # an id beyond any record's (the path takes any digits) is no matter
        matter = env["shouwen.matter"].browse(
            matter_id if 0 < matter_id <= MAX_ID else []
        )
        # the same answer for a matter that does not exist and one the agent
        # may not read: nothing is learnt about the others' matters
        if not (matter and matter.exists() and matter.has_access("read")):
            raise ApiError(
                404,
                "matter_not_found",
                _lt("No matter %(id)s that you may read.", id=matter_id),
            )
        note = body["note"].strip()
        message = self._run_model(
            env,
            lambda env: matter.with_env(env).message_post(
                body=plaintext2html(note),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            ),
        )
        return 201, {
            "id": message.id,
            "matter_id": matter.id,
            "number": matter.name,
            "date": _iso(message.date),
            "author": message.author_id.name,
        }

    # ------------------------------------------------------------------
    # answers
    # ------------------------------------------------------------------

    @staticmethod
    def _matter_json(matter):
        """What the agent may know of a matter; the customer's personal data
        read through the ORM, masked as it is for this agent."""
        (values,) = matter.read(
            [
                "name",
                "subject",
                "state",
                "kind",
                "channel",
                "business_domain",
                "customer_name",
                "customer_phone",
                "registered_date",
                "response_deadline",
                "closure_deadline",
            ]
        )
        states = dict(matter._fields["state"]._description_selection(matter.env))
        responsible = matter.first_responsible_id
        unit = matter.unit_id
        return {
            "id": matter.id,
            "number": values["name"],
            "subject": values["subject"],
            "state": values["state"],
            "state_label": states.get(values["state"]),
            "kind": values["kind"],
            "channel": values["channel"],
            "business_domain": values["business_domain"],
            "customer_name": values["customer_name"],
            "customer_phone": values["customer_phone"] or None,
            "registered_date": _iso(values["registered_date"]),
            "response_deadline": _iso(values["response_deadline"]),
            "closure_deadline": _iso(values["closure_deadline"]),
            "first_responsible": {"id": responsible.id, "name": responsible.name}
            if responsible
            else None,
            "unit": {"id": unit.id, "code": unit.code, "name": unit.name},
        }


class _DuplicateKey(ValueError):
    """A JSON object gives the same key twice."""


def _unique_keys(pairs):
    """A JSON object as a dict, refused when a key comes twice (``json``
    would keep the last one silently)."""
    body = {}
    for key, value in pairs:
        if key in body:
            raise _DuplicateKey(key)
        body[key] = value
    return body


def _has_unstorable_text(body):
    """Whether a text (a key or a value) anywhere in the decoded JSON body
    holds a character no database text can (NUL, a lone surrogate).  Walked
    without recursion: the body may be nested as deep as the decoder went."""
    pending = [body]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if personal_data.unstorable(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def _shown(text, size=40):
    """A text of the request as it may be quoted in an answer: control
    characters escaped, shortened."""
    text = text if text.isprintable() else repr(text)[1:-1]
    return text if len(text) <= size else text[: size - 1] + "…"


def is_api_path(path):
    """Whether ``path`` is one of the API's."""
    return path == PREFIX or path.startswith(f"{PREFIX}/")


def unread_request_response(exception):
    """The JSON refusal of a request werkzeug could not read (its status and
    reason), as the API answers its own refusals."""
    return PhoneApi()._error_response(
        ApiError(
            exception.code,
            "unreadable_request",
            _lt("The request could not be read: %(reason)s.", reason=exception.name),
        )
    )


class _Undo(Exception):
    """Raised to roll back a savepoint that succeeded."""


def _error_text(error):
    return str(error.args[0]) if error.args else str(error)


def _iso(value):
    """A stored UTC datetime as ISO 8601 with its zone, or None."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None
