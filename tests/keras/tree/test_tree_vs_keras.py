"""keras.tree against the `keras` package on the same nested inputs.

The reference is Keras's optree implementation (what `keras.tree` runs on the TensorFlow and JAX
backends, and what its documentation states: every dict flattened in sorted key order). On its
torch backend Keras 3.15 sorts only the outermost dict (`torchtree_impl._dict_to_ordered_dict`
returns before visiting the children); `test_keras_torch_backend_sorts_only_the_outer_dict`
pins that difference, which docs/differences.md records.
"""

import collections

import numpy as np
import pytest

from capas.keras import tree
from tests.conftest import keras_reference

Point = collections.namedtuple("Point", ["y", "x"])

STRUCTURES = [
    1,
    None,
    [1, 2, 3],
    (1, [2, (3, None)]),
    {"b": 1, "a": [2, 3], "c": {"z": 4, "y": (5,)}},
    collections.OrderedDict([("b", 1), ("a", 2)]),
    collections.defaultdict(list, {"k": [1], "a": 2}),
    Point(y=1, x=[2, 3]),
    [Point(y={"q": 1, "p": 2}, x=None), ()],
    {"empty": [], "tuple": (), "dict": {}},
    [np.float32(1.5), "text"],
]


@pytest.fixture(scope="module")
def ktree():
    keras_reference()
    pytest.importorskip("optree")
    import types

    from keras.src.tree import optree_impl, tree_api

    ref = types.SimpleNamespace(**{n: getattr(optree_impl, n) for n in dir(optree_impl) if not n.startswith("_")})
    ref.MAP_TO_NONE = tree_api.MAP_TO_NONE
    return ref


def test_keras_torch_backend_sorts_only_the_outer_dict():
    keras = keras_reference()
    nested = {"b": 1, "a": {"z": 2, "y": 3}}
    assert keras.config.backend() == "torch"
    assert keras.tree.flatten(nested) == [2, 3, 1]  # {"z", "y"} left unsorted
    assert tree.flatten(nested) == [3, 2, 1]  # sorted at every level, as documented


@pytest.mark.parametrize("structure", STRUCTURES, ids=range(len(STRUCTURES)))
def test_flatten_is_nested_and_paths_match_keras(ktree, structure):
    assert tree.flatten(structure) == ktree.flatten(structure)
    assert tree.is_nested(structure) == ktree.is_nested(structure)
    assert tree.flatten_with_path(structure) == ktree.flatten_with_path(structure)


@pytest.mark.parametrize("structure", STRUCTURES, ids=range(len(STRUCTURES)))
def test_map_pack_and_lists_to_tuples_match_keras(ktree, structure):
    def f(v):
        return None if v is None else repr(v)

    mine, ref = tree.map_structure(f, structure), ktree.map_structure(f, structure)
    assert mine == ref and type(mine) is type(ref)
    flat = list(range(len(ktree.flatten(structure))))
    mine, ref = tree.pack_sequence_as(structure, flat), ktree.pack_sequence_as(structure, flat)
    assert mine == ref and type(mine) is type(ref)
    if isinstance(ref, dict):
        assert list(mine) == list(ref)  # the same key order
    assert tree.lists_to_tuples(structure) == ktree.lists_to_tuples(structure)


@pytest.mark.parametrize("top_down", [True, False])
def test_traverse_visits_in_keras_order(ktree, top_down):
    structure = [(1, 2), [3], {"b": 4, "a": Point(5, 6)}]
    mine, ref = [], []
    out_mine = tree.traverse(mine.append, structure, top_down=top_down)
    out_ref = ktree.traverse(ref.append, structure, top_down=top_down)
    assert mine == ref and out_mine == out_ref

    def cut(node):
        return tree.MAP_TO_NONE if isinstance(node, tuple) else None

    def cut_ref(node):
        return ktree.MAP_TO_NONE if isinstance(node, tuple) else None

    assert tree.traverse(cut, structure, top_down=top_down) == ktree.traverse(cut_ref, structure, top_down=top_down)


def test_map_structure_of_several_structures_and_none_leaves(ktree):
    a = {"x": [1, None], "y": (2,)}
    b = {"y": (20,), "x": [10, None]}

    def add(u, v):
        return None if u is None else u + v

    assert tree.map_structure(add, a, b) == ktree.map_structure(add, a, b)
    assert tree.map_structure(lambda u: u * 2, a, none_is_leaf=False) == ktree.map_structure(
        lambda u: u * 2, a, none_is_leaf=False
    )
    # (Keras's optree version refuses None in the shallow structure; its torch version and the
    # docstring accept it, as capas does: compare with 0 there, and with keras.tree for None.)
    assert tree.map_structure_up_to([0, [0, 0]], str, [[1, 1], [2, 2]]) == ktree.map_structure_up_to(
        [0, [0, 0]], str, [[1, 1], [2, 2]]
    )
    assert tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]]) == (
        keras_reference().tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
    )
    shapes = {"x": (None, 3), "y": [(None, 4, 5)]}
    assert tree.map_shape_structure(lambda s: s[1:], shapes) == ktree.map_shape_structure(lambda s: s[1:], shapes)


@pytest.mark.parametrize(
    "a, b",
    [
        ([0, 1], (0, 1)),
        ([0, [1]], [0, 1]),
        ({"a": 1}, {"b": 1}),
        (Point(1, 2), collections.namedtuple("Point", ["y", "x"])(1, 2)),
        ([1, 2], [1, 2, 3]),
    ],
)
def test_assert_same_structure_rejects_what_keras_rejects(ktree, a, b):
    with pytest.raises(ValueError):
        ktree.assert_same_structure(a, b)
    with pytest.raises(ValueError):
        tree.assert_same_structure(a, b)


def test_assert_same_structure_and_paths_accept_what_keras_accepts(ktree):
    pairs = [([(0, 1)], [(2, 3)]), ({"a": 1, "b": [2]}, {"b": [3], "a": 4}), (Point(0, 1), Point(2, 3))]
    for a, b in pairs:
        ktree.assert_same_structure(a, b)
        tree.assert_same_structure(a, b)
    ktree.assert_same_paths([0, 1], (2, 3))
    tree.assert_same_paths([0, 1], (2, 3))
    with pytest.raises(ValueError, match="don't have the same paths") as mine:
        tree.assert_same_paths({"a": 1}, {"b": 1})
    with pytest.raises(ValueError) as ref:
        ktree.assert_same_paths({"a": 1}, {"b": 1})
    assert str(mine.value) == str(ref.value)


def test_check_types_is_deprecated_as_in_keras():
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)


def test_pack_sequence_as_with_the_wrong_count_raises(ktree):
    with pytest.raises(ValueError):
        ktree.pack_sequence_as([1, 2], [1])
    with pytest.raises(ValueError):
        tree.pack_sequence_as([1, 2], [1])
