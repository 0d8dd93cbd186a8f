"""Find every reference to another record inside a model, by its annotation.

A field typed ``MemberId`` (``Annotated[str, Ref("members")]``), a list of
them, or one inside a nested model is a reference. ``iter_refs`` yields each
with the path to it, so the validator can name the field and line, and the
atlas can build its "Referenced by" index from the same walk.
"""

from __future__ import annotations

import types
from functools import lru_cache
from typing import Annotated, Any, Iterator, Union, get_args, get_origin

from pydantic import BaseModel

from .model import Ref


def _unwrap(annotation: Any) -> tuple[Any, Ref | None]:
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        refs = [m for m in meta if isinstance(m, Ref)]
        inner, inner_ref = _unwrap(base)
        return inner, refs[0] if refs else inner_ref
    return annotation, None


@lru_cache(maxsize=None)
def _plan(model: type[BaseModel]) -> tuple:
    """For one model class: (field name, annotation) pairs worth walking."""
    plan = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        if _may_hold_refs(annotation):
            plan.append((name, annotation))
    return tuple(plan)


def _may_hold_refs(annotation: Any) -> bool:
    base, ref = _unwrap(annotation)
    if ref is not None:
        return True
    origin = get_origin(base)
    if origin in (list, tuple, Union, types.UnionType):
        return any(_may_hold_refs(a) for a in get_args(base))
    return isinstance(base, type) and issubclass(base, BaseModel) and bool(_plan(base))


def iter_refs(value: Any, annotation: Any = None, path: tuple = ()) -> Iterator[tuple[tuple, Ref, str]]:
    """Yield (path, Ref, target id) for every reference held in ``value``.

    ``value`` is a model instance, or raw data (dicts and lists straight from
    YAML) together with the model class as ``annotation``: walking raw data
    lets the validator report dangling references even in a record that has
    other problems, so every problem is reported at once.
    """
    walk = _walker(type(value)) if isinstance(value, BaseModel) else _walker(annotation)
    if walk is not None:
        yield from walk(value, path)


@lru_cache(maxsize=None)
def _walker(annotation: Any):
    """The walk over a value of ``annotation``: a function (value, path) -> references,
    made once per annotation; None when such a value cannot hold references."""
    base, ref = _unwrap(annotation)
    if ref is not None:

        def walk_ref(value, path):
            if isinstance(value, str):
                yield path, ref, value

        return walk_ref
    if isinstance(base, type) and issubclass(base, BaseModel):
        fields = [(name, walker) for name, ann in _plan(base) if (walker := _walker(ann)) is not None]

        def walk_model(value, path):
            if isinstance(value, BaseModel):
                if type(value) is not base:
                    yield from iter_refs(value, None, path)
                    return
                for name, walker in fields:
                    yield from walker(getattr(value, name), path + (name,))
            elif isinstance(value, dict):
                for name, walker in fields:
                    if name in value:
                        yield from walker(value[name], path + (name,))

        return walk_model
    origin = get_origin(base)
    if origin in (list, tuple):
        item = _walker((get_args(base) or (Any,))[0])
        if item is None:
            return None

        def walk_items(value, path):
            if isinstance(value, (list, tuple)):
                for i, v in enumerate(value):
                    yield from item(v, path + (i,))

        return walk_items
    if origin in (Union, types.UnionType):
        options = [(arg, _walker(arg)) for arg in get_args(base) if arg is not type(None)]

        def walk_union(value, path):
            for arg, walker in options:
                if _matches(value, arg):  # the first type the value can be
                    if walker is not None:
                        yield from walker(value, path)
                    return

        return walk_union
    return None


def _matches(value: Any, annotation: Any) -> bool:
    base, ref = _unwrap(annotation)
    if ref is not None:
        return isinstance(value, str)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return isinstance(value, (dict, base))
    return get_origin(base) in (list, tuple) and isinstance(value, (list, tuple))
