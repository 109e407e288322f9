# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The online channel (网上投诉): the public form, the status page behind the
customer's private link, and the customer's own matters in their portal."""

from odoo import SUPERUSER_ID, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal, pager

from ..models.shouwen_matter_online import ONLINE_FORM_FIELDS
from ..tools import personal_data

#: where a request keeps whether its submission was refused by a rate limit
ATTEMPT_KEY = "shouwen.online.attempt"


class ShouwenOnline(CustomerPortal):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _shouwen_chinese():
        """The pages are for Chinese customers: render them in Chinese when the
        database has it."""
        if "zh_CN" in dict(request.env["res.lang"].get_installed()):
            request.update_context(lang="zh_CN")

    @staticmethod
    def _shouwen_form_values(form=None, errors=None, message=None):
        Matter = request.env["shouwen.matter"]
        units = Matter._online_units()
        default = Matter._online_default_unit(units)
        form = dict(form or {})
        form.setdefault("unit_id", str(default.id) if default else "")
        form.setdefault("kind", "complaint")
        return {
            "units": [(str(unit.id), unit.name) for unit in units],
            "kinds": Matter._online_kinds(),
            "form": form,
            "errors": errors or {},
            "message": message,
            "attachments_hint": request.env._(
                "Photos, PDF, Word, Excel or text files: at most %(count)s files "
                "of %(size)s MB each.",
                count=Matter._online_param("online_max_files"),
                size=Matter._online_param("online_max_file_mb"),
            ),
        }

    @staticmethod
    def _shouwen_files():
        """The attached files: one more than allowed at most, each read up to
        one byte beyond the size limit (enough to refuse too many or too large
        files without reading them all)."""
        Matter = request.env["shouwen.matter"]
        count = Matter._online_param("online_max_files")
        size = Matter._online_param("online_max_file_mb") * 1024 * 1024
        storages = [
            storage
            for storage in request.httprequest.files.getlist("attachments")
            if storage.filename
        ]
        return [
            {"name": storage.filename, "data": storage.read(size + 1)}
            for storage in storages[: count + 1]
        ]

    @staticmethod
    def _shouwen_rate_limited(phone):
        """Whether this submission exceeds a rate limit.  Counted once per
        request: when Odoo runs the request again after a concurrency
        failure, the submission is the one already counted."""
        environ = request.httprequest.environ
        if ATTEMPT_KEY not in environ:
            # the attempts are the system's own bookkeeping of the visitors
            Attempt = request.env["shouwen.online.attempt"].with_user(SUPERUSER_ID)
            environ[ATTEMPT_KEY] = Attempt._register_attempt(
                request.httprequest.remote_addr, phone
            )
        return environ[ATTEMPT_KEY]

    @staticmethod
    def _shouwen_unstorable(form, files):
        """The message of each text (and of the attachments) holding a
        character no text can be stored with (NUL)."""
        message = request.env._(
            "This text contains a character that cannot be accepted (NUL): "
            "remove it and send again."
        )
        errors = {
            fname: message
            for fname, text in form.items()
            if personal_data.unstorable(text)
        }
        if any(personal_data.unstorable(file["name"]) for file in files):
            errors["attachments"] = request.env._(
                "The name of an attached file contains a character that cannot "
                "be accepted (NUL): rename the file and attach it again."
            )
        return errors

    def _shouwen_not_found(self):
        return request.render(
            "shouwen_responsibility.shouwen_online_not_found", {}, status=404
        )

    # ------------------------------------------------------------------
    # the public form
    # ------------------------------------------------------------------

    @http.route(
        "/shouwen/online", type="http", auth="public", methods=["GET"], website=True
    )
    def shouwen_online_form(self, **kwargs):
        self._shouwen_chinese()
        return request.render(
            "shouwen_responsibility.shouwen_online_form", self._shouwen_form_values()
        )

    @http.route(
        "/shouwen/online",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        # checked below, so that a customer whose page expired gets their
        # form back with what they typed instead of Odoo's error page
        csrf=False,
    )
    def shouwen_online_submit(self, **post):
        """File a complaint or a consultation."""
        self._shouwen_chinese()
        # the texts posted as such: a file sent under a field's name is no
        # text, and is not read as one
        posted = request.httprequest.form
        form = {fname: posted.get(fname) or "" for fname in ONLINE_FORM_FIELDS}
        if not request.validate_csrf(posted.get("csrf_token") or ""):
            return request.render(
                "shouwen_responsibility.shouwen_online_form",
                self._shouwen_form_values(
                    form,
                    message=request.env._(
                        "This page has expired. Your request was not sent yet: "
                        "check what you typed below and send it again."
                    ),
                ),
                status=400,
            )
        Matter = request.env["shouwen.matter"]
        if self._shouwen_rate_limited(form["customer_phone"]):
            return request.render(
                "shouwen_responsibility.shouwen_online_form",
                self._shouwen_form_values(
                    form,
                    message=request.env._(
                        "Too many submissions in a short time. Please try again "
                        "later, or call our customer service hotline."
                    ),
                ),
                status=429,
            )
        files = self._shouwen_files()
        errors = self._shouwen_unstorable(form, files)
        if not errors:
            values, errors = Matter._online_check(form, files)
        if errors:
            return request.render(
                "shouwen_responsibility.shouwen_online_form",
                self._shouwen_form_values(form, errors=errors),
                status=400,
            )
        # a logged-in customer (portal) finds the matter in their portal
        user = request.env.user
        partner = user.partner_id if user.share and not user._is_public() else None
        # registered as the system: the visitor chose only among the units
        # offered and the values were checked above; what they get back is
        # the new matter's number and its own private link, nothing else
        try:
            with request.env.cr.savepoint():
                matter = Matter.with_user(SUPERUSER_ID)._online_register(
                    values, files, partner=partner
                )
        except (UserError, ValidationError) as error:
            return request.render(
                "shouwen_responsibility.shouwen_online_form",
                self._shouwen_form_values(form, message=str(error)),
                status=400,
            )
        return request.render(
            "shouwen_responsibility.shouwen_online_done",
            {
                "number": matter.name,
                "status_url": matter.get_base_url() + matter.get_portal_url(),
                "kind": dict(Matter._online_kinds())[values["kind"]],
            },
        )

    # ------------------------------------------------------------------
    # the status page
    # ------------------------------------------------------------------

    @http.route(
        "/shouwen/status/<string:number>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def shouwen_status(self, number, access_token=None, **kwargs):
        """The status of one matter, for the holder of its private link or
        the customer whose portal lists it; anyone else gets the same page as
        for a number that does not exist."""
        self._shouwen_chinese()
        access_token = access_token if isinstance(access_token, str) else None
        if personal_data.unstorable(number) or personal_data.unstorable(
            access_token or ""
        ):
            # no matter has such a number or token
            return self._shouwen_not_found()
        Matter = request.env["shouwen.matter"]
        # looked up by number to compare its token; nothing of it is shown
        # unless the token matches or the user's own rules let them read it
        matter = (
            Matter.with_user(SUPERUSER_ID)
            .with_context(active_test=False)
            .search([("name", "=", number)], limit=1)
        )
        if not matter:
            return self._shouwen_not_found()
        allowed = bool(
            access_token
            and matter.access_token
            # compared as bytes: consteq refuses texts beyond ASCII
            and consteq(matter.access_token.encode(), access_token.encode())
        )
        if not allowed and not request.env.user._is_public():
            allowed = bool(Matter.browse(matter.id)._filtered_access("read"))
        if not allowed:
            return self._shouwen_not_found()
        return request.render(
            "shouwen_responsibility.shouwen_online_status",
            {"matter": matter._online_status(), "page_name": "shouwen_status"},
        )

    # ------------------------------------------------------------------
    # the customer's portal
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "shouwen_count" in counters:
            Matter = request.env["shouwen.matter"]
            values["shouwen_count"] = (
                Matter.search_count(self._shouwen_portal_domain())
                if Matter.has_access("read")
                else 0
            )
        return values

    @staticmethod
    def _shouwen_portal_domain():
        return [("partner_id", "=", request.env.user.partner_id.id)]

    @http.route(
        ["/my/shouwen", "/my/shouwen/page/<int:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def shouwen_portal_list(self, page=1, **kwargs):
        """The logged-in customer's own matters, under their record rules."""
        self._shouwen_chinese()
        Matter = request.env["shouwen.matter"]
        values = self._prepare_portal_layout_values()
        matters = Matter
        total = (
            Matter.search_count(self._shouwen_portal_domain())
            if Matter.has_access("read")
            else 0
        )
        page_pager = pager(
            url="/my/shouwen",
            total=total,
            page=page,
            step=self._items_per_page,
        )
        if total:
            matters = Matter.search(
                self._shouwen_portal_domain(),
                limit=self._items_per_page,
                offset=page_pager["offset"],
            )
        values.update(
            {
                "matters": [matter._online_status() for matter in matters],
                "pager": page_pager,
                "page_name": "shouwen",
                "default_url": "/my/shouwen",
            }
        )
        return request.render(
            "shouwen_responsibility.shouwen_portal_my_matters", values
        )
