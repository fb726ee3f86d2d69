"""`tf.autograph.experimental`: the conversion switches, accepted (capas converts nothing)."""

import enum


class Feature(enum.Enum):
    """AutoGraph's optional conversions (accepted by name; capas applies none)."""

    ALL = "ALL"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def do_not_convert(func=None):
    """Return `func` unchanged (usable as `@do_not_convert` or `@do_not_convert()`)."""
    if func is None:
        return do_not_convert
    return func


def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None, shape_invariants=None):
    """Accepted for TF's signature; Python loops in capas take no options."""
