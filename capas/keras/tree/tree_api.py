"""`keras.tree`: walk, flatten and rebuild nested structures (lists, tuples, namedtuples, dicts).

The conventions are Keras 3's (its optree implementation, which its documentation states):
lists, tuples, namedtuples, deques and dicts are nodes; everything else, `None` included, is
a leaf. Plain dicts and defaultdicts give their values in sorted key order and are rebuilt
with their own key order; an `OrderedDict` keeps its order throughout. Two structures match
when their node types and lengths (or key sets) match at every level; the dict kinds match
each other, while list, tuple, deque and each namedtuple type are all different.

Differs from Keras on its torch backend, which sorts only the outermost dict (see
docs/differences.md).
"""

import collections
import warnings


class MAP_TO_NONE:  # noqa: N801  (Keras's name)
    """Return this from a `traverse` function to put `None` in place of the sub-structure."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _is_node(x):
    return type(x) in (list, tuple, dict, collections.OrderedDict, collections.defaultdict, collections.deque) or (
        _is_namedtuple(x)
    )


def _keys(x):
    """The keys of a node's children, in flattening order."""
    if isinstance(x, dict):
        return list(x) if type(x) is collections.OrderedDict else sorted(x)
    return list(range(len(x)))


def _rebuild(like, values):
    """A node of `like`'s type whose children are `values` (a dict from `like`'s keys)."""
    if type(like) is list:
        return [values[i] for i in range(len(like))]
    if type(like) is collections.deque:
        return collections.deque((values[i] for i in range(len(like))), maxlen=like.maxlen)
    if _is_namedtuple(like):
        return type(like)(*(values[i] for i in range(len(like))))
    if isinstance(like, tuple):
        return tuple(values[i] for i in range(len(like)))
    if type(like) is collections.defaultdict:
        return collections.defaultdict(like.default_factory, {k: values[k] for k in like})
    return type(like)((k, values[k]) for k in like)


def _kind(x):
    if isinstance(x, dict):
        return dict
    return type(x)


def _check_same_node(node, other):
    if not _is_node(other):
        raise ValueError(
            f"Structures don't have the same nested structure: expected a {type(node).__name__} "
            f"here, received a leaf {other!r}."
        )
    if _kind(node) is not _kind(other):
        raise ValueError(
            f"Structures don't have the same nested structure: a {type(node).__name__} faces a {type(other).__name__}."
        )
    if isinstance(node, dict):
        if set(node) != set(other):
            raise ValueError(
                f"Structures don't have the same nested structure: dict keys {sorted(node, key=repr)} "
                f"and {sorted(other, key=repr)} differ."
            )
    elif len(node) != len(other):
        raise ValueError(
            f"Structures don't have the same nested structure: a {type(node).__name__} of length "
            f"{len(node)} faces one of length {len(other)}."
        )


def is_nested(structure):
    """True for a list, tuple, namedtuple, deque or dict (a node), False for a leaf.

    Example:

    >>> from capas import keras
    >>> keras.tree.is_nested(42), keras.tree.is_nested({"foo": 42})
    (False, True)
    """
    return _is_node(structure)


def traverse(func, structure, top_down=True):
    """Apply `func` to every sub-structure, parents first (`top_down`) or children first.

    Top-down, a `func` returning None lets the walk go into the sub-structure; any other value
    replaces it (return `MAP_TO_NONE` for `None`). Bottom-up, `func` sees the rebuilt
    sub-structure and a non-None result replaces it.

    Example:

    >>> from capas import keras
    >>> seen = []
    >>> keras.tree.traverse(seen.append, [(1, 2), [3], {"a": 4}])
    [(1, 2), [3], {'a': 4}]
    >>> seen
    [[(1, 2), [3], {'a': 4}], (1, 2), 1, 2, [3], 3, {'a': 4}, 4]
    """
    if not callable(func):
        raise TypeError(f"keras.tree.traverse: `func` must be callable; received {func!r}.")

    def walk(node):
        def children():
            if not _is_node(node):
                return node
            return _rebuild(node, {k: walk(node[k]) for k in _keys(node)})

        if top_down:
            result = func(node)
            if result is None:
                return children()
        else:
            rebuilt = children()
            result = func(rebuilt)
            if result is None:
                return rebuilt
        return None if result is MAP_TO_NONE else result

    return walk(structure)


def _leaves(structure, is_leaf=None):
    if (is_leaf is not None and is_leaf(structure)) or not _is_node(structure):
        yield (), structure
        return
    for key in _keys(structure):
        for path, leaf in _leaves(structure[key], is_leaf):
            yield (key,) + path, leaf


def flatten(structure):
    """The leaves of `structure`, depth first; dict values in sorted key order.

    Example:

    >>> from capas import keras
    >>> keras.tree.flatten({"b": [1, 2], "a": (3, None)})
    [3, None, 1, 2]
    """
    return [leaf for _, leaf in _leaves(structure)]


def flatten_with_path(structure):
    """`(path, leaf)` pairs; a path is the tuple of indices and keys leading to the leaf.

    Example:

    >>> from capas import keras
    >>> keras.tree.flatten_with_path([{"foo": 42}])
    [((0, 'foo'), 42)]
    """
    return list(_leaves(structure))


def _map(func, structures, is_leaf=None, up_to=False):
    first = structures[0]
    if (is_leaf is not None and is_leaf(first)) or not _is_node(first):
        if not up_to and any(_is_node(other) for other in structures[1:]):
            raise ValueError("Structures don't have the same nested structure.")
        return func(*structures)
    for other in structures[1:]:
        _check_same_node(first, other)
    return _rebuild(first, {k: _map(func, [s[k] for s in structures], is_leaf, up_to) for k in _keys(first)})


def map_structure(func, *structures, none_is_leaf=True):
    """`func` applied leaf by leaf to structures of one layout; the result has that layout.

    Args:
        func: Called with one leaf from each structure.
        *structures: Structures of the same layout (see `assert_same_structure`).
        none_is_leaf: If False, `None` leaves are kept as `None` without calling `func`.

    Example:

    >>> import collections
    >>> from capas import keras
    >>> keras.tree.map_structure(lambda x, y: x * y, [[1], [2]], [[3], [4]])
    [[3], [8]]
    >>> Foo = collections.namedtuple("Foo", ["a", "b"])
    >>> keras.tree.map_structure(lambda v: v * 2, Foo(a=1, b=2))
    Foo(a=2, b=4)
    """
    if not structures:
        raise ValueError("keras.tree.map_structure: must provide at least one structure.")
    apply = func
    if not none_is_leaf:

        def apply(*leaves):
            if leaves[0] is None:
                if not all(leaf is None for leaf in leaves):
                    raise ValueError(
                        f"Structure mismatch: some arguments are None, others are not. Received arguments: {leaves}."
                    )
                return None
            return func(*leaves)

    return _map(apply, structures)


def map_structure_up_to(shallow_structure, func, *structures):
    """Like `map_structure`, but only down to the layout of `shallow_structure`.

    `func` receives the sub-structures of `structures` found at the leaves of
    `shallow_structure` (they may be nested deeper).

    Example:

    >>> from capas import keras
    >>> keras.tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2]])
    [2, 2]
    """
    if not structures:
        raise ValueError("keras.tree.map_structure_up_to: must provide at least one structure.")
    return _map(lambda _, *subs: func(*subs), (shallow_structure,) + structures, up_to=True)


def assert_same_structure(a, b, check_types=None):
    """Raise ValueError unless `a` and `b` have the same node types and lengths at every level.

    `check_types` is deprecated in Keras and has no effect (a DeprecationWarning says so).

    Example:

    >>> from capas import keras
    >>> keras.tree.assert_same_structure([(0, 1)], [(2, 3)])
    >>> keras.tree.assert_same_structure([0, 1], (2, 3))
    Traceback (most recent call last):
    ...
    ValueError: Structures don't have the same nested structure: a list faces a tuple.
    """
    if check_types is not None:
        advice = "" if check_types else " For a looser check, use `keras.tree.assert_same_paths()`."
        warnings.warn(
            f"The `check_types` argument is deprecated and no longer has any effect.{advice}",
            DeprecationWarning,
            stacklevel=2,
        )
    _map(lambda *_: None, (a, b))


def assert_same_paths(a, b):
    """Raise ValueError unless `a` and `b` have the same leaf paths (node types may differ).

    Example:

    >>> from capas import keras
    >>> keras.tree.assert_same_paths([0, 1], (2, 3))
    """
    a_paths = {path for path, _ in _leaves(a)}
    b_paths = {path for path, _ in _leaves(b)}
    if a_paths == b_paths:
        return
    message = "`a` and `b` don't have the same paths."
    if a_paths - b_paths:
        message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
    if b_paths - a_paths:
        message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
    raise ValueError(message)


def pack_sequence_as(structure, flat_sequence):
    """The items of `flat_sequence` put into the layout of `structure`, in `flatten`'s order.

    Example:

    >>> from capas import keras
    >>> keras.tree.pack_sequence_as({"b": 0, "a": (0, 0)}, [1, 2, 3])
    {'b': 3, 'a': (1, 2)}
    """
    items = list(flat_sequence)
    count = sum(1 for _ in _leaves(structure))
    if len(items) != count:
        raise ValueError(
            f"keras.tree.pack_sequence_as: the structure has {count} leaves but flat_sequence has {len(items)} items."
        )
    position = iter(items)

    def fill(node):
        if not _is_node(node):
            return next(position)
        return _rebuild(node, {k: fill(node[k]) for k in _keys(node)})

    return fill(structure)


def lists_to_tuples(structure):
    """`structure` with every list turned into a tuple.

    Example:

    >>> from capas import keras
    >>> keras.tree.lists_to_tuples([1, [2, {"a": [3]}]])
    (1, (2, {'a': (3,)}))
    """
    return traverse(lambda node: tuple(node) if isinstance(node, list) else None, structure, top_down=False)


def map_shape_structure(func, structure):
    """`map_structure` that treats shape tuples (ints and Nones) as leaves.

    Example:

    >>> from capas import keras
    >>> keras.tree.map_shape_structure(lambda s: s[1:], {"x": (None, 3), "y": [(None, 4, 5)]})
    {'x': (3,), 'y': [(4, 5)]}
    """

    def is_shape(x):
        return isinstance(x, (list, tuple)) and all(isinstance(e, (int, type(None))) for e in x)

    return _map(func, (structure,), is_leaf=is_shape)
