/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// A matter's form sends the version it was read at with every save, so that the
// server refuses a save based on a stale read instead of silently overwriting
// somebody else's change.
import {Record} from "@web/model/relational_model/record";
import {patch} from "@web/core/utils/patch";

patch(Record.prototype, {
    _getChanges() {
        const result = super._getChanges(...arguments);
        if (
            this.resModel === "shouwen.matter" &&
            this.resId &&
            "version" in this.activeFields &&
            Object.keys(result).length &&
            !("version" in result)
        ) {
            result.version = this.data.version;
        }
        return result;
    },
});
