"""`tf.nest`: flatten, rebuild and map nested structures as TensorFlow does.

A structure is a leaf or a list, tuple, namedtuple or mapping of structures. As in
TF, the values of a mapping come in the order of its **sorted keys** (so `{"b": 1,
"a": 2}` flattens to `[2, 1]`, OrderedDict included), `None`, strings and tensors
are leaves, and `pack_sequence_as` rebuilds the mapping with its own key order.

With `expand_composites=True` a `tf.SparseTensor` is the structure `[indices,
values, dense_shape]` and a `tf.RaggedTensor` is `[flat_values, *row_splits]`.

>>> import capas as tf
>>> tf.nest.flatten({"b": 1, "a": [2, (3, None)]})
[2, 3, None, 1]
>>> tf.nest.pack_sequence_as({"b": 0, "a": [0, 0]}, [10, 20, 30])
{'b': 30, 'a': [10, 20]}

The internal `capas._nest` (used by `tf.data`) keeps insertion order; this module is TF's.
"""

import collections.abc

from capas.ragged.ragged_tensor import RaggedTensor
from capas.sparse.sparse_tensor import SparseTensor

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as"]


def _is_namedtuple(value):
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _is_composite(value):
    return isinstance(value, (SparseTensor, RaggedTensor))


def is_nested(seq):
    """True for a list, tuple (namedtuple too) or mapping; False for leaves (tensors, strings, None).

    >>> import capas as tf
    >>> tf.nest.is_nested([1]), tf.nest.is_nested(tf.constant([1])), tf.nest.is_nested("ab")
    (True, False, False)
    """
    return isinstance(seq, (list, tuple, collections.abc.Mapping))


def _is_node(value, expand_composites):
    return is_nested(value) or (expand_composites and _is_composite(value))


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError as exc:  # TF sorts too, and fails the same way on mixed key types
        raise TypeError(
            f"{exc}\ntf.nest: the keys of a mapping must be sortable (TF flattens values in sorted key "
            f"order); got keys {list(mapping)!r}. Use keys of one type (e.g. all str)."
        ) from exc


def _children(value, expand_composites):
    """The direct children of a node, in TF's flattening order."""
    if isinstance(value, collections.abc.Mapping):
        return [value[k] for k in _sorted_keys(value)]
    if isinstance(value, (list, tuple)):
        return list(value)
    if expand_composites:
        if isinstance(value, RaggedTensor):
            splits = []
            node = value
            while isinstance(node, RaggedTensor):
                splits.append(node.row_splits)
                node = node.values
            return [node, *splits]
        return [value.indices, value.values, value.dense_shape]
    raise AssertionError("not a node")


def _rebuild(template, children):
    """A node like `template` whose children are `children` (in flattening order)."""
    if isinstance(template, collections.abc.Mapping):
        by_key = dict(zip(_sorted_keys(template), children))
        items = [(k, by_key[k]) for k in template]  # the template's own key order
        if isinstance(template, collections.defaultdict):
            out = collections.defaultdict(template.default_factory)
            out.update(items)
            return out
        try:
            return type(template)(items)
        except TypeError:
            return dict(items)
    if _is_namedtuple(template):
        return type(template)(*children)
    if isinstance(template, tuple):
        return tuple(children)
    if isinstance(template, list):
        return list(children)
    if isinstance(template, SparseTensor):
        return SparseTensor(*children)
    if isinstance(template, RaggedTensor):
        result = children[0]
        for splits in reversed(children[1:]):
            result = RaggedTensor.from_row_splits(result, splits)
        return result
    raise AssertionError("not a node")


def flatten(structure, expand_composites=False):
    """The leaves of `structure` in TF's order (mapping values by sorted key); a leaf gives `[leaf]`.

    >>> import capas as tf
    >>> tf.nest.flatten([1, {"y": 2, "x": 3}]), tf.nest.flatten(None)
    ([1, 3, 2], [None])
    """
    if not _is_node(structure, expand_composites):
        return [structure]
    out = []
    for child in _children(structure, expand_composites):
        out.extend(flatten(child, expand_composites))
    return out


def _count(structure, expand_composites):
    return len(flatten(structure, expand_composites))


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """`structure` with its leaves replaced, in order, by the items of `flat_sequence`.

    >>> import capas as tf
    >>> tf.nest.pack_sequence_as((0, [0, 0]), [1, 2, 3])
    (1, [2, 3])
    """
    if not isinstance(flat_sequence, (list, tuple)) and not is_nested(flat_sequence):
        raise TypeError(
            f"tf.nest.pack_sequence_as: flat_sequence must be a list or tuple; got "
            f"{type(flat_sequence).__name__}. Pass a list of the leaves, e.g. tf.nest.flatten(x)."
        )
    flat_sequence = list(flat_sequence)
    if not _is_node(structure, expand_composites):
        if len(flat_sequence) != 1:
            raise ValueError(
                f"Structure is a scalar but len(flat_sequence) == {len(flat_sequence)} > 1"
                if flat_sequence
                else "Structure is a scalar but flat_sequence is empty."
            )
        return flat_sequence[0]
    expected = _count(structure, expand_composites)
    if expected != len(flat_sequence):
        raise ValueError(
            f"Could not pack sequence. Structure had {expected} atoms, but flat_sequence had "
            f"{len(flat_sequence)} items.  Structure: {structure}, flat_sequence: {flat_sequence}."
        )
    position = [0]

    def build(node):
        if not _is_node(node, expand_composites):
            value = flat_sequence[position[0]]
            position[0] += 1
            return value
        return _rebuild(node, [build(c) for c in _children(node, expand_composites)])

    return build(structure)


def _describe(value):
    return f"type={type(value).__name__} str={value}"


def _skeleton(value):
    """TF's 'Entire structure' view: leaves shown as '.'."""
    if isinstance(value, collections.abc.Mapping):
        return "{" + ", ".join(f"{k!r}: {_skeleton(v)}" for k, v in value.items()) + "}"
    if _is_namedtuple(value):
        return f"{type(value).__name__}(" + ", ".join(f"{f}={_skeleton(v)}" for f, v in zip(value._fields, value)) + ")"
    if isinstance(value, tuple):
        return "(" + ", ".join(_skeleton(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_skeleton(v) for v in value) + "]"
    return "."


def _same_type(a, b):
    if isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping):
        return True  # TF treats all mappings as one kind
    if _is_namedtuple(a) or _is_namedtuple(b):
        return (
            _is_namedtuple(a) and _is_namedtuple(b) and a._fields == b._fields and type(a).__name__ == type(b).__name__
        )
    return type(a) is type(b)


def _mismatch(a, b, check_types, expand_composites):
    """(exception class, reason) for the first difference between two structures, or None."""
    a_node = _is_node(a, expand_composites)
    b_node = _is_node(b, expand_composites)
    if a_node != b_node:
        first, second = ("is a sequence", "is not") if a_node else ("is not a sequence", "is")
        return ValueError, f'Substructure "{_describe(a)}" {first}, while substructure "{_describe(b)}" {second}'
    if not a_node:
        return None
    if check_types and not _same_type(a, b):
        return TypeError, (
            f"The two namedtuples don't have the same sequence type. First structure "
            f"{_describe(a)} has type {type(a).__name__}, while second structure {_describe(b)} "
            f"has type {type(b).__name__}"
        )
    if isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping):
        if set(a) != set(b):
            return ValueError, (
                f"The two dictionaries don't have the same set of keys. First structure has keys "
                f"type=list str={list(a)}, while second structure has keys type=list str={list(b)}"
            )
    a_children = _children(a, expand_composites)
    b_children = _children(b, expand_composites)
    if len(a_children) != len(b_children):
        return ValueError, (
            f"The two structures don't have the same number of elements. First structure: "
            f"{_describe(a)}. Second structure: {_describe(b)}"
        )
    for x, y in zip(a_children, b_children):
        found = _mismatch(x, y, check_types, expand_composites)
        if found is not None:
            return found
    return None


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Raise ValueError (or TypeError for differing sequence types) unless the structures match.

    >>> import capas as tf
    >>> tf.nest.assert_same_structure([1, (2, 3)], ["a", ("b", "c")])
    >>> tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False)
    """
    found = _mismatch(nest1, nest2, check_types, expand_composites)
    if found is None:
        return
    error, reason = found
    raise error(
        f"The two structures don't have the same nested structure.\n\nFirst structure: "
        f"{_describe(nest1)}\n\nSecond structure: {_describe(nest2)}\n\nMore specifically: "
        f"{reason}\nEntire first structure:\n{_skeleton(nest1)}\nEntire second structure:\n"
        f"{_skeleton(nest2)}"
    )


def map_structure(func, *structure, **kwargs):
    """Apply `func` to the leaves of the structures (which must match), rebuilding the first's shape.

    Keyword arguments: `check_types` (default True) and `expand_composites` (default False).

    >>> import capas as tf
    >>> tf.nest.map_structure(lambda a, b: a + b, {"x": [1, 2]}, {"x": [3, 4]})
    {'x': [4, 6]}
    """
    if not callable(func):
        raise TypeError(f"tf.nest.map_structure: func must be callable, got: {func!r}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    expand_composites = kwargs.pop("expand_composites", False)
    if kwargs:
        raise ValueError(
            "Only valid keyword arguments are `check_types` and `expand_composites`, not: `" + "`, `".join(kwargs) + "`"
        )
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types, expand_composites=expand_composites)
    flats = [flatten(s, expand_composites) for s in structure]
    results = [func(*leaves) for leaves in zip(*flats)]
    return pack_sequence_as(structure[0], results, expand_composites=expand_composites)
