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
"""

STATES = [
    ("registered", "Registered"),
    ("guiding", "Guiding"),
    ("in_progress", "In progress"),
    ("coordinating", "Coordinating"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("returned", "Returned"),
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
]

#: states in which the matter is finished
DONE_STATES = ("closed",)
#: states in which somebody still has to act
OPEN_STATES = tuple(key for key, _label in STATES if key not in DONE_STATES)

#: roles a user can hold on a matter
#: - responsible: the first responsible person (首问责任人)
#: - handler: the person handling it now (承办人)
#: - guide_target: the person it was guided to, who has not yet accepted
#: - supervisor: a supervisor whose scope covers the matter's unit
#: - system: the addon itself, as a consequence of another action
ROLES = ("responsible", "handler", "guide_target", "supervisor", "system")

_WORKING = ("in_progress", "reopened")
_WAITING = ("registered", "returned")
#: the states in which the closure clock runs
_RUNNING = (*_WAITING, "guiding", *_WORKING, "coordinating")

#: action -> (states it may start from, resulting state, roles allowed)
#: a resulting state of ``None`` keeps the current state.
TRANSITIONS = {
    "handle": (_WAITING, "in_progress", ("responsible",)),
    "guide": (_WAITING + _WORKING, "guiding", ("responsible",)),
    "accept": (("guiding",), "in_progress", ("guide_target",)),
    "return": (("guiding",), "returned", ("guide_target",)),
    "coordinate": (
        (*_WORKING, "coordinating"),
        "coordinating",
        ("responsible", "handler"),
    ),
    "parts_done": (("coordinating",), "in_progress", ("system",)),
    "answer": (_WAITING + _WORKING, "answered", ("responsible", "handler")),
    "close": (("answered",), "closed", ("responsible",)),
    "reopen": (("answered", "closed"), "reopened", ("responsible", "supervisor")),
    "notify_materials": (
        _WAITING + _WORKING + ("coordinating",),
        None,
        ("responsible", "handler"),
    ),
    "resume_clock": (_RUNNING, None, ("responsible", "handler")),
    "request_extension": (_RUNNING, None, ("responsible", "handler")),
    "decide_extension": (_RUNNING, None, ("supervisor",)),
}


class Refused(Exception):
    """The action is not allowed; ``args[0]`` is the action."""


class StateRefused(Refused):
    """Not from this state."""


class RoleRefused(Refused):
    """Not by this person."""


def check(action, state, roles):
    """Return the state ``action`` leads to from ``state`` for a user holding
    ``roles``; raise :class:`StateRefused` or :class:`RoleRefused` otherwise.
    The state is checked first: an action that cannot happen now is refused as
    such, whoever asks."""
    from_states, to_state, allowed_roles = TRANSITIONS[action]
    if state not in from_states:
        raise StateRefused(action)
    if not set(roles) & set(allowed_roles):
        raise RoleRefused(action)
    return to_state or state


def actions_for(state, roles):
    """The actions a user holding ``roles`` may take in ``state``."""
    roles = set(roles)
    return {
        action
        for action, (from_states, _to, allowed) in TRANSITIONS.items()
        if state in from_states and roles & set(allowed)
    }
