import pytest
from django.db import connection

from accord.core.database import refresh_planner_statistics
from accord.core.jobs import run_jobs_now, start_job
from accord.core.models import Job


@pytest.mark.django_db(transaction=True)
def test_refresh_planner_statistics_writes_sqlite_statistics():
    seconds = refresh_planner_statistics()
    if connection.vendor != "sqlite":
        assert seconds == 0.0
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_planner_statistics_is_a_periodic_job_that_succeeds():
    from accord.core.jobs import _periodic

    assert "core.planner_statistics" in _periodic
    job = start_job(None, "core.planner_statistics")
    run_jobs_now()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
