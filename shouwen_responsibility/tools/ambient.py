# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The addon's ambient state, in one place: what a block of code sets for
the calls made inside it, without passing it down every signature.

Each one is a :class:`~contextvars.ContextVar`, never a context key: an RPC
caller sets the context keys it likes, but no client can set a context
variable.  Three of them are security flags for that reason (who posts is
not asked again, a status link may be made, a list's page is read as found);
the others are batches, whose contents a caller must not be able to inject.
No other module of the addon creates a ``ContextVar`` (a guard test checks
it).

>>> with system_writes():
...     SYSTEM_WRITES.get()
True
>>> SYSTEM_WRITES.get()
False
"""

from contextlib import contextmanager
from contextvars import ContextVar

#: set while the system writes the consequence of an action it has checked
#: (the ORM's tracking of a change, the message of a to-do marked done, the
#: note of a return): who posts is not asked again (see ``mail.message``)
SYSTEM_WRITES = ContextVar("shouwen_system_writes", default=False)

#: set while a private status link may be made: by the online form for its
#: new matter, by the first responsible's action
STATUS_LINK = ContextVar("shouwen_status_link", default=False)

#: ``(model, key of an environment, record ids, answers)``: the records a
#: search or a read has just found under that user's read rules, while they
#: are read (see ``shouwen.matter.web_search_read`` and ``read``), and what
#: was asked about them meanwhile (:func:`found_answers`)
FOUND = ContextVar("shouwen_found_readable", default=None)

#: compiled inline QWeb templates, shared inside :func:`compiled_once`
COMPILED = ContextVar("shouwen_qweb_compiled", default=None)

#: the activities and chatter notes of a batch, while
#: ``shouwen.batch.mixin._activities_in_batch`` collects them (a :class:`Batch`)
BATCH = ContextVar("shouwen_batch", default=None)

#: ``(model, [(record ids, partner ids), …])``: the followers the activities
#: of a batch subscribe, while they are created
FOLLOWERS = ContextVar("shouwen_follower_batch", default=None)

#: the default values asked while a batch of records is created, by
#: environment and fields (the same for every record of the batch)
DEFAULTS = ContextVar("shouwen_defaults_batch", default=None)


class Batch:
    """What a batch of ``model`` collects: activities ``(record, activity
    type xmlid, user, summary, note, date_deadline)`` and chatter notes
    ``(record, html body, subject or False)``."""

    __slots__ = ("activities", "model", "notes")

    def __init__(self, model):
        self.model = model
        self.activities = []
        self.notes = []


@contextmanager
def _set(var, value):
    token = var.set(value)
    try:
        yield value
    finally:
        var.reset(token)


def system_writes():
    """The messages, tracking values and attachments written inside the block
    are the consequence of an action already checked: who posts is not asked
    again (what they are, author and date, still is)."""
    return _set(SYSTEM_WRITES, True)


def status_link_allowed():
    """A private status link may be made inside the block."""
    return _set(STATUS_LINK, True)


def _rules_key(env):
    """What the read rules of ``env`` depend on: its transaction, its user
    and the companies it works in."""
    return (
        env.cr,
        env.uid,
        env.su,
        tuple(env.context.get("allowed_company_ids") or ()),
    )


def found_readable(records):
    """Inside the block, ``records``, just found by a search (or fetched by a
    read) under their user's read rules in this transaction, are not checked
    again when read (:func:`found`)."""
    return _set(
        FOUND,
        (records._name, _rules_key(records.env), frozenset(records._ids), {}),
    )


def found(records):
    """Whether ``records`` are among those the search whose page is being
    read found, under the read rules of the same user in the same
    transaction."""
    current = FOUND.get()
    return (
        current is not None
        and current[0] == records._name
        and current[1] == _rules_key(records.env)
        and current[2].issuperset(records._ids)
    )


def found_answers(records):
    """A dict of what was asked about the records being read, for answers
    that reading them cannot change (who may see the customer's data): kept
    while they are read, for their user; None outside such a block, or for
    other records."""
    return FOUND.get()[3] if found(records) else None


def compiled_once():
    """Inside the block, an inline QWeb template (a mail template's body) is
    compiled once per source and language however many records it is
    rendered for: mail's renderer parses and compiles it again for each
    record (README, Performance)."""
    return _set(COMPILED, {})


def batch(model):
    """Collect the activities and notes of ``model`` scheduled inside the
    block in a :class:`Batch` (yielded)."""
    return _set(BATCH, Batch(model))


def collected(model):
    """The batch collecting ``model``'s activities and notes now, or None."""
    current = BATCH.get()
    return current if current is not None and current.model == model else None


def followers(model):
    """Collect the subscriptions to ``model``'s records made inside the block
    (the list is yielded)."""
    return _set(FOLLOWERS, (model, []))


def defaults_shared():
    """Share the default values asked inside the block (a batch creation)."""
    return _set(DEFAULTS, {})
