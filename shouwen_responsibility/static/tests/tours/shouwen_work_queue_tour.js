/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// A complaint and a matter walked by the demo's own staff, each leg starting
// from their home page 我的待办, clicking only what the screens show.
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

const COMPLAINT = "投诉理赔拖延（待办导览）";
const MATTER = "车险理赔进度查询（待办导览）";

function current(state) {
    return {
        content: `the matter is ${state}`,
        trigger: `.o_statusbar_status button[data-value=${state}].o_arrow_button_current`,
    };
}

function confirmDialog() {
    return [
        {trigger: ".modal button[name=action_confirm]", run: "click"},
        {content: "the dialog closed", trigger: "body:not(:has(.modal))"},
    ];
}

function dialogText(text) {
    return {trigger: ".modal .o_field_widget[name=text] textarea", run: `edit ${text}`};
}

function chooseStaff(name) {
    return [
        {trigger: ".modal .o_field_widget[name=user_id] input", run: `edit ${name}`},
        {
            trigger: `.modal .o-autocomplete--dropdown-menu li:contains(${name})`,
            run: "click",
        },
    ];
}

// Home is the work queue; a card opens its list, the row its form.
function fromQueue(card, subject) {
    return [
        {content: "home is 我的待办", trigger: ".o_shouwen_work_queue"},
        {
            content: `the ${card} card counts it`,
            trigger: `.o_shouwen_queue_${card} .o_shouwen_queue_count:not(:contains(/^0$/))`,
        },
        {trigger: `.o_shouwen_queue_${card}`, run: "click"},
        {trigger: `.o_data_row:contains(${subject}) td.o_data_cell`, run: "click"},
        {trigger: ".o_form_view .o_statusbar_status"},
    ];
}

// Registration starts from the work queue too: 我的事项 → 新建.
function register(subject, fill) {
    return [
        {content: "home is 我的待办", trigger: ".o_shouwen_work_queue"},
        {
            trigger:
                ".o_main_navbar a[data-menu-xmlid='shouwen_responsibility.shouwen_matter_menu_mine']",
            run: "click",
        },
        {trigger: ".o_list_button_add", run: "click"},
        {trigger: ".o_field_widget[name=subject] input", run: `edit ${subject}`},
        ...fill,
        {trigger: ".o_form_button_save", run: "click"},
        current("registered"),
    ];
}

// 赵磊 registers a complaint and proposes 孙娜 as its handler.
tours.add("shouwen_queue_complaint_register", {
    url: "/odoo",
    steps: () => [
        ...register(COMPLAINT, [
            {trigger: ".o_field_widget[name=channel] select", run: 'select "phone"'},
            {trigger: ".o_field_widget[name=kind] select", run: 'select "complaint"'},
            {
                trigger: ".o_field_widget[name=business_domain] select",
                run: 'select "complaint"',
            },
            {trigger: ".o_field_widget[name=customer_name] input", run: "edit 赵六"},
            {
                trigger: ".o_field_widget[name=customer_phone] input",
                run: "edit 17733339021",
            },
        ]),
        {
            content: "a complaint never shows the guidance path",
            trigger: ".o_form_view:not(:has(.o_statusbar_status button[data-value=guiding]))",
        },
        {
            content: "no sign-for on a registered complaint",
            trigger: ".o_form_view:not(:has(.o_shouwen_btn_sign))",
        },
        {trigger: ".o_shouwen_btn_propose_assignment", run: "click"},
        ...chooseStaff("孙娜"),
        dialogText("请核实理赔拖延原因"),
        ...confirmDialog(),
        current("approval"),
    ],
});

// 马丽 approves the assignment from 待审批.
tours.add("shouwen_queue_complaint_approve", {
    url: "/odoo",
    steps: () => [
        ...fromQueue("to_approve", COMPLAINT),
        current("approval"),
        {trigger: ".o_shouwen_btn_approve_assignment", run: "click"},
        current("assigned"),
    ],
});

// 孙娜 signs for it from 待签收 and submits the reply.
tours.add("shouwen_queue_complaint_sign", {
    url: "/odoo",
    steps: () => [
        ...fromQueue("to_sign", COMPLAINT),
        current("assigned"),
        {trigger: ".o_shouwen_btn_sign", run: "click"},
        current("in_progress"),
        {trigger: ".o_shouwen_btn_submit_reply", run: "click"},
        dialogText("理赔款已于今日支付，并向客户致歉"),
        ...confirmDialog(),
        current("review"),
    ],
});

// 马丽 accepts the reply from 待审批.
tours.add("shouwen_queue_complaint_review", {
    url: "/odoo",
    steps: () => [
        ...fromQueue("to_approve", COMPLAINT),
        current("review"),
        {
            content: "the reviewer is offered no 受理 (accept) of the matter",
            trigger: ".o_form_view:not(:has(.o_shouwen_btn_accept))",
        },
        {trigger: ".o_shouwen_btn_review_accept", run: "click"},
        dialogText("答复口径妥当"),
        ...confirmDialog(),
        current("feedback"),
    ],
});

// 赵磊 tells the complainant and records the callback, from 待回访.
tours.add("shouwen_queue_complaint_callback", {
    url: "/odoo",
    steps: () => [
        ...fromQueue("to_callback", COMPLAINT),
        current("feedback"),
        {trigger: ".o_shouwen_btn_tell_complainant", run: "click"},
        {
            trigger: ".modal .o_field_widget[name=told_method] select",
            run: 'select "phone"',
        },
        dialogText("已电话告知赔付到账"),
        ...confirmDialog(),
        current("callback"),
        {trigger: ".o_shouwen_btn_callback", run: "click"},
        {
            trigger:
                ".modal .o_field_widget[name=callback_outcome] input[data-value=satisfied]",
            run: "click",
        },
        dialogText("客户表示满意"),
        ...confirmDialog(),
        current("closed"),
    ],
});

// 赵磊 registers a claims query at the counter and guides it to 孙娜.
tours.add("shouwen_queue_matter_guide", {
    url: "/odoo",
    steps: () => [
        ...register(MATTER, [
            {trigger: ".o_field_widget[name=kind] select", run: 'select "query"'},
            {
                trigger: ".o_field_widget[name=business_domain] select",
                run: 'select "claims"',
            },
            {trigger: ".o_field_widget[name=customer_name] input", run: "edit 王五"},
            {
                trigger: ".o_field_widget[name=customer_phone] input",
                run: "edit 13838009021",
            },
        ]),
        {trigger: ".o_shouwen_btn_guide", run: "click"},
        ...chooseStaff("孙娜"),
        dialogText("请协助查询理赔进度"),
        ...confirmDialog(),
        current("guiding"),
    ],
});

// 孙娜 accepts it from 待受理 (becoming its first responsible), answers and
// closes it.
tours.add("shouwen_queue_matter_accept", {
    url: "/odoo",
    steps: () => [
        ...fromQueue("to_accept", MATTER),
        current("guiding"),
        {trigger: ".o_shouwen_btn_accept", run: "click"},
        current("in_progress"),
        {trigger: ".o_shouwen_btn_answer", run: "click"},
        dialogText("理赔款已于今日支付，已电话告知客户"),
        {trigger: ".modal .o_field_widget[name=told_method] select", run: 'select "phone"'},
        ...confirmDialog(),
        current("answered"),
        {trigger: ".o_shouwen_btn_close", run: "click"},
        {trigger: ".modal-footer .btn-primary", run: "click"},
        current("closed"),
    ],
});
