"""Worker threads for the pipeline: parallel `map` and `prefetch`.

Threads (not processes) because elements are torch tensors: torch kernels
release the GIL, so per-element tensor work runs in parallel without
pickling elements between processes.
"""

import atexit
import collections
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


def ordered_map(source, fn, workers, keep_order):
    """`fn` over `source` on `workers` threads, at most `2 * workers` elements in flight.

    With `keep_order` the results come out in input order; without, as they finish.
    """
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="capas-data-map")
    pending = collections.deque()
    limit = 2 * workers
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < limit:
                try:
                    element = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.append(pool.submit(fn, element))
            if not pending:
                return
            if keep_order:
                future = pending.popleft()
            else:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                future = next(f for f in pending if f in done)
                pending.remove(future)
            yield future.result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=False, cancel_futures=True)


_END = object()
_EXIT_JOIN_SECONDS = 30.0  # at interpreter exit, how long to wait for one worker's element in flight
_WORKERS = set()  # the prefetch workers still running: (thread, stop) pairs, stopped and joined at exit


def _stop_workers_at_exit():
    """Stop every prefetch worker and wait for its element in flight (atexit, before finalization).

    A daemon thread still inside a torch kernel when the interpreter finalizes cannot take the GIL back
    when the kernel returns; the process then aborts ("terminate called without an active exception")
    after the program finished, e.g. a loop that broke out of a prefetched dataset while the worker
    computed the next element.
    """
    workers = list(_WORKERS)
    for _, stop in workers:
        stop()
    for thread, _ in workers:
        thread.join(_EXIT_JOIN_SECONDS)


atexit.register(_stop_workers_at_exit)


def prefetch_iter(iterator, size):
    """Iterate `iterator` on a background thread, keeping up to `size` elements ready."""
    queue = collections.deque()
    cond = threading.Condition()
    state = {"error": None, "stop": False}

    def stop():
        with cond:
            state["stop"] = True
            cond.notify_all()

    def worker():
        try:
            for item in iterator:
                with cond:
                    while len(queue) >= size and not state["stop"]:
                        cond.wait()
                    if state["stop"]:
                        break
                    queue.append(item)
                    cond.notify_all()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the consumer
            state["error"] = exc
        finally:
            with cond:  # also when stopped: a consumer waiting downstream (a nested prefetch) sees the end
                queue.append(_END)
                cond.notify_all()
            _WORKERS.discard(entry)

    thread = threading.Thread(target=worker, daemon=True, name="capas-data-prefetch")
    entry = (thread, stop)
    _WORKERS.add(entry)
    thread.start()
    try:
        while True:
            with cond:
                while not queue:
                    cond.wait()
                item = queue.popleft()
                cond.notify_all()
            if item is _END:
                if state["error"] is not None:
                    raise state["error"]
                return
            yield item
    finally:
        stop()
