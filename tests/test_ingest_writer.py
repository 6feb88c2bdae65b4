"""The ingest's background writer: order kept, errors surface in the caller, one batch waits."""

from __future__ import annotations

import threading
import time

import pytest

from app.ingest import BackgroundWriter


def test_jobs_run_in_order_off_the_calling_thread():
    seen: list[tuple[int, str]] = []
    writer = BackgroundWriter()
    with writer:
        for i in range(5):
            writer.submit(lambda i=i: seen.append((i, threading.current_thread().name)))
    assert [i for i, _ in seen] == [0, 1, 2, 3, 4]
    assert {name for _, name in seen} == {"ingest-writer"}


def test_without_a_block_jobs_run_at_once():
    seen: list[int] = []
    BackgroundWriter().submit(lambda: seen.append(1))
    assert seen == [1]


def test_an_error_stops_later_jobs_and_is_raised_in_the_caller():
    seen: list[int] = []

    def boom() -> None:
        raise RuntimeError("store is gone")

    writer = BackgroundWriter()
    with pytest.raises(RuntimeError, match="store is gone"), writer:
        writer.submit(boom)
        time.sleep(0.2)
        writer.submit(lambda: seen.append(1))  # raises here, or at the end of the block
    assert seen == []


def test_at_most_one_batch_waits():
    gate = threading.Event()
    writer = BackgroundWriter()
    with writer:
        writer.submit(gate.wait)  # taken by the thread, blocks it
        time.sleep(0.1)
        writer.submit(lambda: None)  # waits in the queue
        blocked = threading.Thread(target=writer.submit, args=(lambda: None,))
        blocked.start()
        blocked.join(timeout=0.3)
        assert blocked.is_alive()  # a third submit waits for the writer
        gate.set()
        blocked.join(timeout=5)
        assert not blocked.is_alive()
