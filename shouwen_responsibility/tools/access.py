# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Record rules answered by PostgreSQL.

Odoo 18 checks the record rules of records it already holds in Python
(``_check_access``: ``filtered_domain`` of the rules' domain as the superuser),
loading every record a rule's path reaches: the followers, parts and approvers
of each matter, every matter a customer's contact is the customer of.  The
same domain in one query, restricted to the records at hand, reads the
indexes instead.
"""

import functools

from odoo.osv import expression
from odoo.tools import SQL


def filtered_by_query(records, domain):
    """The records of ``records`` that match ``domain``, as PostgreSQL finds
    them: one query through the indexes, where ``filtered_domain`` would load
    in Python every relation the domain reaches through."""
    if not all(isinstance(id_, int) for id_ in records._ids):
        # new records are not in the database yet; sudo only evaluates the
        # domain on the records the caller already holds: it narrows them
        return records.sudo().filtered_domain(domain).with_env(records.env)
    # sudo: the query is restricted to the caller's own records, it only
    # narrows them
    query = (
        records.sudo()
        .with_context(active_test=False)
        ._search(expression.AND([[("id", "in", records._ids)], domain]))
    )
    found = set(query)
    return records.browse([id_ for id_ in records._ids if id_ in found])


def rules_forbid(records, operation):
    """What ``_check_access`` answers for the record rules of ``operation``
    on ``records`` (their model's access rights already granted): None, or
    the records the rules forbid and the function making the error."""
    Rule = records.env["ir.rule"]
    domain = Rule._compute_domain(records._name, operation)
    if not domain:
        return None
    forbidden = records - filtered_by_query(records, domain)
    if forbidden:
        return forbidden, functools.partial(
            Rule._make_access_error, operation, forbidden
        )
    return None


def flushing(sql, *fields):
    """``sql``, declared to read ``fields``: Odoo writes their pending
    changes to the database before it runs (the ORM declares the columns of
    the queries it builds; a query written by hand must declare its own)."""
    return SQL("%s%s", sql, SQL("").join(SQL("", to_flush=field) for field in fields))
