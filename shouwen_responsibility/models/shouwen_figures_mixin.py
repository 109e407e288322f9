# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class ShouwenFiguresMixin(models.AbstractModel):
    """The figures of a report model (matters, handovers): its aggregates read
    per value of a grouping, counts as whole numbers and rates or times with
    one decimal."""

    _name = "shouwen.figures.mixin"
    _description = "First-inquiry figures"

    @api.model
    def _read_figures(self, domain, groupby, figures):
        """``{key: {name: value}}`` of the aggregates ``figures``
        (``{name: "field:aggregate"}``) over the records of ``domain`` the
        user may see, per value of ``groupby`` (``None``: the totals, under
        the key ``None``; ``{}`` when there is nothing).  A count is a count;
        a rate or a time with nothing to measure stays empty (``None``),
        never a misleading 0."""
        aggregates = list(figures.values())
        if groupby:
            groups = self._read_group(domain, [groupby], aggregates)
        else:
            # nothing to count: no row at all (a count of 0 may be a figure)
            ((count, *row),) = self._read_group(domain, [], ["__count", *aggregates])
            if not count:
                return {}
            groups = [(None, *row)]
        return {
            key: {
                name: (
                    int(value or 0)
                    if aggregate.endswith(":sum")
                    else (None if value is None else round(float(value), 1))
                )
                for (name, aggregate), value in zip(
                    figures.items(), values, strict=True
                )
            }
            for key, *values in groups
        }
