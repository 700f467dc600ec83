"""Several worker processes share one PostgreSQL queue: every job runs exactly once."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from accord.core import jobs
from accord.core.models import Job
from accord.core.testing import jobs as testing_jobs  # noqa: F401 - registers testing.sleep

WORKER = (
    "import django; django.setup(); import accord.core.testing.jobs; "
    "from django.core.management import call_command; "
    "call_command('accord_worker', '--batch', '--verbosity', '0')"
)


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_run_each_job_once():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED queue sharing is a PostgreSQL feature")
    created = [jobs.start_job(None, "testing.sleep", params={"seconds": 0.05}) for _ in range(40)]
    settings = connection.settings_dict
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="accord.settings.test",
        DATABASE_URL=(
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
            f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()[-2000:]
    finished = Job.objects.filter(pk__in=[j.pk for j in created])
    assert finished.filter(status=Job.Status.SUCCEEDED).count() == 40
    assert set(finished.values_list("attempts", flat=True)) == {1}
    assert sum(j.counts["ran"] for j in finished) == 40
    from django_tasks_db.models import DBTaskResult

    workers_seen = {
        w for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for w in ids
    }
    assert len(workers_seen) == 2  # both processes took jobs from the same queue
