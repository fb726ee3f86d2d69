"""Adding names to torch's C types (`torch.Size`, `torch.dtype`), which Python calls immutable.

TensorFlow code reads `t.shape.as_list()` and `t.dtype.name`. In capas `t.shape` is a
`torch.Size` and `t.dtype` a `torch.dtype`: C types that can neither be subclassed nor
given attributes the ordinary way. Returning other objects from `Tensor.shape` or
`Tensor.dtype` would break torch code that passes them back to torch; so capas adds the
missing TensorFlow names to the torch types themselves.

CPython refuses `setattr` on a type carrying `Py_TPFLAGS_IMMUTABLETYPE`. `add_attribute`
lowers that flag for the duration of one `setattr` and restores it: the assignment then
goes through CPython's own `type.__setattr__`, which updates the type's slots and method
cache as for any class. Only names the type does not have yet are added (the installer
refuses to replace one), except the comparison slots `dtypes_compat` installs on purpose.
"""

import ctypes

_IMMUTABLETYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE (CPython >= 3.10)
_WORD = ctypes.sizeof(ctypes.c_ulong)


def _flags_cell(tp):
    # tp_flags sits at a fixed offset of PyTypeObject (after ob_base and 19 pointers); find
    # it by its value instead of hard-coding the offset, and check it against `type` itself.
    want = tp.__flags__
    for offset in range(0, 64 * _WORD, _WORD):
        cell = ctypes.c_ulong.from_address(id(tp) + offset)
        if cell.value == want and ctypes.c_ulong.from_address(id(type) + offset).value == type.__flags__:
            return cell
    raise RuntimeError(f"capas: cannot locate the flags of {tp!r} in this Python build.")


def add_attribute(tp, name, value, replace=False):
    """Set `tp.name = value` on a C type; refuses to replace an existing name unless asked."""
    if not replace and name in dir(tp):
        raise RuntimeError(f"capas: {tp.__name__}.{name} exists already; refusing to replace it.")
    cell = _flags_cell(tp)
    immutable = cell.value & _IMMUTABLETYPE
    cell.value &= ~_IMMUTABLETYPE
    try:
        setattr(tp, name, value)
    finally:
        # Give back only the one bit: setattr cleared the type's method-cache version flag,
        # and restoring the old flags word would mark a stale cache entry valid again.
        cell.value |= immutable
