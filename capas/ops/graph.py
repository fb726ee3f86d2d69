"""`tf.Graph` and `tf.Operation`: TF 1 graph objects, which capas does not have.

They exist so that `isinstance(x, tf.Operation)` is simply False; building one raises
with the TF 2 replacement.

>>> import capas as tf
>>> isinstance(tf.constant(1), tf.Operation)
False
"""


class Graph:
    """TF's dataflow graph: not in capas (TF 2 code runs eagerly; `tf.function` traces)."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "tf.Graph: capas has no TF 1 graphs. Write TF 2 code: ops run eagerly, and "
            "@tf.function traces a function into a graph of its own (docs/function.md). "
            "Use f.get_concrete_function(...) where code reached into a graph."
        )


class Operation:
    """A node of a TF graph: not in capas (ops run eagerly and return tensors)."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "tf.Operation: capas has no graph operations; every op runs eagerly and returns tensors "
            "(TF 2 ops such as tf.group and tf.no_op return None eagerly, as in TF)."
        )
