"""tf.train additions (tfdata2) run under real TF (record.py) and capas (tests/train/test_tftrain_goldens.py).

Each case is code run with `tf`, `np` and `tmp` in scope that sets `value` (a structure of
numbers, strings and tensors); paths under `tmp` are written as `<tmp>`.
"""

import numpy as np

CASES = {
    "ema_two_steps": (
        "v = tf.Variable([1.0, -2.0], name='v')\n"
        "w = tf.Variable(3.0, name='w')\n"
        "ema = tf.train.ExponentialMovingAverage(0.9)\n"
        "ema.apply([v, w])\n"
        "out = [ema.average(v).numpy().tolist(), float(ema.average(w).numpy())]\n"
        "v.assign([2.0, 0.0]); w.assign(5.0)\n"
        "ema.apply([v, w])\n"
        "out += [ema.average(v).numpy().tolist(), float(ema.average(w).numpy())]\n"
        "v.assign([4.0, 1.0])\n"
        "ema.apply([v])\n"
        "out += [ema.average(v).numpy().tolist(), float(ema.average(w).numpy())]\n"
        "value = (out, ema.average_name(v), ema.average_name(w), ema.name)"
    ),
    "ema_num_updates": (
        "v = tf.Variable(0.0, name='x')\n"
        "ema = tf.train.ExponentialMovingAverage(0.99, num_updates=3, name='avg')\n"
        "ema.apply([v]); v.assign(10.0); ema.apply([v])\n"
        "value = (float(ema.average(v).numpy()), ema.average_name(v))"
    ),
    "ema_average_of_unknown": (
        "v = tf.Variable(0.0, name='x')\nvalue = tf.train.ExponentialMovingAverage(0.5).average(v) is None"
    ),
    "ema_variables_to_restore": (
        "v = tf.Variable(0.0, name='x')\n"
        "ema = tf.train.ExponentialMovingAverage(0.5)\n"
        "ema.apply([v])\n"
        "value = sorted(ema.variables_to_restore([v]))"
    ),
    "ema_int_variable": ("v = tf.Variable(1, name='i')\ntf.train.ExponentialMovingAverage(0.5).apply([v])\nvalue = 0"),
    "checkpoint_state": (
        "ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))\n"
        "m = tf.train.CheckpointManager(ckpt, tmp, max_to_keep=2)\n"
        "m.save(); m.save(); m.save()\n"
        "s = tf.train.get_checkpoint_state(tmp)\n"
        "value = (s.model_checkpoint_path.replace(tmp, '<tmp>'),"
        " [p.replace(tmp, '<tmp>') for p in s.all_model_checkpoint_paths])"
    ),
    "checkpoint_state_missing": "value = tf.train.get_checkpoint_state(tmp) is None",
    "checkpoints_iterator": (
        "ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))\n"
        "ckpt.save(tmp + '/a')\n"
        "value = [p.replace(tmp, '<tmp>') for p in tf.train.checkpoints_iterator(tmp, timeout=1)]"
    ),
    "checkpoint_options": (
        "o = tf.train.CheckpointOptions(experimental_io_device='/job:localhost')\n"
        "value = (o.experimental_io_device, o.experimental_enable_async_checkpoint)"
    ),
    "cluster_spec": (
        "c = tf.train.ClusterSpec({'worker': ['w0:1', 'w1:1'], 'ps': {1: 'p1:2', 3: 'p3:2'}})\n"
        "value = (c.jobs, c.num_tasks('worker'), c.num_tasks('ps'), c.task_indices('ps'), c.task_address('ps', 3),\n"
        "         c.job_tasks('ps'), c.as_dict()['worker'], sorted(c.as_dict()['ps'].items()), bool(c),\n"
        "         bool(tf.train.ClusterSpec({})), c == tf.train.ClusterSpec(c.as_dict()))"
    ),
    "cluster_spec_unknown_job": "value = tf.train.ClusterSpec({'a': ['x']}).num_tasks('b')",
    "cluster_spec_bad_index": "value = tf.train.ClusterSpec({'a': ['x']}).task_address('a', 4)",
    "cluster_def": (
        "c = tf.train.ClusterSpec({'worker': ['a:1', 'b:1'], 'ps': {1: 'p:2'}})\n"
        "d = c.as_cluster_def()\n"
        "s = tf.train.ServerDef(cluster=d, job_name='worker', task_index=1, protocol='grpc', port=5)\n"
        "back = tf.train.ClusterSpec(tf.train.ClusterDef.FromString(d.SerializeToString()))\n"
        "value = ([[j.name, sorted(j.tasks.items())] for j in d.job], s.job_name, s.task_index, s.port,\n"
        "         back.as_dict()['worker'], sorted(back.as_dict()['ps'].items()),\n"
        "         sorted(tf.train.JobDef(name='x', tasks={0: 'h:1'}).tasks.items()))"
    ),
    "server_def_bytes": (
        "d = tf.train.ClusterSpec({'worker': ['a:1'], 'chief': ['c:0']}).as_cluster_def()\n"
        "s = tf.train.ServerDef(cluster=d, job_name='worker', task_index=0, protocol='grpc', port=7)\n"
        "value = s.SerializeToString().decode('latin-1')"
    ),
    "coordinator": (
        "import threading\n"
        "c = tf.train.Coordinator()\n"
        "def work():\n"
        "    with c.stop_on_exception():\n"
        "        raise ValueError('boom')\n"
        "t = threading.Thread(target=work); t.start()\n"
        "try:\n"
        "    c.join([t])\n"
        "    caught = None\n"
        "except ValueError as e:\n"
        "    caught = str(e)\n"
        "value = (caught, c.should_stop(), c.joined)"
    ),
}


def encode(value):
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def run_case(tf, code, tmp):
    scope = {"tf": tf, "np": np, "tmp": tmp}
    exec(code, scope)  # noqa: S102 - the cases are this file's own code
    return {"value": encode(scope["value"])}
