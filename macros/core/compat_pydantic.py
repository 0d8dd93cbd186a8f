"""pydantic internals used by the model (``model.Strict``).

- Every model instance keeps the names of the fields its input gave, in a set of
  its own (``__pydantic_fields_set__``): at 10x the data, 31,000 sets and a third
  of what the loaded records take. The model's records are frozen, and pydantic
  changes that set only on assignment (refused) or in a copy it makes first
  (``model_copy``), so instances whose input gave the same fields can share one
  set. ``share_fields_set`` swaps an instance's set for the first equal one.

Without it (``available()`` False: another pydantic, or FUSION_ATLAS_COMPAT=off)
each instance keeps its own set: the same records, more memory.
"""

from __future__ import annotations

from .compat import gate

TESTED = {"pydantic": ("2.14.3",)}

_SHARED: dict[frozenset, set] = {}  # the names of a shape of input -> the one set for them


def available() -> bool:
    return gate("pydantic", TESTED["pydantic"])


def share_fields_set(model) -> None:
    """Give ``model`` (a frozen pydantic model) the set of field names already kept for its shape."""
    own = model.__pydantic_fields_set__
    shared = _SHARED.setdefault(frozenset(own), own)
    if shared is not own:
        object.__setattr__(model, "__pydantic_fields_set__", shared)
