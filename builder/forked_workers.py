"""Worker processes forked straight from the builder, for platforms that can fork.

concurrent.futures' process pool starts a manager thread, a feeder thread and its queues
before the first worker gets work, and every item and result goes through them: about 20 ms
before a batch's first document starts, and a millisecond between documents. Here each
worker is forked and handed its first item at once; items are sent as their numbers (the
worker has them all already, inherited by forking) and results come back over a pipe of its
own. A worker that dies is noticed when its pipe closes, and it was running exactly one item.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import selectors
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASK = struct.Struct("<q")  # the number of the item to run next
_REPLY = struct.Struct("<qBQ")  # the item's number, what follows (a result or an error), size
_RESULT, _ERROR = 0, 1

_UNREAPED: list[int] = []  # workers told to stop and not yet waited for


class _Failure:
    """An item whose function raised (or whose result could not be sent back)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Worker:
    """A forked process running items it is told the numbers of, one at a time."""

    def __init__(self, func: Callable[[Any], Any], items: Sequence[Any],
                 initializer: Callable[..., None], initargs: tuple[Any, ...],
                 not_its_own: list[int]) -> None:
        task_r, task_w = os.pipe()
        reply_r, reply_w = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # (a child must not print them again)
            if stream is not None:  # (None: the builder was started with it closed)
                stream.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                # (A pipe end left open here would keep another worker from ever seeing
                # the end of its own.)
                for fd in (task_w, reply_r, *not_its_own):
                    os.close(fd)
                _serve(func, items, initializer, initargs, task_r, reply_w)
                code = 0
            except BaseException:
                pass  # (interrupted: the parent learns it from the closed pipe)
            finally:
                os._exit(code)
        os.close(task_r)
        os.close(reply_w)
        self.pid, self.tasks, self.replies = pid, task_w, reply_r
        self.running = -1

    def give(self, index: int) -> None:
        self.running = index
        # (A worker that has died cannot take it: its reply pipe closes, which is how that
        # is noticed.)
        with contextlib.suppress(OSError):
            os.write(self.tasks, _TASK.pack(index))

    def receive(self) -> Any:
        """The result of the item it was running, a _Failure, or None if it died first."""
        head = _read_exactly(self.replies, _REPLY.size)
        if head is None:
            return None
        index, kind, size = _REPLY.unpack(head)
        payload = _read_exactly(self.replies, size)
        if payload is None or index != self.running:
            return None
        try:
            value = pickle.loads(payload)
        except Exception as exc:
            return _Failure(exc)
        return _Failure(value) if kind == _ERROR else value

    def stop(self) -> None:
        """Close its pipes: a worker waiting for an item then exits."""
        for fd in (self.tasks, self.replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        _UNREAPED.append(self.pid)


def forked_map(func: Callable[[T], R], items: Sequence[T], *, workers: int,
               initializer: Callable[..., None], initargs: tuple[Any, ...],
               lost: Callable[[T, BaseException], R]) -> Iterator[R]:
    """`func(item)` for every item in up to `workers` forked processes, yielded in the
    items' order as soon as each is known. An item whose process dies is run again in a
    process of its own; if that dies too, `lost(item, error)` is its result."""
    reap()
    results: dict[int, R] = {}
    emitted = 0
    todo = deque(range(len(items)))
    crew: list[_Worker] = []
    selector = selectors.DefaultSelector()

    def hire() -> None:
        worker = _Worker(func, items, initializer, initargs,
                         [fd for w in crew for fd in (w.tasks, w.replies)] +
                         [selector.fileno()])
        crew.append(worker)
        selector.register(worker.replies, selectors.EVENT_READ, worker)
        worker.give(todo.popleft())

    def dismiss(worker: _Worker) -> None:
        selector.unregister(worker.replies)
        crew.remove(worker)
        worker.stop()

    try:
        while todo and len(crew) < max(1, workers):
            hire()
        while crew:
            for key, _ in selector.select():
                worker = key.data
                index = worker.running
                reply = worker.receive()
                if reply is None:  # it died running `index`: was the item the cause?
                    dismiss(worker)
                    results[index] = _alone(func, items, index, initializer, initargs, lost)
                    if todo:
                        hire()
                    continue
                results[index] = lost(items[index], reply.error) \
                    if isinstance(reply, _Failure) else reply
                if todo:
                    worker.give(todo.popleft())
                else:
                    dismiss(worker)
            while emitted in results:
                yield results.pop(emitted)
                emitted += 1
    finally:
        for worker in list(crew):
            dismiss(worker)
        selector.close()


def _alone(func: Callable[[T], R], items: Sequence[T], index: int,
           initializer: Callable[..., None], initargs: tuple[Any, ...],
           lost: Callable[[T, BaseException], R]) -> R:
    """Run one item in a process of its own: if that dies too, the item itself is the
    cause."""
    worker = _Worker(func, items, initializer, initargs, [])
    try:
        worker.give(index)
        reply = worker.receive()
    finally:
        worker.stop()
        reap(block=True)  # (the dead one, and this one, which has nothing more to do)
    if reply is None:
        return lost(items[index], BrokenProcessPool(
            "a process running an item stopped unexpectedly"))
    return lost(items[index], reply.error) if isinstance(reply, _Failure) else reply


def _serve(func: Callable[[Any], Any], items: Sequence[Any], initializer: Callable[..., None],
           initargs: tuple[Any, ...], tasks: int, replies: int) -> None:
    """A worker's life: set up, then run each item it is given until its pipe closes."""
    initializer(*initargs)
    while True:
        data = _read_exactly(tasks, _TASK.size)
        if data is None:
            return
        (index,) = _TASK.unpack(data)
        try:
            payload, kind = pickle.dumps(func(items[index]), pickle.HIGHEST_PROTOCOL), _RESULT
        except Exception as exc:  # (the item's own failure, or a result that cannot be sent)
            payload, kind = _pickled(exc), _ERROR
        _write_all(replies, _REPLY.pack(index, kind, len(payload)) + payload)


def _pickled(error: Exception) -> bytes:
    try:
        return pickle.dumps(error, pickle.HIGHEST_PROTOCOL)
    except Exception:  # (an exception that cannot itself be pickled)
        return pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from a pipe, or None when it closes first."""
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def reap(block: bool = False) -> None:
    """Wait for workers that were told to stop (at once for those already gone)."""
    for pid in list(_UNREAPED):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _UNREAPED.remove(pid)


atexit.register(reap, True)
