/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// 我的待办: the app's home page.  The counts and labels come from the server
// (shouwen.matter.get_work_queue, counted as the user); a card opens its list.
// A supervisor switches between what waits for them and what waits in their
// scope.
import {Component, onWillStart, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

export class ShouwenWorkQueue extends Component {
    static template = "shouwen_responsibility.WorkQueue";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({title: "", cards: [], scope: false, switch: false});
        onWillStart(() => this.load(false));
    }

    async load(scope) {
        const queue = await this.orm.call("shouwen.matter", "get_work_queue", [scope]);
        Object.assign(this.state, queue);
    }

    countClass(card) {
        if (!card.count) {
            return "text-muted";
        }
        if (card.key === "overdue") {
            return "text-danger";
        }
        return card.key === "due_soon" ? "text-warning" : "text-primary";
    }

    async open(card) {
        const action = await this.orm.call("shouwen.matter", "action_open_work_queue", [
            card.key,
            this.state.scope,
        ]);
        return this.action.doAction(action);
    }
}

registry.category("actions").add("shouwen_work_queue", ShouwenWorkQueue);
