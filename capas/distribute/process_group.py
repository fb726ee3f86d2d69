"""Joining the processes that `torchrun` started: one process is one replica.

`torchrun --nproc_per_node N script.py` starts N copies of the script with
`RANK`, `WORLD_SIZE`, `LOCAL_RANK`, `MASTER_ADDR` and `MASTER_PORT` in their
environment. A strategy calls `initialize()`, which joins them in a
`torch.distributed` process group (NCCL when CUDA is available, gloo
otherwise) with a bounded collective timeout, so that a rank that died or
hangs makes the others stop with an error instead of waiting forever.
Without torchrun's variables nothing is initialised and the program runs as
one replica.

A group that `initialize()` joined is also left by it: at interpreter exit
(`atexit`, while threads can still take the GIL) the registered shutdown steps
drop what holds the group (DDP's wrappers, which a garbage collection then
frees with their reducers), then the group is destroyed, which joins its
threads. Left to interpreter finalization instead, gloo's threads may outlive
the interpreter, and the process aborts ("terminate called without an active
exception") after the script finished: with plain torch DDP on gloo, 3 of 20
two-rank runs under load ended so, none of 20 with this order (collect, then
destroy).
"""

import atexit
import datetime
import gc
import os
import random

import torch
import torch.distributed as dist

DEFAULT_TIMEOUT_SECONDS = 300.0
_SHUTDOWN_STEPS = []  # callables run at exit before the group is destroyed (they drop references to it)
_JOINED = [False]  # whether initialize() made the default group (then it also destroys it)
_AT_EXIT = [False]  # whether _shutdown is registered with atexit


def add_shutdown_step(step):
    """Run `step()` at interpreter exit, before a group that `initialize()` joined is destroyed."""
    _SHUTDOWN_STEPS.append(step)


def leave_at_exit():
    """Run the shutdown steps at interpreter exit (once), and destroy the group if `initialize()` joined it."""
    if not _AT_EXIT[0]:
        _AT_EXIT[0] = True
        atexit.register(_shutdown)


def _shutdown():
    for step in _SHUTDOWN_STEPS:
        step()
    # DDP's modules sit in reference cycles: collect them now, so that their reducers (which hold the group)
    # go while the group still exists, and the group's own threads are joined when it is destroyed below.
    gc.collect()
    if _JOINED[0] and dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
    _JOINED[0] = False
    gc.collect()  # what still held the group (its gloo work objects) goes now, not during finalization


class CommunicationOptions:
    """`tf.distribute.experimental.CommunicationOptions`: collective settings.

    Args:
        bytes_per_pack: accepted for TF compatibility (DDP chooses its buckets).
        timeout_seconds: how long a collective may wait for the other ranks
            before it fails (default 300 s, or `$CAPAS_DIST_TIMEOUT`).
        implementation: accepted for TF compatibility ('AUTO', 'RING', 'NCCL').

    Example:

    >>> import capas as tf
    >>> tf.distribute.experimental.CommunicationOptions(timeout_seconds=60).timeout_seconds
    60
    """

    def __init__(self, bytes_per_pack=0, timeout_seconds=None, implementation="AUTO"):
        self.bytes_per_pack = bytes_per_pack
        self.timeout_seconds = timeout_seconds
        self.implementation = getattr(implementation, "name", implementation)


def launched_by_torchrun():
    """True when the environment holds torchrun's `RANK`/`WORLD_SIZE` variables."""
    return "RANK" in os.environ and "WORLD_SIZE" in os.environ and "MASTER_ADDR" in os.environ


def is_distributed():
    """True when torch.distributed runs with more than one process."""
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def rank():
    """This process's rank (0 when not distributed)."""
    return dist.get_rank() if is_distributed() else 0


def world_size():
    """The number of processes (1 when not distributed)."""
    return dist.get_world_size() if is_distributed() else 1


def _timeout(options):
    seconds = getattr(options, "timeout_seconds", None)
    if seconds is None:
        seconds = float(os.environ.get("CAPAS_DIST_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
    return datetime.timedelta(seconds=float(seconds))


def initialize(options=None):
    """Join torchrun's process group if there is one and it is not joined yet; returns the local device."""
    if launched_by_torchrun() and dist.is_available() and not dist.is_initialized():
        use_cuda = torch.cuda.is_available()
        if use_cuda:
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
            # Errors on one rank abort the NCCL communicators of the others (bounded wait).
            os.environ.setdefault("TORCH_NCCL_ASYNC_ERROR_HANDLING", "1")
        backend, timeout = ("nccl" if use_cuda else "gloo"), _timeout(options)
        restart = os.environ.get("TORCHELASTIC_RESTART_COUNT", "0")
        if restart != "0":
            # A restarted attempt (`torchrun --max_restarts`): keys under a prefix of this attempt, so that
            # no rank reads an address the previous attempt left in the store.
            rank_, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
            agent_store = os.environ.get("TORCHELASTIC_USE_AGENT_STORE") == "True"
            store = dist.TCPStore(
                os.environ["MASTER_ADDR"],
                int(os.environ["MASTER_PORT"]),
                world,
                is_master=not agent_store and rank_ == 0,
                timeout=timeout,
            )
            dist.init_process_group(
                backend,
                store=dist.PrefixStore(f"capas/attempt{restart}", store),
                rank=rank_,
                world_size=world,
                timeout=timeout,
            )
        else:
            dist.init_process_group(backend, timeout=timeout)
        _JOINED[0] = True
        leave_at_exit()
    return local_device()


def local_device():
    """The device of this replica: `cuda:LOCAL_RANK` when CUDA is available, else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")) % torch.cuda.device_count())
    return torch.device("cpu")


def broadcast_state(model, src=0):
    """Copy rank `src`'s weights and buffers to every rank."""
    with torch.no_grad():
        for tensor in list(model.parameters()) + list(model.buffers()):
            dist.broadcast(tensor.data, src=src)


def broadcast_generator(generator, src=0):
    """Every rank's `generator` takes rank `src`'s state (so the data orders agree)."""
    state = generator.get_state()
    dist.broadcast(state, src=src)
    generator.set_state(state)


def check_same_shapes(named_shapes, what="model"):
    """Raise a clear error when the (name, shape) lists differ across ranks (compared at start)."""
    if not is_distributed():
        return
    gathered = [None] * world_size()
    dist.all_gather_object(gathered, [(str(n), tuple(s)) for n, s in named_shapes])
    reference = gathered[0]
    for other_rank, shapes in enumerate(gathered[1:], start=1):
        if shapes == reference:
            continue
        for i, (a, b) in enumerate(zip(reference, shapes)):
            if a[1] != b[1]:
                raise ValueError(
                    f"The {what} differs across ranks: weight #{i} is {a[0]} {a[1]} on rank 0 but {b[0]} {b[1]} "
                    f"on rank {other_rank}. Every process must build the same model (same code, same shapes)."
                )
        raise ValueError(
            f"The {what} differs across ranks: rank 0 has {len(reference)} weights, rank {other_rank} has "
            f"{len(shapes)}. Every process must build the same model (same code, same shapes)."
        )


_SHARED_SEED = {"base": None, "count": 0}


def agree_on_seed():
    """Broadcast rank 0's random base seed (a collective: every rank calls it, at strategy creation)."""
    if not is_distributed():
        return
    # From the OS, not torch's global RNG: creating a strategy must not change the model's initial weights.
    base = torch.tensor([random.SystemRandom().getrandbits(62) if rank() == 0 else 0], dtype=torch.int64)
    if dist.get_backend() == "nccl":
        base = base.to(local_device())
    dist.broadcast(base, src=0)
    _SHARED_SEED["base"] = int(base.item())
    _SHARED_SEED["count"] = 0


def next_shared_seed():
    """A seed that is the same on every rank (for unseeded shuffles, so the ranks' orders agree); None alone."""
    if _SHARED_SEED["base"] is None or not is_distributed():
        return None
    _SHARED_SEED["count"] += 1
    return _SHARED_SEED["base"] + _SHARED_SEED["count"]
