/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// The insurer's staff need no link to Odoo's documentation, support or
// odoo.com account in their user menu.
import {registry} from "@web/core/registry";

const userMenuItems = registry.category("user_menuitems");
for (const key of ["documentation", "support", "odoo_account"]) {
    if (userMenuItems.contains(key)) {
        userMenuItems.remove(key);
    }
}
