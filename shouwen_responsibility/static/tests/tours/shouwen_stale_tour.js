/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

const TYPED = "Customer called back: the bank card was replaced";

// A staff member edits the description of a matter; before they save, the
// matter is changed elsewhere.  Their save is refused with a clear message,
// and what they typed is still in the form.
registry.category("web_tour.tours").add("shouwen_stale_form", {
    steps: () => [
        {
            trigger: ".o_field_widget[name=description] textarea",
            run: `edit ${TYPED}`,
        },
        {
            content: "somebody else changes the matter meanwhile",
            trigger: ".o_form_view .o_form_status_indicator_buttons:not(.invisible)",
            run: async () => {
                const matterId = parseInt(window.location.pathname.split("/").pop());
                await rpc("/web/dataset/call_kw/shouwen.matter/write", {
                    model: "shouwen.matter",
                    method: "write",
                    args: [[matterId], {description: "changed elsewhere"}],
                    kwargs: {},
                });
            },
        },
        {trigger: ".o_form_button_save", run: "click"},
        {
            content: "the save is refused with the stale-write message",
            trigger: ".modal:contains(changed by someone else)",
        },
        {trigger: ".modal .modal-footer .btn-primary", run: "click"},
        {
            content: "what the user typed is still there",
            trigger: `.o_form_view:not(:has(.modal)) .o_field_widget[name=description] textarea:value(${TYPED})`,
        },
        {
            content: "the user discards: the form is no longer dirty",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_status_indicator_buttons.invisible:not(:visible)",
        },
    ],
});
