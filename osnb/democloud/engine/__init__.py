"""The demo cloud's collection engine: a resource is a declaration plus its own behaviour.

- :class:`Field` (:mod:`.fields`): a key's type, defaults, flags, bounds; the body checks.
- :class:`Filter`, :class:`Query` (:mod:`.query`): the one list engine — filters, sorting,
  every service's pagination.
- :class:`Dialect` (:mod:`.dialect`): how one service words its 400s and pages its lists.
- :class:`Collection`, :class:`Ctx` (:mod:`.collection`): the generic handlers and hooks.
- :class:`Action`, :class:`Actions` (:mod:`.actions`): ``POST …/action`` bodies, one
  declaration per action (microversions, policy, states, argument), one dispatcher.
- :class:`Pairs`, :class:`Tags` (:mod:`.pairs`): a record's metadata or extra specs,
  and its tags, served under it.

See ARCHITECTURE.md, "Add a resource to the demo cloud".
"""

from .actions import Action, ActionHandler, Actions
from .collection import VISIBILITY, Collection, Ctx, json_patch
from .dialect import PAGINATION, Dialect
from .fields import MISSING, TYPES, Field, check_body, coerce, default_of
from .pairs import Pairs, Tags
from .query import (
    FILTER_KINDS,
    PAGING,
    TAG_PARAMS,
    Filter,
    Query,
    order,
    page,
    parse,
    select,
    sort_value,
)

__all__ = ["Action", "ActionHandler", "Actions", "FILTER_KINDS", "MISSING", "PAGINATION", "PAGING", "TAG_PARAMS", "TYPES",
           "VISIBILITY", "Collection", "Ctx", "Dialect", "Field", "Filter", "Pairs", "Query", "Tags",
           "check_body", "coerce", "default_of", "json_patch", "order", "page", "parse",
           "select", "sort_value"]
