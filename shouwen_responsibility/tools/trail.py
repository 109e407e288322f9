# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The hash chain of the responsibility log, written once: what a line's hash
covers, how it is computed, and how the lines of a database are checked.

Pure Python, no ORM.  Each line of a matter's log carries the hash of the
line before it in the same matter's log (``prev_hash``, none for the first
line) and its own (``line_hash``): SHA-256 over the line's content and
``prev_hash`` — keyed (HMAC-SHA256) when the server has a key, so that who
holds only the database cannot compute it.

>>> from datetime import datetime
>>> first = {"matter_id": 7, "action": "register", "user_id": 2,
...          "to_user_id": 2, "state_to": "registered",
...          "date": datetime(2026, 1, 5, 1, 30)}
>>> second = dict(first, action="handle", state_from="registered",
...               state_to="in_progress")
>>> heads = {}
>>> (p1, h1), (p2, h2) = seal([first, second], heads, key=None)
>>> p1 is None and p2 == h1 and heads == {7: h2} and len(h1) == 64
True

A checker reads the lines of every matter in id order and reports the first
broken line of each matter's chain:

>>> rows = [dict(first, id=1, prev_hash=p1, line_hash=h1),
...         dict(second, id=2, prev_hash=p2, line_hash=h2)]
>>> checker = Checker(key=None)
>>> checker.feed_all(rows)
>>> checker.lines, checker.matters, checker.problems
(2, 1, [])

A line whose content was changed, a line removed, and a chain recomputed
without the key where the key is known:

>>> altered = [rows[0], dict(rows[1], reason="edited")]
>>> Checker(key=None).feed_all(altered) or Checker.last.problems
[(7, 2, 'altered')]
>>> Checker(key=None).feed_all(rows[1:]) or Checker.last.problems
[(7, 2, 'relinked')]
>>> keyed = Checker(key=b"secret")
>>> keyed.feed_all(rows)
>>> keyed.problems, keyed.unkeyed, keyed.unkeyed_chains
([], 2, [(7, 1, 'unkeyed')])
"""

import hashlib
import hmac
import json
from datetime import datetime

#: what a line's hash covers, besides the hash of the line before it
CONTENT = (
    "matter_id",
    "action",
    "date",
    "user_id",
    "from_user_id",
    "to_user_id",
    "reason",
    "state_from",
    "state_to",
)

#: names the serialisation below: a new one gets a new name
VERSION = "shouwen.matter.log/1"

#: what can be wrong with a chain: its first broken line (in the order they
#: are looked for), or a matter without any line
PROBLEMS = [
    ("missing", "Hash missing"),
    ("relinked", "Line removed, inserted or moved before it"),
    ("altered", "Content changed since it was written"),
    ("downgraded", "Hashed without the key after lines hashed with it"),
    ("empty", "Matter without any log line"),
]
#: not a break, reported apart when the server has a key: the first line of a
#: chain that verifies only without it (written before the server had its
#: key, or rewritten by someone who could compute a plain hash)
UNKEYED = ("unkeyed", "Hashed without the key")


def payload(line, prev_hash):
    """The canonical bytes of ``line`` (a mapping of :data:`CONTENT`) chained
    to ``prev_hash``: a JSON array, empty values as ``null``, the date in ISO
    format (UTC, as stored).

    >>> line = {"matter_id": 1, "action": "urge", "user_id": 3,
    ...         "reason": "催办", "date": datetime(2026, 2, 1, 8, 0)}
    >>> json.loads(payload(line, "ab"))  # doctest: +NORMALIZE_WHITESPACE
    ['shouwen.matter.log/1', 1, 'urge', '2026-02-01 08:00:00', 3, None, None,
     '催办', None, None, 'ab']
    """
    values = []
    for fname in CONTENT:
        value = line.get(fname) or None
        if isinstance(value, datetime):
            value = value.isoformat(sep=" ")
        values.append(value)
    return json.dumps(
        [VERSION, *values, prev_hash], ensure_ascii=False, separators=(",", ":")
    ).encode()


def digest(data, key=None):
    """SHA-256 of ``data`` in hex, keyed (HMAC) when ``key`` is given."""
    if key:
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


def seal(lines, heads, key=None):
    """``[(prev_hash, line_hash)]`` of ``lines`` appended in this order;
    ``heads`` maps each matter to the hash of its last line so far (absent:
    the matter has none yet) and is brought up to date."""
    sealed = []
    for line in lines:
        prev_hash = heads.get(line["matter_id"])
        line_hash = digest(payload(line, prev_hash), key)
        heads[line["matter_id"]] = line_hash
        sealed.append((prev_hash, line_hash))
    return sealed


class Checker:
    """Checks the lines fed in (matter, id) order.  ``problems`` lists
    ``(matter_id, line_id, problem)`` for the first broken line of each
    broken chain (the rest of that chain is counted, not judged);
    ``unkeyed`` counts the lines that verify only without the key, and
    ``unkeyed_chains`` gives the first of them in each chain.
    ``fingerprint`` digests the head of every chain (matter, last line, its
    hash); with ``as_of``, ``fingerprint_as_of`` digests the heads as they
    were when line ``as_of`` was the last one written."""

    #: the last checker created (doctests)
    last = None

    def __init__(self, key=None, as_of=None):
        self.key = key
        self.as_of = as_of
        self.lines = self.matters = self.unkeyed = 0
        self.last_line_id = 0
        self.problems = []
        self.unkeyed_chains = []
        self._heads = hashlib.sha256()
        self._heads_as_of = hashlib.sha256()
        self._matter = None
        Checker.last = self

    def feed_all(self, rows):
        for row in rows:
            self.feed(row)
        self.close()

    def feed(self, row):
        if row["matter_id"] != self._matter:
            self._close_chain()
            self._matter = row["matter_id"]
            self.matters += 1
            self._prev = None
            self._keyed = self._broken = self._unkeyed = False
            self._head = self._head_as_of = None
        self.lines += 1
        self.last_line_id = max(self.last_line_id, row["id"])
        self._head = (row["id"], row["line_hash"])
        if self.as_of is not None and row["id"] <= self.as_of:
            self._head_as_of = self._head
        if self._broken:
            return
        problem = self._problem(row)
        if problem:
            self._broken = True
            self.problems.append((row["matter_id"], row["id"], problem))
        self._prev = row["line_hash"]

    def empty(self, matter_id):
        """``matter_id`` has no line at all (every matter has its
        registration)."""
        self.matters += 1
        self.problems.append((matter_id, None, "empty"))

    def close(self):
        self._close_chain()
        self._matter = None

    @property
    def fingerprint(self):
        return self._heads.hexdigest()

    @property
    def fingerprint_as_of(self):
        return self._heads_as_of.hexdigest() if self.as_of is not None else None

    def _close_chain(self):
        if self._matter is None:
            return
        for head, hasher in (
            (self._head, self._heads),
            (self._head_as_of, self._heads_as_of),
        ):
            if head:
                hasher.update(f"{self._matter}:{head[0]}:{head[1]}\n".encode())

    def _problem(self, row):
        if not row["line_hash"]:
            return "missing"
        if (row["prev_hash"] or None) != self._prev:
            return "relinked"
        data = payload(row, row["prev_hash"] or None)
        if self.key and digest(data, self.key) == row["line_hash"]:
            self._keyed = True
            return None
        if digest(data) == row["line_hash"]:
            if self._keyed:
                return "downgraded"
            if self.key:
                if not self._unkeyed:
                    self.unkeyed_chains.append(
                        (row["matter_id"], row["id"], UNKEYED[0])
                    )
                self._unkeyed = True
                self.unkeyed += 1
            return None
        return "altered"
