"""`tf.debugging.experimental`: TF's Debugger V2 dumps, which have no PyTorch counterpart."""


def enable_dump_debug_info(
    dump_root, tensor_debug_mode="NO_TENSOR", circular_buffer_size=1000, op_regex=None, tensor_dtypes=None
):
    """Raise NotImplementedError: capas writes no TensorBoard Debugger V2 dumps.

    Use `tf.debugging.enable_check_numerics()` to stop at the first NaN/Inf, or
    `torch.autograd.set_detect_anomaly(True)` for the backward pass.
    """
    raise NotImplementedError(
        f"tf.debugging.experimental.enable_dump_debug_info({dump_root!r}): capas writes no TensorBoard "
        "Debugger V2 dumps (they record TF graph ops). To find NaN/Inf, call "
        "tf.debugging.enable_check_numerics() (every op's floating outputs are checked) or "
        "torch.autograd.set_detect_anomaly(True) for the backward pass."
    )


def disable_dump_debug_info():
    """Nothing to disable (dumps are never enabled in capas); returns None as TF does."""
