"""Checks worked out ahead by a helper process give the same results as inline ones."""

from __future__ import annotations

import multiprocessing

import pytest

from accord.dataio.imports.engine import ahead
from accord.dataio.imports.engine.ahead import Ahead
from accord.dataio.imports.services import runner
from accord.parties.models import PersonEmail, PersonPhone

from .conftest import check, import_all, upload

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform"
)


def double(key: int) -> int:
    return key * 2


@needs_fork
def test_values_worked_out_ahead_are_the_values_worked_out_inline(monkeypatch):
    monkeypatch.setattr(ahead, "MIN_AHEAD", 1)
    memo = Ahead(double)
    try:
        memo.submit([1, 2, 3, 2])
        assert memo._process is not None and memo._process.is_alive()
        memo.collect()
        assert memo.known == {1: 2, 2: 4, 3: 6}  # from the helper
        assert [memo(k) for k in (1, 2, 3, 4)] == [2, 4, 6, 8]  # 4: inline
        memo.submit([5, 6])
        assert memo(6) == 12  # waits for the helper's answer
    finally:
        process = memo._process
        memo.close()
    assert process is not None and not process.is_alive()


def test_few_values_and_a_dead_helper_are_worked_out_inline(monkeypatch):
    memo = Ahead(double)
    memo.submit([1, 2])  # fewer than MIN_AHEAD: no helper
    assert memo._process is None and memo(2) == 4
    if "fork" in multiprocessing.get_all_start_methods():
        monkeypatch.setattr(ahead, "MIN_AHEAD", 1)
        memo.submit([7, 8])
        memo._process.kill()
        memo._process.join()
        assert memo(8) == 16  # the helper is gone: inline
        assert memo._process is None
    memo.close()


ROWS = [
    f"Vorname{i};Nachname{i};P{i}@Example.de;030 {1234560 + i};Firma {i % 3};;;X{i}"
    for i in range(12)
] + [
    "Falsch;Nummer;falsch@example.de;123;;;;",
    "Falsch;Adresse;kaputt;;;;;",
    "Wieder;Da;p3@example.de;;;;;",
]
HEADER = "Vorname;Nachname;E-Mail;Telefon;Firma;Position;Seit;Externe ID\n"


def _dry_run(users) -> dict:
    run = check(upload(users.owner, HEADER + "".join(r + "\n" for r in ROWS)))
    return {k: run.report[k] for k in ("counts", "errors", "similar")}


@needs_fork
def test_an_import_with_the_helper_gives_what_it_gives_without(users, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_SIZE", 4)
    inline = _dry_run(users)  # a few values: checked inline
    monkeypatch.setattr(ahead, "MIN_AHEAD", 1)
    started = []
    original = Ahead._start

    def spy(self):
        started.append(True)
        return original(self)

    monkeypatch.setattr(Ahead, "_start", spy)
    assert _dry_run(users) == inline
    assert started  # the helper did the work this time
    assert {e["column"] for e in inline["errors"]} == {"Telefon", "E-Mail"}

    run = import_all(upload(users.owner, HEADER + "".join(r + "\n" for r in ROWS)))
    assert {k: run.result["counts"].get(k, 0) for k in ("create", "update", "error")} == {
        k: inline["counts"][k] for k in ("create", "update", "error")
    }
    numbers = dict(PersonPhone.objects.values_list("person__external_id", "number"))
    assert numbers["X3"] == "+49301234563"
    assert PersonEmail.objects.filter(email="p3@example.de").count() == 1
