"""Record tf.distribute behaviour in one process (CPU, one replica) from real TensorFlow.

Run: /work/tfvenv/bin/python tests/goldens/distribute/record.py  (writes goldens.json next to it)
"""

import json
import os

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def error_of(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001
        return {"type": type(exc).__name__, "message": str(exc).splitlines()[0]}
    return None


out = {}
strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
out["num_replicas_in_sync"] = strategy.num_replicas_in_sync
out["has_strategy_outside"] = tf.distribute.has_strategy()
with strategy.scope():
    out["has_strategy_inside"] = tf.distribute.has_strategy()
    out["in_cross_replica_inside"] = tf.distribute.in_cross_replica_context()
    out["get_strategy_is_strategy"] = tf.distribute.get_strategy() is strategy
    out["in_cross_replica_in_run"] = bool(strategy.run(lambda: tf.distribute.in_cross_replica_context()))
out["default_num_replicas"] = tf.distribute.get_strategy().num_replicas_in_sync

values = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "float32")
out["reduce"] = {
    "sum_none": strategy.reduce(tf.distribute.ReduceOp.SUM, tf.constant(values), axis=None).numpy().tolist(),
    "mean_none": strategy.reduce(tf.distribute.ReduceOp.MEAN, tf.constant(values), axis=None).numpy().tolist(),
    "sum_0": strategy.reduce(tf.distribute.ReduceOp.SUM, tf.constant(values), axis=0).numpy().tolist(),
    "mean_0": strategy.reduce(tf.distribute.ReduceOp.MEAN, tf.constant(values), axis=0).numpy().tolist(),
    "mean_1": strategy.reduce(tf.distribute.ReduceOp.MEAN, tf.constant(values), axis=1).numpy().tolist(),
    "sum_string": strategy.reduce("SUM", tf.constant(values), axis=None).numpy().tolist(),
}

per_example = np.array([0.5, 1.5, 2.0, 4.0], "float32")
with strategy.scope():
    out["compute_average_loss"] = {
        "global_8": float(tf.nn.compute_average_loss(tf.constant(per_example), global_batch_size=8)),
        "weighted": float(
            tf.nn.compute_average_loss(
                tf.constant(per_example), sample_weight=tf.constant([1.0, 0.0, 2.0, 1.0]), global_batch_size=4
            )
        ),
    }
    out["compute_average_loss"]["default_in_run"] = float(
        strategy.run(lambda: tf.nn.compute_average_loss(tf.constant(per_example)))
    )
    out["scale_regularization_loss_in_run"] = float(
        strategy.run(lambda: tf.nn.scale_regularization_loss(tf.constant([1.0, 2.0])))
    )
    out["compute_average_loss_cross_replica_error"] = error_of(
        lambda: tf.nn.compute_average_loss(tf.constant(per_example))
    )
out["compute_average_loss_scalar_error"] = error_of(lambda: tf.nn.compute_average_loss(tf.constant(1.0)))

dataset = tf.data.Dataset.range(10).batch(4)
out["distributed_dataset_batches"] = [b.numpy().tolist() for b in strategy.experimental_distribute_dataset(dataset)]


def dataset_fn(ctx):
    return tf.data.Dataset.range(6).batch(ctx.get_per_replica_batch_size(4))


out["datasets_from_function_batches"] = [
    b.numpy().tolist() for b in strategy.distribute_datasets_from_function(dataset_fn)
]
ctx = tf.distribute.InputContext(num_input_pipelines=2, input_pipeline_id=1, num_replicas_in_sync=2)
out["input_context"] = {
    "per_replica_64": ctx.get_per_replica_batch_size(64),
    "error_odd": error_of(lambda: ctx.get_per_replica_batch_size(5)),
}
other = tf.distribute.OneDeviceStrategy("/cpu:0")
out["one_device_num_replicas"] = other.num_replicas_in_sync


def mixed():
    with strategy.scope():
        with other.scope():
            pass


out["mixing_error"] = error_of(mixed)


def nested_same():
    with strategy.scope():
        with strategy.scope():
            return True


out["nested_same_scope_ok"] = error_of(nested_same) is None
out["local_results_len"] = len(strategy.experimental_local_results(tf.constant(1.0)))
out["reduce_op_values"] = [tf.distribute.ReduceOp.SUM.value, tf.distribute.ReduceOp.MEAN.value]

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
print(json.dumps(out, indent=1, sort_keys=True))
