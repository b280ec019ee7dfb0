"""A process pool whose results come back in order, and which outlives a worker that dies."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

from .forked_workers import forked_map

T = TypeVar("T")
R = TypeVar("R")


def start_context() -> BaseContext:
    """How workers start: forked where the platform allows it, so they begin with what the
    parent has already loaded (fonts, the project, layouts) instead of loading it again."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def resilient_map(func: Callable[[T], R], items: Sequence[T], *, workers: int,
                  initializer: Callable[..., None], initargs: tuple[Any, ...],
                  lost: Callable[[T, BaseException], R]) -> Iterator[R]:
    """`func(item)` for every item in `workers` processes, yielded in the items' order as
    soon as each is known.

    Where processes can be forked, the workers are forked straight from this process
    (builder/forked_workers.py). Elsewhere a worker that dies (killed, out of memory, a crash
    in native code) breaks the whole pool: the items it may have been running are then run
    again, each in a process of its own, and those not started yet in a fresh pool. Either
    way one item that kills its process costs only its own result, which `lost(item,
    error)` gives.
    """
    if start_context().get_start_method() == "fork":
        yield from forked_map(func, items, workers=workers, initializer=initializer,
                              initargs=initargs, lost=lost)
        return
    results: dict[int, R] = {}
    emitted = 0  # the items before this one have been yielded
    todo = list(range(len(items)))
    while todo:
        with ProcessPoolExecutor(max_workers=workers, initializer=initializer,
                                 initargs=initargs, mp_context=start_context()) as pool:
            try:
                futures = {i: pool.submit(func, items[i]) for i in todo}
                for i in todo:
                    try:
                        results[i] = futures[i].result()
                    except BrokenProcessPool:
                        break
                    except Exception as exc:  # (e.g. a result that could not be sent back)
                        results[i] = lost(items[i], exc)
                    while emitted in results:
                        yield results.pop(emitted)
                        emitted += 1
                for i, future in futures.items():  # finished before the pool broke
                    if i >= emitted and i not in results and _succeeded(future):
                        results[i] = future.result()
            finally:
                # When every item has its result the workers are only left to exit: they do
                # so while the caller goes on (the interpreter still waits for them at exit).
                done = all(i < emitted or i in results for i in todo)
                pool.shutdown(wait=not done, cancel_futures=True)
        unfinished = [i for i in todo if i >= emitted and i not in results]
        # Workers take items in order, so those running when one died are the first
        # unfinished ones, at most one per worker: any of them may be the cause.
        for i in unfinished[:workers]:
            results[i] = _run_alone(func, items[i], initializer, initargs, lost)
            while emitted in results:
                yield results.pop(emitted)
                emitted += 1
        todo = unfinished[workers:]


def _succeeded(future: Future[Any]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _run_alone(func: Callable[[T], R], item: T, initializer: Callable[..., None],
               initargs: tuple[Any, ...], lost: Callable[[T, BaseException], R]) -> R:
    """Run one item in a process of its own: if that dies too, the item itself is the cause."""
    error: BaseException
    with ProcessPoolExecutor(max_workers=1, initializer=initializer, initargs=initargs,
                             mp_context=start_context()) as pool:
        try:
            return pool.submit(func, item).result()
        except Exception as exc:
            error = exc
    return lost(item, error)  # called once the dead process has been reaped
