"""The tf.distribute API in one process (one replica), against values recorded from TensorFlow."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

import capas as tf
from capas.distribute import input as dist_input

GOLDENS = json.loads((Path(__file__).parents[1] / "goldens" / "distribute" / "goldens.json").read_text())


@pytest.fixture(scope="module")
def strategy():
    return tf.distribute.MirroredStrategy()


def test_replicas_and_scopes(strategy):
    assert strategy.num_replicas_in_sync == GOLDENS["num_replicas_in_sync"]
    assert tf.distribute.has_strategy() is GOLDENS["has_strategy_outside"]
    with strategy.scope():
        assert tf.distribute.has_strategy() is GOLDENS["has_strategy_inside"]
        assert tf.distribute.in_cross_replica_context() is GOLDENS["in_cross_replica_inside"]
        assert (tf.distribute.get_strategy() is strategy) is GOLDENS["get_strategy_is_strategy"]
        assert strategy.run(tf.distribute.in_cross_replica_context) is GOLDENS["in_cross_replica_in_run"]
    assert tf.distribute.get_strategy().num_replicas_in_sync == GOLDENS["default_num_replicas"]
    assert tf.distribute.OneDeviceStrategy("/cpu:0").num_replicas_in_sync == GOLDENS["one_device_num_replicas"]
    assert len(strategy.experimental_local_results(tf.constant(1.0))) == GOLDENS["local_results_len"]
    assert [tf.distribute.ReduceOp.SUM.value, tf.distribute.ReduceOp.MEAN.value] == GOLDENS["reduce_op_values"]


def test_scope_entered_twice_and_mixed(strategy):
    with strategy.scope():
        with strategy.scope():  # the same strategy again is fine, as in TF
            nested_ok = True
    assert nested_ok is GOLDENS["nested_same_scope_ok"]
    expected = GOLDENS["mixing_error"]
    assert expected["type"] == "RuntimeError"
    with pytest.raises(RuntimeError, match="Mixing different tf.distribute.Strategy objects"):
        with strategy.scope():
            with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
                pass


@pytest.mark.parametrize("key", sorted(GOLDENS["reduce"]))
def test_reduce(strategy, key):
    values = tf.constant(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "float32"))
    op, axis = key.split("_")
    op = tf.distribute.ReduceOp.SUM if op == "sum" else tf.distribute.ReduceOp.MEAN
    if axis == "string":
        result = strategy.reduce("SUM", values, axis=None)
    else:
        result = strategy.reduce(op, values, axis=None if axis == "none" else int(axis))
    np.testing.assert_allclose(result.numpy(), GOLDENS["reduce"][key])


def test_compute_average_loss_and_regularization(strategy):
    per_example = tf.constant([0.5, 1.5, 2.0, 4.0])
    expected = GOLDENS["compute_average_loss"]
    with strategy.scope():
        assert float(tf.nn.compute_average_loss(per_example, global_batch_size=8)) == expected["global_8"]
        weighted = tf.nn.compute_average_loss(
            per_example, sample_weight=tf.constant([1.0, 0.0, 2.0, 1.0]), global_batch_size=4
        )
        assert float(weighted) == expected["weighted"]
        assert float(strategy.run(lambda: tf.nn.compute_average_loss(per_example))) == expected["default_in_run"]
        assert (
            float(strategy.run(lambda: tf.nn.scale_regularization_loss(tf.constant([1.0, 2.0]))))
            == GOLDENS["scale_regularization_loss_in_run"]
        )
        with pytest.raises(RuntimeError, match="cross replica context"):
            tf.nn.compute_average_loss(per_example)
    assert GOLDENS["compute_average_loss_cross_replica_error"]["type"] == "RuntimeError"
    with pytest.raises(ValueError, match="Expected a tensor with at least rank 1"):
        tf.nn.compute_average_loss(tf.constant(1.0))


def test_distributed_datasets(strategy):
    dataset = tf.data.Dataset.range(10).batch(4)
    batches = [b.numpy().tolist() for b in strategy.experimental_distribute_dataset(dataset)]
    assert batches == GOLDENS["distributed_dataset_batches"]

    def dataset_fn(ctx):
        return tf.data.Dataset.range(6).batch(ctx.get_per_replica_batch_size(4))

    batches = [b.numpy().tolist() for b in strategy.distribute_datasets_from_function(dataset_fn)]
    assert batches == GOLDENS["datasets_from_function_batches"]
    ctx = tf.distribute.InputContext(num_input_pipelines=2, input_pipeline_id=1, num_replicas_in_sync=2)
    assert ctx.get_per_replica_batch_size(64) == GOLDENS["input_context"]["per_replica_64"]
    with pytest.raises(ValueError, match="is not divisible by `num_replicas_in_sync` 2"):
        ctx.get_per_replica_batch_size(5)


def test_split_of_a_global_batch_is_disjoint_and_complete():
    batch = (torch.arange(10), {"a": torch.arange(10) * 2})
    parts = [dist_input.split_batch(batch, r, 3) for r in range(3)]
    rows = torch.cat([p[0][0] for p in parts]).tolist()
    assert rows == list(range(10))
    assert [len(p[0][0]) for p in parts] == [3, 3, 4]
    # the weights make the mean over ranks of the local means the global mean
    losses = [p[0][0].float().mean() * p[1] for p in parts]
    assert float(sum(losses) / 3) == pytest.approx(4.5)
    with pytest.raises(ValueError, match="cannot be split over 3 replicas"):
        dist_input.split_batch(torch.arange(2), 0, 3)


def test_cluster_resolver_and_options():
    resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
    assert (resolver.task_type, resolver.task_id, resolver.num_workers()) == ("worker", 0, 1)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(
        communication_options=tf.distribute.experimental.CommunicationOptions(timeout_seconds=30)
    )
    assert strategy.cluster_resolver.task_type == "worker"
    assert strategy.extended.should_checkpoint
