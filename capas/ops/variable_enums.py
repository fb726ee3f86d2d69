"""`tf.VariableAggregation`, `tf.VariableSynchronization`, `tf.AggregationMethod`: TF's enums.

`tf.Variable` accepts `aggregation=` and `synchronization=` (and ignores them: capas's
data parallelism averages gradients in `torch.distributed`), so code that names these
enums runs unchanged.

>>> import capas as tf
>>> tf.VariableAggregation.MEAN.value, tf.VariableSynchronization.ON_READ.name
(2, 'ON_READ')
"""

import enum


class VariableAggregation(enum.Enum):
    """How a distributed variable's replica updates combine (TF's values)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronized (TF's values)."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class AggregationMethod:
    """How `tf.gradients` sums gradients in a graph (accepted; autograd sums them one way)."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


def is_symbolic_tensor(tensor):
    """False: capas tensors always hold values (TF's True is for graph tensors; Keras inputs are KerasTensors)."""
    return False


def no_gradient(op_type):
    """Accepted: capas registers gradients per op in autograd, not by TF op-type name (see docs/differences.md)."""
    if not isinstance(op_type, str):
        raise TypeError(f"tf.no_gradient: op_type must be the op's type name (a string); got {op_type!r}.")
