/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// The holiday screen says which years' statutory calendar is not known yet
// (this year, and from 1 November the next): the server decides, the banner
// shows its sentence and is read again after each day entered.
import {onWillStart, useState} from "@odoo/owl";
import {ListController} from "@web/views/list/list_controller";
import {listView} from "@web/views/list/list_view";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

export class CalendarDayListController extends ListController {
    static template = "shouwen_responsibility.CalendarDayListView";

    setup() {
        super.setup();
        this.calendarOrm = useService("orm");
        this.banner = useState({text: false});
        onWillStart(() => this.loadBanner());
    }

    async loadBanner() {
        try {
            this.banner.text = await this.calendarOrm.silent.call(
                "shouwen.calendar.day",
                "get_calendar_banner",
                []
            );
        } catch {
            // only those who enter the days are told; nobody else sees it
            this.banner.text = false;
        }
    }

    async onRecordSaved() {
        await super.onRecordSaved(...arguments);
        await this.loadBanner();
    }

    async onDeleteSelectedRecords() {
        await super.onDeleteSelectedRecords(...arguments);
        await this.loadBanner();
    }
}

registry.category("views").add("shouwen_calendar_day_list", {
    ...listView,
    Controller: CalendarDayListController,
});
