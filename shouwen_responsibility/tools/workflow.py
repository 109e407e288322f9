# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The life cycle of a matter, written once: its states, and for every action
the states it may start from, the state it leads to and who may take it.

Pure Python, no ORM: the matter model asks :func:`check` before every action.

>>> check("accept", "guiding", {"guide_target"})
'in_progress'
>>> check("close", "answered", {"handler"})  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
workflow.RoleRefused: close
>>> check("close", "registered", {"responsible"})  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
workflow.StateRefused: close
>>> sorted(actions_for("guiding", {"guide_target"}))
['accept', 'return']

Complaints go through an approved assignment instead of guidance:

>>> check("guide", "registered", {"responsible"}, "complaint")
... # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
workflow.KindRefused: guide
>>> check("propose_assignment", "registered", {"responsible"}, "complaint")
'approval'
>>> sorted(actions_for("assigned", {"assignee"}, "complaint"))
['return', 'sign']
"""

STATES = [
    ("registered", "Registered"),
    ("approval", "Awaiting assignment approval"),
    ("assigned", "Awaiting sign-for"),
    ("guiding", "Guiding"),
    ("in_progress", "In progress"),
    ("coordinating", "Coordinating"),
    ("review", "Reply under review"),
    ("feedback", "Awaiting feedback to the complainant"),
    ("callback", "Awaiting callback"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("withdrawn", "Withdrawn"),
    ("returned", "Returned"),
    ("disputed", "Return under decision"),
    ("reopened", "Reopened"),
]

#: the actions, with the verb shown on buttons and in refusals
ACTIONS = [
    ("handle", "Handle here"),
    ("guide", "Guide to a handler"),
    ("accept", "Accept"),
    ("return", "Return"),
    ("coordinate", "Give a part"),
    ("parts_done", "Finish coordination"),
    ("notify_materials", "Tell missing materials"),
    ("answer", "Answer"),
    ("close", "Close"),
    ("reopen", "Reopen"),
    ("resume_clock", "Materials received"),
    ("request_extension", "Request an extension"),
    ("decide_extension", "Decide the extension"),
    ("propose_assignment", "Propose a handler"),
    ("approval_granted", "Assignment approved"),
    ("approval_rejected", "Assignment rejected"),
    ("sign", "Sign for it"),
    ("submit_reply", "Submit the reply"),
    ("review_accept", "Accept the reply"),
    ("review_send_back", "Send the reply back"),
    ("tell_complainant", "Tell the complainant"),
    ("callback", "Record the callback"),
    ("callback_close", "Close after the callback"),
    ("callback_reopen", "Reopen after the callback"),
    ("withdraw", "Record the withdrawal"),
    ("dispute_return", "Dispute the return"),
    ("decide_return", "Decide the disputed return"),
    ("urge", "Urge"),
    ("approve_closure", "Approve the closure"),
    ("reclassify", "Reclassify"),
    ("make_status_link", "Make a status link for the customer"),
]

#: every state
ALL_STATES = tuple(key for key, _label in STATES)
#: states in which the matter is finished
DONE_STATES = ("closed", "withdrawn")
#: states in which somebody still has to act
OPEN_STATES = tuple(key for key, _label in STATES if key not in DONE_STATES)

#: roles a user can hold on a matter
#: - responsible: the first responsible person (首问责任人)
#: - handler: the person handling it now (承办人)
#: - guide_target: the person it was guided to, who has not yet accepted
#: - assignee: who may sign for a complaint assigned to them or their unit
#: - approver: the supervisor who approved a complaint's assignment
#: - supervisor: a supervisor whose scope covers the matter's unit
#: - decider: a supervisor who decides a disputed return, party to it
#:   neither as dispatcher nor as the one who returned it
#: - overseer: a supervisor of the unit supervising an escalated matter
#: - system: the addon itself, as a consequence of another action
ROLES = (
    "responsible",
    "handler",
    "guide_target",
    "assignee",
    "approver",
    "supervisor",
    "decider",
    "overseer",
    "system",
)

#: which matters an action applies to
ANY, COMPLAINT, OTHER = None, "complaint", "other"

_WORKING = ("in_progress", "reopened")
_WAITING = ("registered", "returned")
#: the states in which the closure clock runs (a complaint's until the
#: complainant is told)
RUNNING_STATES = (
    *_WAITING,
    "disputed",
    "approval",
    "assigned",
    "guiding",
    *_WORKING,
    "coordinating",
    "review",
    "feedback",
)

#: action -> (states it may start from, resulting state, roles allowed, kinds)
#: a resulting state of ``None`` keeps the current state.
TRANSITIONS = {
    # every matter but complaints: the first receiver handles or guides
    "handle": (_WAITING, "in_progress", ("responsible",), OTHER),
    "guide": ((*_WAITING, *_WORKING), "guiding", ("responsible",), OTHER),
    "accept": (("guiding",), "in_progress", ("guide_target",), OTHER),
    "answer": ((*_WAITING, *_WORKING), "answered", ("responsible", "handler"), OTHER),
    "close": (("answered",), "closed", ("responsible",), OTHER),
    # complaints: approved assignment, sign or return, review, feedback, callback
    "propose_assignment": (_WAITING, "approval", ("responsible",), COMPLAINT),
    "approval_granted": (("approval",), "assigned", ("system",), COMPLAINT),
    "approval_rejected": (("approval",), "returned", ("system",), COMPLAINT),
    "sign": (("assigned",), "in_progress", ("assignee",), COMPLAINT),
    "submit_reply": (_WORKING, "review", ("handler",), COMPLAINT),
    "review_accept": (("review",), "feedback", ("approver",), COMPLAINT),
    "review_send_back": (("review",), "in_progress", ("approver",), COMPLAINT),
    "tell_complainant": (("feedback",), "callback", ("responsible",), COMPLAINT),
    "callback": (("callback",), None, ("responsible", "supervisor"), COMPLAINT),
    "callback_close": (("callback",), "closed", ("system",), COMPLAINT),
    "callback_reopen": (("callback",), "reopened", ("system",), COMPLAINT),
    "withdraw": (OPEN_STATES, "withdrawn", ("responsible", "supervisor"), COMPLAINT),
    # every matter
    "return": (("guiding", "assigned"), "returned", ("guide_target", "assignee"), ANY),
    "coordinate": (
        (*_WORKING, "coordinating"),
        "coordinating",
        ("responsible", "handler"),
        ANY,
    ),
    "parts_done": (("coordinating",), "in_progress", ("system",), ANY),
    "reopen": (
        ("answered", "closed"),
        "reopened",
        ("responsible", "supervisor"),
        ANY,
    ),
    "notify_materials": (
        (*_WAITING, *_WORKING, "coordinating"),
        None,
        ("responsible", "handler"),
        ANY,
    ),
    "resume_clock": (RUNNING_STATES, None, ("responsible", "handler"), ANY),
    "request_extension": (RUNNING_STATES, None, ("responsible", "handler"), ANY),
    "decide_extension": (RUNNING_STATES, None, ("supervisor",), ANY),
    # work-order discipline: a return disputed by the dispatcher is decided
    # by a supervisor above both; the decision names who signs for it next
    "dispute_return": (("returned",), "disputed", ("responsible",), ANY),
    "decide_return": (("disputed",), None, ("decider",), ANY),
    "urge": (OPEN_STATES, None, ("supervisor", "overseer"), ANY),
    "approve_closure": (("answered", "feedback", "callback"), None, ("overseer",), ANY),
    # the kind, business domain, priority or channel corrected, with a
    # reason: by who answers for the matter, while it is open (a complaint's
    # kind only before its path starts: see ShouwenMatter.reclassify)
    "reclassify": (OPEN_STATES, None, ("responsible", "supervisor"), ANY),
    # the customer's private status link, given on purpose and logged
    "make_status_link": (ALL_STATES, None, ("responsible",), ANY),
}

#: the state a decided dispute leads to: the named person signs for it
DECIDED_STATES = {"complaint": "assigned", None: "guiding"}


class Refused(Exception):
    """The action is not allowed; ``args[0]`` is the action."""


class StateRefused(Refused):
    """Not from this state."""


class RoleRefused(Refused):
    """Not by this person."""


class KindRefused(Refused):
    """Not for this kind of matter."""


def _applies(kinds, kind):
    return (
        kinds is ANY
        or (kinds == COMPLAINT and kind == "complaint")
        or (kinds == OTHER and kind != "complaint")
    )


def check(action, state, roles, kind=None):
    """Return the state ``action`` leads to from ``state`` for a user holding
    ``roles`` on a matter of ``kind``; raise :class:`KindRefused`,
    :class:`StateRefused` or :class:`RoleRefused` otherwise.  The kind and the
    state are checked first: an action that cannot happen now is refused as
    such, whoever asks."""
    from_states, to_state, allowed_roles, kinds = TRANSITIONS[action]
    if not _applies(kinds, kind):
        raise KindRefused(action)
    if state not in from_states:
        raise StateRefused(action)
    if not set(roles) & set(allowed_roles):
        raise RoleRefused(action)
    return to_state or state


def actions_for(state, roles, kind=None):
    """The actions a user holding ``roles`` may take in ``state``."""
    roles = set(roles)
    return {
        action
        for action, (from_states, _to, allowed, kinds) in TRANSITIONS.items()
        if state in from_states and roles & set(allowed) and _applies(kinds, kind)
    }
