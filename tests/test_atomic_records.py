"""Records are written atomically: concurrent writers of one record, and writers killed at any moment,
never leave a partial record file (``pipeline.execution.records.write_record``)."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time

from pipeline.execution.records import make_record, read_record, write_record

#: A message of about 2 MB makes each write long enough for readers and kills to land inside one.
BIG = "x" * 2_000_000


def record(writer: int, round_: int) -> dict:
    return make_record("linear_w2-1-2", "dimension", status="timeout", seed=writer,
                       message=f"writer {writer} round {round_} {BIG}", extra={"reason": "budget"})


def write_forever(path: str, writer: int, rounds: int) -> None:
    for round_ in range(rounds):
        write_record(record(writer, round_), path)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "dimension.json")


def test_concurrent_writers_never_leave_a_partial_record(tmp_path):
    """Four processes rewrite one record 15 times each while this one reads it: every read is whole."""
    record(0, 0)  # the versions are computed once, before the fork
    path = tmp_path / "dimension.json"
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=write_forever, args=(str(path), k, 15)) for k in range(4)]
    for writer in writers:
        writer.start()
    reads = 0
    while any(writer.is_alive() for writer in writers):
        if path.exists():
            got = read_record(path)  # raises RecordError on a truncated or corrupt file
            assert got["message"].endswith(BIG) and got["seed"] in range(4)
            reads += 1
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert reads > 0
    assert read_record(path)["message"].startswith("writer ")
    assert leftovers(tmp_path) == []  # every temporary file was renamed into place


def test_a_writer_killed_at_any_moment_leaves_the_record_whole_or_absent(tmp_path):
    """SIGKILL a writer at 20 moments spread over its writes: the record is absent or whole every time,
    and what a kill can leave besides is a hidden temporary file that no ``*.json`` pattern matches."""
    record(0, 0)
    path = tmp_path / "dimension.json"
    context = multiprocessing.get_context("fork")
    seen = set()
    for attempt in range(20):
        writer = context.Process(target=write_forever, args=(str(path), attempt % 4, 1000))
        writer.start()
        time.sleep(0.005 + 0.01 * attempt)
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        assert writer.exitcode == -signal.SIGKILL
        if path.exists():
            text = path.read_text()
            assert json.loads(text)["message"].endswith(BIG), text[-200:]
            seen.add("whole")
        else:
            seen.add("absent")
        for name in leftovers(tmp_path):
            assert name.startswith(".dimension.json.") and name.endswith(".tmp"), name
    assert "whole" in seen
    assert not list(tmp_path.glob("*.json"))[1:]  # one record file, nothing else a record pattern matches


def test_a_failing_writer_removes_its_temporary_file(tmp_path):
    """A record that cannot be serialized raises, leaves no file and no temporary file."""
    bad = dict(record(0, 0), value=None, options={"seed": object()})
    try:
        write_record(bad, tmp_path / "dimension.json")
    except TypeError:
        pass
    else:
        raise AssertionError("an object() in a record must not be written")
    assert list(tmp_path.iterdir()) == []
