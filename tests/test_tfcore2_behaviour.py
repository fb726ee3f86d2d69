"""tf core wave 2 behaviour that TF cannot record for us: capas's own fallbacks and switches,
checked against the real thing they map to (torch settings, unittest runs, tape gradients)."""

import io
import unittest
import warnings

import numpy as np
import pytest
import torch

import capas as tf


def test_vectorized_map_falls_back_to_a_loop_with_a_warning():
    def fn(row):
        if float(tf.reduce_sum(row)) > 3.0:  # a value read into Python: vmap refuses it
            return row * 2.0
        return row

    x = tf.constant([[1.0, 1.0], [2.0, 3.0]])
    with pytest.warns(UserWarning, match="could not be vectorized"):
        out = tf.vectorized_map(fn, x)
    np.testing.assert_array_equal(out.numpy(), [[1.0, 1.0], [4.0, 6.0]])


def test_vectorized_map_without_fallback_raises_naming_the_option():
    def fn(row):
        return row * 2.0 if float(tf.reduce_sum(row)) > 3.0 else row

    with pytest.raises(ValueError, match="fallback_to_while_loop=True"):
        tf.vectorized_map(fn, tf.constant([[1.0, 1.0]]), fallback_to_while_loop=False)


def test_vectorized_map_matches_map_fn():
    x = tf.random.normal([5, 3, 3], seed=1)

    def fn(m):
        return tf.matmul(m, m, transpose_b=True) + tf.reduce_max(m)

    np.testing.assert_allclose(tf.vectorized_map(fn, x).numpy(), tf.map_fn(fn, x).numpy(), rtol=1e-6)


def test_enable_check_numerics_stops_at_the_first_nan_until_disabled():
    tf.debugging.enable_check_numerics()
    try:
        with pytest.raises(tf.errors.InvalidArgumentError, match='op "log"'):
            tf.math.log(tf.constant([1.0, -1.0]))
        tf.math.log(tf.constant([2, 3]).numpy().astype("float32"))  # finite: passes
    finally:
        tf.debugging.disable_check_numerics()
    assert np.isnan(tf.math.log(tf.constant([-1.0])).numpy()[0])


def test_forward_accumulator_jvp_equals_the_tape_jacobian_times_the_tangent():
    w = tf.Variable(tf.random.normal([3, 2], seed=3))
    x = tf.random.normal([4, 3], seed=4)
    tangent = tf.random.normal([3, 2], seed=5)
    with tf.autodiff.ForwardAccumulator(primals=w, tangents=tangent) as acc:
        y = tf.nn.tanh(tf.matmul(x, w))
    jacobian = torch.autograd.functional.jacobian(lambda v: torch.tanh(x @ v), w.detach().clone())
    expected = (jacobian.reshape(8, 6) @ tangent.reshape(6)).reshape(4, 2)
    np.testing.assert_allclose(acc.jvp(y).numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    assert acc.jvp(tf.constant(1.0)) is None
    assert float(acc.jvp(tf.constant(1.0), unconnected_gradients=tf.UnconnectedGradients.ZERO)) == 0.0


def test_test_case_failures_are_unittest_failures():
    class Sample(tf.test.TestCase):
        def test_close(self):
            self.assertAllClose(tf.constant([1.0]), [1.0])

        def test_far(self):
            self.assertAllClose(tf.constant([1.0]), [1.1])

        def test_temp_dir_is_a_directory(self):
            import os

            self.assertTrue(os.path.isdir(self.get_temp_dir()))

    suite = unittest.defaultTestLoader.loadTestsFromTestCase(Sample)
    result = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
    assert result.testsRun == 3
    assert [t.id().rsplit(".", 1)[-1] for t, _ in result.failures] == ["test_far"]
    assert not result.errors


def test_config_threading_and_determinism_map_to_torch():
    threads = torch.get_num_threads()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        assert torch.get_num_threads() == 1
        assert tf.config.threading.get_intra_op_parallelism_threads() == 1
    finally:
        tf.config.threading.set_intra_op_parallelism_threads(0)
        torch.set_num_threads(threads)
    tf.config.experimental.enable_op_determinism()
    try:
        assert torch.are_deterministic_algorithms_enabled()
    finally:
        tf.config.experimental.disable_op_determinism()
    assert not torch.are_deterministic_algorithms_enabled()


def test_config_visible_devices_round_trip_keeps_the_cpu():
    cpu = tf.config.list_physical_devices("CPU")
    before = tf.config.get_visible_devices()
    try:
        tf.config.set_visible_devices([], "GPU")
        assert tf.config.get_visible_devices("GPU") == []
        assert tf.config.get_visible_devices("CPU") == cpu
    finally:
        tf.config.set_visible_devices(before)


def test_tensor_float_32_switch_sets_torch_flags():
    previous = torch.backends.cuda.matmul.allow_tf32
    try:
        tf.config.experimental.enable_tensor_float_32_execution(True)
        assert torch.backends.cuda.matmul.allow_tf32 and tf.config.experimental.tensor_float_32_execution_enabled()
        tf.config.experimental.enable_tensor_float_32_execution(False)
        assert not tf.config.experimental.tensor_float_32_execution_enabled()
    finally:
        torch.backends.cuda.matmul.allow_tf32 = previous


def test_unavailable_features_say_what_to_do_instead():
    with pytest.raises(NotImplementedError, match="enable_check_numerics"):
        tf.debugging.experimental.enable_dump_debug_info("/tmp/dump")
    with pytest.raises(NotImplementedError, match="tf.function"):
        tf.autograph.to_graph(lambda x: x)
    with pytest.raises(NotImplementedError, match="set_per_process_memory_fraction"):
        tf.config.set_logical_device_configuration(tf.config.list_physical_devices("CPU")[0], [])


def test_nest_pack_keeps_defaultdict_and_namedtuple_types():
    import collections

    d = collections.defaultdict(list, {"b": 1, "a": 2})
    packed = tf.nest.pack_sequence_as(d, [10, 20])
    assert isinstance(packed, collections.defaultdict) and packed.default_factory is list
    assert list(packed.items()) == [("b", 20), ("a", 10)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tf.nest.map_structure(lambda v: v + 1, {"x": (1, [2])}) == {"x": (2, [3])}


def test_graph_and_operation_are_clear_errors_and_false_in_isinstance():
    assert not isinstance(tf.constant(1), tf.Operation)
    with pytest.raises(NotImplementedError, match="tf.function"):
        tf.Graph()
    with pytest.raises(NotImplementedError, match="eagerly"):
        tf.Operation()
