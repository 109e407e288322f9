/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

// An administrator opens the holiday screen while this year's statutory
// calendar is not known: a banner says so.  They enter a day of this year;
// the year is known, the banner is gone.
registry.category("web_tour.tours").add("shouwen_calendar_banner", {
    steps: () => {
        // this year on the organisation's clock, as the server counts it
        const year = new Intl.DateTimeFormat("en", {
            timeZone: "Asia/Shanghai",
            year: "numeric",
        }).format(new Date());
        return [
            {
                content: "the banner names the year without statutory data",
                trigger: `.o_shouwen_calendar_banner:contains(${year})`,
            },
            {trigger: ".o_list_button_add", run: "click"},
            {
                trigger: ".o_data_row .o_field_widget[name=date] input",
                run: `edit 07/15/${year}`,
            },
            {
                trigger: ".o_data_row .o_field_widget[name=name] input",
                run: "edit Test holiday",
            },
            {trigger: ".o_list_button_save", run: "click"},
            {
                content: "the year is known: no banner",
                trigger:
                    ".o_list_view:not(:has(.o_shouwen_calendar_banner)) .o_data_row:not(.o_selected_row)",
            },
        ];
    },
});
