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
    if value is None:
        return
    if isinstance(value, BaseModel):
        for name, ann in _plan(type(value)):
            yield from iter_refs(getattr(value, name), ann, path + (name,))
        return
    base, ref = _unwrap(annotation)
    if ref is not None:
        if isinstance(value, str):
            yield path, ref, value
        return
    if isinstance(base, type) and issubclass(base, BaseModel):
        if isinstance(value, dict):
            for name, ann in _plan(base):
                if name in value:
                    yield from iter_refs(value[name], ann, path + (name,))
        return
    origin = get_origin(base)
    if origin in (list, tuple):
        if isinstance(value, (list, tuple)):
            (item_ann, *_) = get_args(base) or (Any,)
            for i, item in enumerate(value):
                yield from iter_refs(item, item_ann, path + (i,))
    elif origin in (Union, types.UnionType):
        for arg in get_args(base):
            if arg is type(None):
                continue
            if _matches(value, arg):
                yield from iter_refs(value, arg, path)
                return


def _matches(value: Any, annotation: Any) -> bool:
    base, ref = _unwrap(annotation)
    if ref is not None:
        return isinstance(value, str)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return isinstance(value, (dict, base))
    return get_origin(base) in (list, tuple) and isinstance(value, (list, tuple))
