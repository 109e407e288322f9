/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

function current(state) {
    return {
        content: `the complaint is ${state}`,
        trigger: `.o_statusbar_status button[data-value=${state}].o_arrow_button_current`,
    };
}

function confirmDialog() {
    return [
        {trigger: ".modal button[name=action_confirm]", run: "click"},
        {content: "the dialog closed", trigger: "body:not(:has(.modal))"},
    ];
}

// The first receiver registers a complaint and proposes its handler.
tours.add("shouwen_complaint_tour", {
    url: "/odoo/action-shouwen_responsibility.shouwen_matter_action_mine",
    steps: () => [
        {trigger: ".o_list_button_add", run: "click"},
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit 投诉理赔拖延（导览）",
        },
        {trigger: ".o_field_widget[name=channel] select", run: 'select "phone"'},
        {trigger: ".o_field_widget[name=kind] select", run: 'select "complaint"'},
        {
            trigger: ".o_field_widget[name=business_domain] select",
            run: 'select "complaint"',
        },
        {trigger: ".o_field_widget[name=customer_name] input", run: "edit 赵六"},
        {
            trigger: ".o_field_widget[name=customer_phone] input",
            run: "edit 17733330001",
        },
        {trigger: ".o_form_button_save", run: "click"},
        {
            content: "saved: the complaint waits for a proposed handler",
            trigger: ".o_shouwen_btn_propose_assignment",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=user_id] input",
            run: "edit Tour Complaint Handler",
        },
        {
            trigger:
                ".modal .o-autocomplete--dropdown-menu li:contains(Tour Complaint Handler)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=text] textarea",
            run: "edit 请核实理赔拖延原因",
        },
        ...confirmDialog(),
        current("approval"),
        {
            content: "the first responsible cannot approve their own proposal",
            trigger: ".o_form_view:not(:has(.o_shouwen_btn_approve_assignment))",
        },
    ],
});

// The supervisor of the competent level approves the assignment.
tours.add("shouwen_complaint_tour_approve", {
    steps: () => [
        current("approval"),
        {trigger: ".o_shouwen_btn_approve_assignment", run: "click"},
        current("assigned"),
    ],
});

// The handler signs for the complaint and submits the reply.
tours.add("shouwen_complaint_tour_sign_and_reply", {
    steps: () => [
        current("assigned"),
        {trigger: ".o_shouwen_btn_sign", run: "click"},
        current("in_progress"),
        {trigger: ".o_shouwen_btn_submit_reply", run: "click"},
        {
            trigger: ".modal .o_field_widget[name=text] textarea",
            run: "edit 理赔款已于今日支付，并向客户致歉",
        },
        ...confirmDialog(),
        current("review"),
    ],
});

// The approving supervisor accepts the reply.
tours.add("shouwen_complaint_tour_accept_reply", {
    steps: () => [
        current("review"),
        {trigger: ".o_shouwen_btn_review_accept", run: "click"},
        {
            trigger: ".modal .o_field_widget[name=text] textarea",
            run: "edit 答复口径妥当",
        },
        ...confirmDialog(),
        current("feedback"),
    ],
});

// The first responsible tells the complainant and records the callback.
tours.add("shouwen_complaint_tour_tell_and_callback", {
    steps: () => [
        current("feedback"),
        {trigger: ".o_shouwen_btn_tell_complainant", run: "click"},
        {
            trigger: ".modal .o_field_widget[name=told_method] select",
            run: 'select "phone"',
        },
        {
            trigger: ".modal .o_field_widget[name=text] textarea",
            run: "edit 已电话告知赔付到账",
        },
        ...confirmDialog(),
        current("callback"),
        {trigger: ".o_shouwen_btn_callback", run: "click"},
        {
            trigger:
                ".modal .o_field_widget[name=callback_outcome] input[data-value=satisfied]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=text] textarea",
            run: "edit 客户表示满意",
        },
        ...confirmDialog(),
        current("closed"),
    ],
});
