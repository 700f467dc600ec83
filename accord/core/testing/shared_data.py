"""Data built once for a whole test module and rolled back at its end.

Building a data set (the demo generator, say) for every test of a module costs seconds each time.
`module_data(django_db_blocker)` opens one transaction around the module; the tests then run in
savepoints inside it (pytest-django's `db`), so each test still starts from the same data and
nothing it writes outlives it. Only for tests that do not need `transaction=True`: keep those in
another module.

    @pytest.fixture(scope="module")
    def _built(django_db_setup, django_db_blocker):
        with module_data(django_db_blocker):
            yield build()

    @pytest.fixture
    def built(_built, db):
        return _built
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def module_data(django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
