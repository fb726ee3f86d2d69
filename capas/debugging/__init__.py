"""`tf.debugging`: asserts, numeric checks and the debugging switches.

The asserts live in `capas/ops/check_ops.py`; `enable_check_numerics` is in
`capas/debugging/_numerics.py`. Log device placement and traceback filtering are
flags only (PyTorch places ops where their inputs are and keeps whole tracebacks),
and `experimental.enable_dump_debug_info` raises (see docs/debugging.md).
"""

from capas.debugging import experimental as experimental
from capas.debugging._numerics import disable_check_numerics as disable_check_numerics
from capas.debugging._numerics import enable_check_numerics as enable_check_numerics
from capas.ops import _missing
from capas.ops.check_ops import Assert as Assert
from capas.ops.check_ops import assert_all_finite as assert_all_finite
from capas.ops.check_ops import assert_equal as assert_equal
from capas.ops.check_ops import assert_greater as assert_greater
from capas.ops.check_ops import assert_greater_equal as assert_greater_equal
from capas.ops.check_ops import assert_integer as assert_integer
from capas.ops.check_ops import assert_less as assert_less
from capas.ops.check_ops import assert_less_equal as assert_less_equal
from capas.ops.check_ops import assert_near as assert_near
from capas.ops.check_ops import assert_negative as assert_negative
from capas.ops.check_ops import assert_non_negative as assert_non_negative
from capas.ops.check_ops import assert_non_positive as assert_non_positive
from capas.ops.check_ops import assert_none_equal as assert_none_equal
from capas.ops.check_ops import assert_positive as assert_positive
from capas.ops.check_ops import assert_proper_iterable as assert_proper_iterable
from capas.ops.check_ops import assert_rank as assert_rank
from capas.ops.check_ops import assert_rank_at_least as assert_rank_at_least
from capas.ops.check_ops import assert_rank_in as assert_rank_in
from capas.ops.check_ops import assert_same_float_dtype as assert_same_float_dtype
from capas.ops.check_ops import assert_scalar as assert_scalar
from capas.ops.check_ops import assert_shapes as assert_shapes
from capas.ops.check_ops import assert_type as assert_type
from capas.ops.check_ops import check_numerics as check_numerics
from capas.ops.check_ops import is_numeric_tensor as is_numeric_tensor

_flags = {"log_device_placement": False, "traceback_filtering": True}


def set_log_device_placement(enabled):
    """Accepted and remembered; capas logs no placements (an op runs where its inputs are)."""
    _flags["log_device_placement"] = bool(enabled)


def get_log_device_placement():
    """What `set_log_device_placement` last set (False by default)."""
    return _flags["log_device_placement"]


def enable_traceback_filtering():
    """Accepted and remembered; capas does not filter tracebacks (they are short already)."""
    _flags["traceback_filtering"] = True


def disable_traceback_filtering():
    """Accepted and remembered; tracebacks are always whole in capas."""
    _flags["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    """What `enable/disable_traceback_filtering` last set (True by default, as TF)."""
    return _flags["traceback_filtering"]


__getattr__ = _missing.make_getattr(__name__, "tf.debugging")
