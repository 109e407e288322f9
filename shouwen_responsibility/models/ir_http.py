# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from werkzeug.exceptions import HTTPException

from odoo import models
from odoo.http import request

from ..controllers import phone_api

#: the module of this addon's controllers
CONTROLLERS = f"{__name__.rsplit('.', 2)[0]}.controllers."


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls, endpoint):
        # Odoo passes the request's parameters to the controller as keyword
        # arguments: one named "self" (?self=x, a form field, a file) would
        # collide with the method's own and end in a server error.  No
        # route of this addon takes such a parameter: it is left out.
        if "self" in request.params and getattr(
            endpoint, "original_endpoint", endpoint
        ).__module__.startswith(CONTROLLERS):
            request.params = {k: v for k, v in request.params.items() if k != "self"}
        return super()._dispatch(endpoint)

    @classmethod
    def _handle_error(cls, exception):
        # what werkzeug refuses while it reads a request of the phone API,
        # before the API's own checks (a form body that is no UTF-8, …),
        # is answered in JSON as the API's other refusals
        if (
            isinstance(exception, HTTPException)
            and 400 <= (exception.code or 0) < 500
            and phone_api.is_api_path(request.httprequest.path)
        ):
            return phone_api.unread_request_response(exception)
        return super()._handle_error(exception)
