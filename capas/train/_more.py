"""More of `tf.train`: ExponentialMovingAverage, CheckpointOptions, get_checkpoint_state,
checkpoints_iterator, Coordinator and ClusterSpec."""

import contextlib
import os
import sys
import threading
import time

import torch

from capas.io import _tfrecord
from capas.variables import Variable

from capas.train.checkpoint_management import _read_state, latest_checkpoint


class ExponentialMovingAverage:
    """Shadow copies of variables that follow their moving average (`tf.train.ExponentialMovingAverage`).

    `apply(var_list)` creates a shadow per variable (starting at the variable's value) on the
    first call and, on every call, updates `shadow -= (1 - decay) * (shadow - variable)`. With
    `num_updates`, the decay used is `min(decay, (1 + num_updates) / (10 + num_updates))`.

    Example:

    >>> import capas as tf
    >>> v = tf.Variable(1.0, name="v")
    >>> ema = tf.train.ExponentialMovingAverage(0.9)
    >>> ema.apply([v])
    >>> _ = v.assign(2.0)
    >>> ema.apply([v])
    >>> round(float(ema.average(v)), 4), ema.average_name(v)
    (1.1, 'v/ExponentialMovingAverage')
    """

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}

    @property
    def name(self):
        return self._name

    def _effective_decay(self):
        decay = float(self._decay() if callable(self._decay) else self._decay)
        if self._num_updates is not None:
            n = float(self._num_updates.numpy() if hasattr(self._num_updates, "numpy") else self._num_updates)
            decay = min(decay, (1.0 + n) / (10.0 + n))
        return decay

    def apply(self, var_list=None):
        """Create the shadows (first time) and move each toward its variable's value."""

        var_list = list(var_list or [])
        for var in var_list:
            dtype = getattr(var, "dtype", None)
            if dtype is not None and isinstance(dtype, torch.dtype) and not dtype.is_floating_point:
                raise TypeError(
                    f"ExponentialMovingAverage.apply: The variables must be half, float, or double: "
                    f"{getattr(var, 'name', var)} is {dtype}; cast it or average a float copy."
                )
            if id(var) not in self._averages:
                value = torch.as_tensor(var.detach() if hasattr(var, "detach") else var).clone()
                self._averages[id(var)] = (var, Variable(value, name=self.average_name(var), trainable=False))
        decay = self._effective_decay()
        with torch.no_grad():
            for var in var_list:
                shadow = self._averages[id(var)][1]
                value = torch.as_tensor(var.detach() if hasattr(var, "detach") else var).to(shadow.dtype)
                shadow.assign(shadow - (1.0 - decay) * (shadow - value))

    def average(self, var):
        """The shadow variable of `var` (None when `apply` never saw it)."""
        entry = self._averages.get(id(var))
        return None if entry is None else entry[1]

    def average_name(self, var):
        """The name of `var`'s shadow: `<var name without :0>/<this name>`."""
        name = getattr(var, "name", None)
        if name is None:
            raise TypeError(f"ExponentialMovingAverage.average_name: expected a variable, got {type(var).__name__}.")
        return name.split(":")[0] + "/" + self._name

    def variables_to_restore(self, moving_avg_variables=None):
        """`{average_name(v): v}` for the averaged variables (TF adds every global variable; eager
        TF has none)."""
        variables = moving_avg_variables
        if variables is None:
            variables = [var for var, _ in self._averages.values()]
        out = {}
        for var in variables:
            key = self.average_name(var) if id(var) in self._averages or moving_avg_variables is not None else None
            out[key or var.name.split(":")[0]] = var
        return out


class CheckpointOptions:
    """Options for `Checkpoint.save/write/restore` (`tf.train.CheckpointOptions`); recorded, and
    unused by capas's synchronous, local writer.

    Example:

    >>> import capas as tf
    >>> tf.train.CheckpointOptions(experimental_io_device="/job:localhost").experimental_io_device
    '/job:localhost'
    """

    def __init__(
        self,
        experimental_io_device=None,
        experimental_enable_async_checkpoint=False,
        experimental_write_callbacks=None,
        enable_async=False,
        experimental_sharding_callback=None,
        experimental_skip_slot_variables=False,
    ):
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint
        self.experimental_write_callbacks = experimental_write_callbacks
        self.enable_async = enable_async or experimental_enable_async_checkpoint
        self.experimental_sharding_callback = experimental_sharding_callback
        self.experimental_skip_slot_variables = experimental_skip_slot_variables


class CheckpointState:
    """What the folder's `checkpoint` file says (TF returns the proto of that name)."""

    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)

    def __repr__(self):
        return (
            f"CheckpointState(model_checkpoint_path={self.model_checkpoint_path!r}, "
            f"all_model_checkpoint_paths={self.all_model_checkpoint_paths!r})"
        )


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The `checkpoint` file of `checkpoint_dir` as a `CheckpointState`, or None when absent.

    Example:

    >>> import tempfile
    >>> import capas as tf
    >>> tf.train.get_checkpoint_state(tempfile.mkdtemp()) is None
    True
    """
    directory = os.fspath(checkpoint_dir)
    if latest_filename not in (None, "checkpoint"):
        raise ValueError("get_checkpoint_state: capas keeps the state in the file named 'checkpoint'.")
    latest, every = _read_state(directory)
    if latest is None:
        return None
    if not every:
        every = [latest]
    return CheckpointState(latest, every)


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yield each new checkpoint of `checkpoint_dir` as it appears (`tf.train.checkpoints_iterator`).

    Waits for the next one; after `timeout` seconds without one it calls `timeout_fn` (ends
    when that returns True, or there is none) and otherwise goes on waiting.

    Example:

    >>> import capas as tf, os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = tf.train.Checkpoint(v=tf.Variable(1.0)).save(os.path.join(folder, "c"))
    >>> [os.path.basename(p) for p in tf.train.checkpoints_iterator(folder, timeout=1)]
    ['c-1']
    """
    last = None
    while True:
        deadline = None if timeout is None else time.time() + timeout
        path = None
        while True:
            path = latest_checkpoint(checkpoint_dir)
            if path is not None and path != last:
                break
            if deadline is not None and time.time() + 1 > deadline:
                path = None
                break
            time.sleep(1 if deadline is None else min(1.0, max(0.0, deadline - time.time())))
        if path is None:
            if timeout_fn is None or timeout_fn():
                return
            continue
        start = time.time()
        last = path
        yield path
        wait = min_interval_secs - (time.time() - start)
        if wait > 0:
            time.sleep(wait)


class Coordinator:
    """Stop a set of threads together (`tf.train.Coordinator`).

    Example:

    >>> import capas as tf, threading
    >>> coord = tf.train.Coordinator()
    >>> t = threading.Thread(target=lambda: coord.wait_for_stop())
    >>> t.start(); coord.request_stop(); coord.join([t])
    >>> coord.should_stop()
    True
    """

    def __init__(self, clean_stop_exception_types=None):
        self._clean = tuple(clean_stop_exception_types or ())
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._exc_info = None
        self._threads = set()
        self._joined = False

    def should_stop(self):
        return self._stop.is_set()

    def request_stop(self, ex=None):
        """Ask every thread to stop; `ex` (an exception or exc_info) is raised again by `join`."""
        with self._lock:
            if ex is not None and self._exc_info is None and not self._joined:
                if isinstance(ex, tuple):
                    info = ex
                else:
                    info = (type(ex), ex, ex.__traceback__)
                if not (self._clean and issubclass(info[0], self._clean)):
                    self._exc_info = info
            self._stop.set()

    def clear_stop(self):
        with self._lock:
            self._joined = False
            self._exc_info = None
            self._stop.clear()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """A `with` block that turns an exception into `request_stop(ex)`."""
        try:
            yield
        except Exception:  # noqa: BLE001 - handed to join()
            self.request_stop(sys.exc_info())

    def wait_for_stop(self, timeout=None):
        return self._stop.wait(timeout)

    def register_thread(self, thread):
        with self._lock:
            self._threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Wait for the threads to end after a stop request; raise the exception given to `request_stop`."""
        threads = set(threads or ()) | self._threads
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(0.1):
            pass
        deadline = time.time() + stop_grace_period_secs
        for t in threads:
            t.join(max(0.0, deadline - time.time()))
        alive = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._threads = set()
            if self._exc_info is not None:
                raise self._exc_info[1].with_traceback(self._exc_info[2])
        if alive and not ignore_live_threads:
            raise RuntimeError(
                f"Coordinator.join: threads still running after {stop_grace_period_secs}s: {alive}; make them "
                "check coord.should_stop(), or pass ignore_live_threads=True."
            )

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        with self._lock:
            if self._exc_info is not None:
                raise self._exc_info[1].with_traceback(self._exc_info[2])


class ClusterSpec:
    """Jobs and their task addresses (`tf.train.ClusterSpec`).

    Example:

    >>> import capas as tf
    >>> c = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": {3: "p:2222"}})
    >>> c.jobs, c.num_tasks("worker"), c.task_address("ps", 3), c.task_indices("ps")
    (['worker', 'ps'], 2, 'p:2222', [3])
    """

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            cluster = cluster.as_dict()
        elif type(cluster).__name__ == "ClusterDef":
            cluster = {job.name: dict(job.tasks) for job in cluster.job}
        if not isinstance(cluster, dict):
            raise TypeError(
                f"ClusterSpec: expected a dict of job name -> list or dict of addresses, got {type(cluster).__name__}."
            )
        self._jobs = {}
        for job, tasks in cluster.items():
            if isinstance(tasks, (list, tuple)):
                tasks = dict(enumerate(tasks))
            elif not isinstance(tasks, dict):
                raise TypeError(f"ClusterSpec: the tasks of job {job!r} must be a list or a dict, got {tasks!r}.")
            for index in tasks:
                if not isinstance(index, int):
                    raise TypeError(f"ClusterSpec: task indices must be ints, got {index!r} in job {job!r}.")
            self._jobs[str(job)] = {int(i): str(a) for i, a in tasks.items()}

    def __bool__(self):
        return bool(self._jobs)

    def __eq__(self, other):
        return isinstance(other, ClusterSpec) and self._jobs == other._jobs

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return f"ClusterSpec({self.as_dict()})"

    @property
    def jobs(self):
        return list(self._jobs)

    def _job(self, job_name):
        if job_name not in self._jobs:
            raise ValueError(f"No such job in cluster: {job_name!r}")
        return self._jobs[job_name]

    def num_tasks(self, job_name):
        return len(self._job(job_name))

    def task_indices(self, job_name):
        return sorted(self._job(job_name))

    def task_address(self, job_name, task_index):
        tasks = self._job(job_name)
        if task_index not in tasks:
            raise ValueError(f"No task with index {task_index!r} in job {job_name!r}")
        return tasks[task_index]

    def job_tasks(self, job_name):
        """The addresses indexed by task (None where a task index is missing)."""
        tasks = self._job(job_name)
        out = [None] * (max(tasks) + 1 if tasks else 0)
        for i, address in tasks.items():
            out[i] = address
        return out

    def as_dict(self):
        """Each job as a list when its indices are 0..n-1, else as a dict."""
        out = {}
        for job in self.jobs:
            tasks = self._jobs[job]
            if sorted(tasks) == list(range(len(tasks))):
                out[job] = [tasks[i] for i in range(len(tasks))]
            else:
                out[job] = dict(tasks)
        return out


_protos = {}
CLUSTER_PROTO_NAMES = ("JobDef", "ClusterDef", "ServerDef")


def cluster_proto_class(name):
    """`tf.train.JobDef`, `ClusterDef`, `ServerDef`: TF's protobuf messages (tensorflow_server.proto and
    cluster.proto field numbers), built with the optional `protobuf` package on first use.
    `ServerDef.default_session_config` and `cluster_device_filters` are not built (protobuf keeps
    them as unknown fields when parsing TF's bytes)."""
    if not _protos:
        descriptor_pb2 = _tfrecord._require("google.protobuf.descriptor_pb2")
        descriptor_pool = _tfrecord._require("google.protobuf.descriptor_pool")
        message_factory = _tfrecord._require("google.protobuf.message_factory")
        F = descriptor_pb2.FieldDescriptorProto
        f = descriptor_pb2.FileDescriptorProto(
            name="capas/tensorflow_cluster.proto", package="tensorflow", syntax="proto3"
        )
        job = f.message_type.add(name="JobDef")
        job.field.add(name="name", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        entry = job.nested_type.add(name="TasksEntry")
        entry.options.map_entry = True
        entry.field.add(name="key", number=1, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
        entry.field.add(name="value", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        job.field.add(
            name="tasks",
            number=2,
            type=F.TYPE_MESSAGE,
            label=F.LABEL_REPEATED,
            type_name=".tensorflow.JobDef.TasksEntry",
        )
        cluster = f.message_type.add(name="ClusterDef")
        cluster.field.add(
            name="job", number=1, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED, type_name=".tensorflow.JobDef"
        )
        server = f.message_type.add(name="ServerDef")
        server.field.add(
            name="cluster", number=1, type=F.TYPE_MESSAGE, label=F.LABEL_OPTIONAL, type_name=".tensorflow.ClusterDef"
        )
        server.field.add(name="job_name", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        server.field.add(name="task_index", number=3, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
        server.field.add(name="protocol", number=5, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
        server.field.add(name="port", number=6, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
        server.field.add(name="replica", number=8, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
        pool = descriptor_pool.DescriptorPool()
        pool.Add(f)
        for n in CLUSTER_PROTO_NAMES:
            _protos[n] = message_factory.GetMessageClass(pool.FindMessageTypeByName(f"tensorflow.{n}"))
    return _protos[name]


def _as_cluster_def(self):
    """This cluster as a `tf.train.ClusterDef` (jobs sorted by name, as TF)."""
    out = cluster_proto_class("ClusterDef")()
    for job in sorted(self._jobs):
        j = out.job.add(name=job)
        for index, address in self._jobs[job].items():
            j.tasks[index] = address
    return out


ClusterSpec.as_cluster_def = _as_cluster_def
