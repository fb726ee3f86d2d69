"""`tf.data.experimental.cardinality` and `assert_cardinality`."""

import capas.data.dataset as _ds


def cardinality(dataset):
    """`dataset.cardinality()`: the number of elements, or INFINITE (-1) / UNKNOWN (-2).

    Example:

    >>> import capas as tf
    >>> int(tf.data.experimental.cardinality(tf.data.Dataset.range(3).repeat()))
    -1
    """
    return dataset.cardinality()


def assert_cardinality(expected_cardinality):
    """A transformation (for `Dataset.apply`) that declares the cardinality and checks it while iterating.

    Raises:
        ValueError: while iterating, the dataset turns out to have more or fewer elements.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(3).filter(lambda x: x >= 0)
    >>> int(ds.apply(tf.data.experimental.assert_cardinality(3)).cardinality())
    3
    """
    expected = int(expected_cardinality)

    def apply(dataset):
        def make_iter():
            n = 0
            for element in dataset._make_iter():
                n += 1
                if expected >= 0 and n > expected:
                    raise ValueError(
                        f"assert_cardinality: the input dataset has more than the expected {expected} elements."
                    )
                yield element
            if expected == _ds.INFINITE_CARDINALITY or n < expected:
                raise ValueError(
                    f"assert_cardinality: the input dataset ended after {n} elements; "
                    f"expected {'infinitely many' if expected < 0 else expected}."
                )

        return dataset._derive(make_iter, expected, spec_fn=lambda: dataset.element_spec)

    return apply
