/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// The first receiver registers a matter at the counter and guides the
// customer to a handler with the authority.
tours.add("shouwen_register_and_guide", {
    url: "/odoo/action-shouwen_responsibility.shouwen_matter_action_mine",
    steps: () => [
        {trigger: ".o_list_button_add", run: "click"},
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit 车险理赔进度查询（导览）",
        },
        {trigger: ".o_field_widget[name=kind] select", run: 'select "query"'},
        {trigger: ".o_field_widget[name=business_domain] select", run: 'select "claims"'},
        {trigger: ".o_field_widget[name=customer_name] input", run: "edit 王五"},
        {trigger: ".o_field_widget[name=customer_phone] input", run: "edit 13838001234"},
        {trigger: ".o_form_button_save", run: "click"},
        {
            content: "saved: the number is given and the guide button shows",
            trigger: ".o_shouwen_btn_guide",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=user_id] input",
            run: "edit Tour Handler",
        },
        {
            trigger: ".modal .o-autocomplete--dropdown-menu li:contains(Tour Handler)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=text] textarea",
            run: "edit 请协助查询理赔进度",
        },
        {trigger: ".modal button[name=action_confirm]", run: "click"},
        {
            content: "the matter is guiding, waiting for the handler",
            trigger: ".o_statusbar_status button[data-value=guiding].o_arrow_button_current",
        },
    ],
});

// The handler accepts (becoming the first responsible), answers, and closes.
tours.add("shouwen_accept_answer_close", {
    steps: () => [
        {trigger: ".o_shouwen_btn_accept", run: "click"},
        {
            trigger: ".o_statusbar_status button[data-value=in_progress].o_arrow_button_current",
        },
        {trigger: ".o_shouwen_btn_answer", run: "click"},
        {
            trigger: ".modal .o_field_widget[name=text] textarea",
            run: "edit 理赔款已于今日支付，已电话告知客户",
        },
        {trigger: ".modal .o_field_widget[name=told_method] select", run: 'select "phone"'},
        {trigger: ".modal button[name=action_confirm]", run: "click"},
        {
            trigger: ".o_statusbar_status button[data-value=answered].o_arrow_button_current",
        },
        {trigger: ".o_shouwen_btn_close", run: "click"},
        {trigger: ".modal-footer .btn-primary", run: "click"},
        {
            content: "closed",
            trigger: ".o_statusbar_status button[data-value=closed].o_arrow_button_current",
        },
    ],
});
