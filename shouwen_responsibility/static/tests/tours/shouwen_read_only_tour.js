/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

// A page of the staff's day is shown with its content: the work queue's
// cards, a list's rows, a form with its chatter, a pivot's figures.  The
// test around it checks that none of the reads it made needed to write.
registry.category("web_tour.tours").add("shouwen_read_only_page", {
    steps: () => [
        {
            content: "the page is shown with its content",
            trigger: [
                ".o_shouwen_work_queue .o_shouwen_queue_card",
                ".o_list_view .o_data_row",
                ".o_form_view .o-mail-Message",
                ".o_pivot .o_pivot_cell_value",
            ].join(", "),
        },
    ],
});
