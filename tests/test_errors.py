"""tf.errors: TF's types and codes, raised where TF raises them (recorded in tests/goldens/tfcore)."""

import json
import pathlib

import pytest
import torch

import capas as tf

G = json.loads((pathlib.Path(__file__).parent / "goldens" / "tfcore" / "goldens.json").read_text())["errors"]


def test_types_codes_and_constants_match_tf():
    for name, code in G["codes"].items():
        cls = getattr(tf.errors, name)
        err = cls(None, None, "msg")
        assert issubclass(cls, tf.errors.OpError)
        assert err.error_code == code and err.message == "msg" and str(err) == "msg"
    for name, value in G["constants"].items():
        assert getattr(tf.errors, name) == value


BAD = {
    "matmul": lambda: tf.matmul(tf.ones((2, 3)), tf.ones((2, 3))),
    "reshape": lambda: tf.reshape(tf.ones((2, 3)), (4, 2)),
    "add": lambda: tf.add(tf.ones((2, 3)), tf.ones((3, 2))),
    "concat": lambda: tf.concat([tf.ones((2, 3)), tf.ones((2, 2))], axis=0),
    "operator_add": lambda: tf.ones((2, 3)) + tf.ones((4, 3)),
    "operator_matmul": lambda: tf.ones((2, 3)) @ tf.ones((2, 3)),
    "gather_out_of_range": lambda: tf.gather(tf.constant([1, 2, 3]), [5]),
    "read_file_missing": lambda: tf.io.read_file("/nonexistent/file.txt"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_ops_raise_the_type_tf_raises(case):
    expected = getattr(tf.errors, G["raised"][case])
    with pytest.raises(expected):
        BAD[case]()


def test_invalid_argument_is_still_a_value_error_with_the_shapes():
    with pytest.raises(ValueError, match=r"tf.add: .*size of tensor a \(3\) must match.*tensor b \(2\)"):
        tf.add(tf.ones((2, 3)), tf.ones((3, 2)))
    try:
        tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)))
    except ValueError as exc:  # what callers caught before tf.errors existed
        assert isinstance(exc, tf.errors.InvalidArgumentError)
        assert "(2, 3)" in str(exc)
        assert exc.__cause__ is not None


def test_out_of_range_and_unimplemented_keep_builtin_bases():
    assert issubclass(tf.errors.OutOfRangeError, IndexError)
    assert issubclass(tf.errors.UnimplementedError, NotImplementedError)
    err = tf.errors.NotFoundError(None, "ReadFile", "gone")
    assert err.op == "ReadFile" and err.node_def is None


def test_symbolic_shape_signals_pass_through_unchanged():
    from torch._subclasses.fake_tensor import DynamicOutputShapeException, FakeTensorMode

    with FakeTensorMode():
        x = torch.ones(4)
        with pytest.raises(DynamicOutputShapeException):
            tf.where(x > 0)
    assert tf.errors.as_op_error(ValueError("x"), "tf.op").error_code == tf.errors.INVALID_ARGUMENT
    subclass_error = NotImplementedError("not ours")
    assert tf.errors.as_op_error(subclass_error, "tf.op") is subclass_error


def test_operator_errors_stay_runtime_errors_for_torch_code():
    # torch code catches RuntimeError from `a + b`; TF code catches InvalidArgumentError.
    with pytest.raises(RuntimeError) as info:
        torch.ones(2, 3) + torch.ones(4, 3)
    assert isinstance(info.value, tf.errors.InvalidArgumentError)
    assert type(info.value).__name__ == "InvalidArgumentError" and "__add__" in str(info.value)
