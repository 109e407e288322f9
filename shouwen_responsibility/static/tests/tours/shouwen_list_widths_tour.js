/** @odoo-module */
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

// On a 1440 px screen the list of matters shows each number, subject and
// deadline whole: none of these cells is cut off with an ellipsis.
const WHOLE = ["name", "subject", "closure_deadline", "registered_date"];

registry.category("web_tour.tours").add("shouwen_list_widths", {
    steps: () => [
        {
            content: "the list of matters is shown",
            trigger: ".o_list_view .o_list_table tbody tr.o_data_row",
        },
        {
            content: "no number, subject or deadline is cut off",
            trigger: ".o_list_view .o_list_table tbody tr.o_data_row td[name=subject]",
            run: () => {
                const cut = [];
                const rows = document.querySelectorAll(".o_list_table tbody tr.o_data_row");
                for (const row of rows) {
                    for (const name of WHOLE) {
                        const cell = row.querySelector(`td.o_data_cell[name=${name}]`);
                        if (!cell) {
                            throw new Error(`column ${name} is not shown`);
                        }
                        const inner = cell.firstElementChild || cell;
                        if (
                            cell.scrollWidth > cell.clientWidth + 1 ||
                            inner.scrollWidth > inner.clientWidth + 1
                        ) {
                            cut.push(`${name}: ${cell.innerText}`);
                        }
                    }
                }
                if (!rows.length || cut.length) {
                    throw new Error(`cut off at ${window.innerWidth} px: ${cut.join(" | ")}`);
                }
            },
        },
    ],
});
