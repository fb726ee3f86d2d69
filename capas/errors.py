"""`tf.errors`: TensorFlow's exception types, raised where TF raises them.

`OpError` is the base; each subclass carries TF's `error_code`. Where a
Python built-in already names the failure, the TF type subclasses it too, so
code that catches the built-in keeps working: `InvalidArgumentError` is a
`ValueError` (capas ops raised ValueError for bad shapes before),
`OutOfRangeError` an `IndexError`, `UnimplementedError` a
`NotImplementedError`. capas ops turn the errors of their torch kernels into
`InvalidArgumentError` (capas/ops/_recording.py, `as_op_error`).

Example:

>>> import capas as tf
>>> try:
...     tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)))
... except tf.errors.InvalidArgumentError as e:
...     print(type(e).__name__, e.error_code)
InvalidArgumentError 3
"""

import torch

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """The base of TensorFlow's runtime errors.

    Args:
        node_def: TF's graph node (always None in capas: there is no graph).
        op: the operation that failed (None in eager code).
        message: what went wrong and how to fix it.
        error_code: one of the `tf.errors` codes.
    """

    error_code = UNKNOWN

    def __init__(self, node_def, op, message, *args):
        super().__init__(message)
        self.args = (node_def, op, message, *args)
        self._node_def = node_def
        self._op = op
        self._message = message
        if args and isinstance(args[0], int) and type(self) is OpError:
            self.error_code = args[0]

    @property
    def message(self):
        return self._message

    @property
    def op(self):
        return self._op

    @property
    def node_def(self):
        return self._node_def

    @property
    def experimental_payloads(self):
        return {}

    def __str__(self):
        return str(self._message)


def _make(name, code, *bases, doc):
    cls = type(
        name,
        (OpError, *bases),
        {"error_code": code, "__doc__": doc, "__module__": __name__},
    )
    return cls


CancelledError = _make("CancelledError", CANCELLED, doc="An operation was cancelled.")
UnknownError = _make("UnknownError", UNKNOWN, doc="An error of unknown kind.")
InvalidArgumentError = _make(
    "InvalidArgumentError",
    INVALID_ARGUMENT,
    ValueError,
    doc="An op received an invalid argument (bad shape, dtype or value). Also a ValueError.",
)
DeadlineExceededError = _make("DeadlineExceededError", DEADLINE_EXCEEDED, doc="A deadline expired.")
NotFoundError = _make("NotFoundError", NOT_FOUND, doc="A file or entity was not found.")
AlreadyExistsError = _make("AlreadyExistsError", ALREADY_EXISTS, doc="An entity to create already exists.")
PermissionDeniedError = _make("PermissionDeniedError", PERMISSION_DENIED, doc="The caller may not do this.")
ResourceExhaustedError = _make(
    "ResourceExhaustedError",
    RESOURCE_EXHAUSTED,
    doc="A resource (usually device memory) ran out.",
)
FailedPreconditionError = _make(
    "FailedPreconditionError",
    FAILED_PRECONDITION,
    doc="The system is not in a state this operation needs.",
)
AbortedError = _make("AbortedError", ABORTED, doc="An operation was aborted.")
OutOfRangeError = _make(
    "OutOfRangeError",
    OUT_OF_RANGE,
    IndexError,
    doc="An index or iterator went past its end. Also an IndexError.",
)
UnimplementedError = _make(
    "UnimplementedError",
    UNIMPLEMENTED,
    NotImplementedError,
    doc="The operation is not implemented. Also a NotImplementedError.",
)
InternalError = _make("InternalError", INTERNAL, doc="An internal invariant broke (a bug).")
UnavailableError = _make("UnavailableError", UNAVAILABLE, doc="A service is unavailable.")
DataLossError = _make(
    "DataLossError",
    DATA_LOSS,
    doc="Data was lost or corrupted (e.g. a truncated file).",
)
UnauthenticatedError = _make("UnauthenticatedError", UNAUTHENTICATED, doc="The request lacks credentials.")


_NOT_OURS = ("FakeTensor", "tensor subclasses", "data-dependent", "Data-dependent", "symbolic")


def as_op_error(exc, op_name):
    """The TF error for an exception escaping op `op_name`, or `exc` itself when it stays as it is.

    Stays: TF errors already, torch's own RuntimeError subclasses (e.g. the
    data-dependent-shape signals that symbolic shape inference catches) and
    errors about fake/symbolic tensors.
    """
    if isinstance(exc, OpError) or any(marker in str(exc) for marker in _NOT_OURS):
        return exc
    if isinstance(exc, torch.OutOfMemoryError):
        return ResourceExhaustedError(None, op_name, f"{op_name}: {exc}")
    if isinstance(exc, RuntimeError) and type(exc) is not RuntimeError:
        return exc
    return InvalidArgumentError(None, op_name, str(exc) if isinstance(exc, ValueError) else f"{op_name}: {exc}")
