"""`tf.distribute.ReduceOp`: how `Strategy.reduce` combines the replicas' values."""

import enum


class ReduceOp(enum.Enum):
    """The reduction of `Strategy.reduce`: `SUM` or `MEAN` over the replicas.

    Example:

    >>> import capas as tf
    >>> tf.distribute.ReduceOp.SUM.value
    'SUM'
    """

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation):
        """The ReduceOp for a variable aggregation name ('sum', 'mean')."""
        name = getattr(aggregation, "name", aggregation)
        name = str(name).upper()
        if name in ("SUM",):
            return ReduceOp.SUM
        if name in ("MEAN", "ONLY_FIRST_REPLICA"):
            return ReduceOp.MEAN
        raise ValueError(f"Could not convert aggregation {aggregation!r} to a ReduceOp: expected 'sum' or 'mean'.")
