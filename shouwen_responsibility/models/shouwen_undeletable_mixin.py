# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import UserError


class ShouwenUndeletableMixin(models.AbstractModel):
    """Records that are part of the trail and are never deleted: matters,
    their parts, handovers, extension requests, findings, log lines.

    One rule for all of them: the ORM refuses ``unlink`` to everyone but the
    superuser itself (a data migration, the uninstall), even through another
    user's sudo.  A model says why and what to do instead in
    :meth:`_raise_undeletable`."""

    _name = "shouwen.undeletable.mixin"
    _description = "Records never deleted"

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self.env.uid != SUPERUSER_ID:
            self._raise_undeletable()

    def _raise_undeletable(self):
        raise UserError(
            self.env._("%(records)s cannot be deleted.", records=self._description)
        )
