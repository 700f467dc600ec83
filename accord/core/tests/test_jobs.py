"""Background jobs: enqueued with the data, progress, failure, retry from checkpoint, limits."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from accord.core import jobs
from accord.core.jobs import JobContext, JobFailed, JobLimitReached, register_job
from accord.core.models import Job, PeriodicSchedule
from accord.core.testing.matrix import make_users

CALLS: dict[str, int] = {}


@register_job("tests.count", heavy=True)
def count_rows(ctx: JobContext) -> None:
    rows = ctx.job.params.get("rows", 10)
    ctx.set_total(rows)
    start = ctx.checkpoint.get("row", 0)
    for row in range(start, rows):
        ctx.advance(1, created=1)
        if (row + 1) % 5 == 0:
            ctx.save_checkpoint({"row": row + 1})
        crash_at = ctx.job.params.get("crash_at")
        if crash_at is not None and row + 1 == crash_at and ctx.job.attempts == 1:
            raise RuntimeError("worker died")
    if ctx.job.params.get("bad_row"):
        ctx.error(where="row 3", message="Not an email address")
    ctx.attach_file("result.csv", b"a,b\n1,2\n", "text/csv")


@register_job("tests.refuse", heavy=False)
def refuse(ctx: JobContext) -> None:
    raise JobFailed("The file is not a CSV file.")


@pytest.fixture
def users(db):
    return make_users()


def test_job_and_its_task_commit_or_roll_back_together(users):
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.start_job(users.owner, "tests.count", label="rolled back")
        raise RuntimeError
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()
    job = jobs.start_job(users.owner, "tests.count", params={"rows": 12}, label="people.csv")
    assert job.status == Job.Status.QUEUED
    assert str(DBTaskResult.objects.get().id) == job.task_id


def test_run_records_progress_counts_errors_and_result(users):
    job = jobs.start_job(users.owner, "tests.count", params={"rows": 12, "bad_row": True})
    [ran] = jobs.run_jobs_now()
    assert ran.pk == job.pk
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (12, 12, 100)
    assert job.counts == {"created": 12}
    assert job.error_count == 1 and job.errors[0]["where"] == "row 3"
    assert job.result_name == "result.csv"
    assert job.finished_at and job.attempts == 1


def test_failure_says_why(users):
    job = jobs.start_job(users.owner, "tests.refuse")
    jobs.run_jobs_now()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.failure == "The file is not a CSV file."


def test_retry_resumes_from_the_checkpoint(users):
    job = jobs.start_job(users.owner, "tests.count", params={"rows": 20, "crash_at": 12})
    jobs.run_jobs_now()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "unexpected error" in job.failure
    assert job.checkpoint == {"row": 10}
    jobs.retry_job(users.owner, job)
    jobs.run_jobs_now()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 2
    # rows 11 and 12 ran twice (before the crash and after), everything after the checkpoint once
    assert job.counts["created"] == 22


def test_only_failed_or_stalled_jobs_retry_and_only_by_their_owner(users):
    job = jobs.start_job(users.owner, "tests.count")
    with pytest.raises(Exception, match="failed or stalled"):
        jobs.retry_job(users.owner, job)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    job.refresh_from_db()
    assert jobs.is_stalled(job)
    with pytest.raises(jobs.PermissionDenied):
        jobs.retry_job(users.other, job)
    jobs.retry_job(users.owner, job)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


@override_settings(ACCORD_MAX_ACTIVE_JOBS_PER_USER=2)
def test_a_user_cannot_start_unlimited_heavy_jobs(users):
    jobs.start_job(users.owner, "tests.count")
    jobs.start_job(users.owner, "tests.count")
    with pytest.raises(JobLimitReached):
        jobs.start_job(users.owner, "tests.count")
    jobs.start_job(users.other, "tests.count")  # another user has their own allowance
    jobs.start_job(users.owner, "tests.refuse")  # light jobs are not counted
    jobs.run_jobs_now()
    jobs.start_job(users.owner, "tests.count")  # finished jobs free the allowance


def test_periodic_job_is_started_once_per_period(users):
    jobs.register_periodic("tests.refuse", every=timedelta(minutes=5))
    try:
        first = jobs.start_due_periodic_jobs()
        assert [j.kind for j in first if j.kind == "tests.refuse"] == ["tests.refuse"]
        again = jobs.start_due_periodic_jobs()
        assert not [j for j in again if j.kind == "tests.refuse"]
        PeriodicSchedule.objects.filter(kind="tests.refuse").update(
            next_run_at=timezone.now() - timedelta(seconds=1)
        )
        assert [j for j in jobs.start_due_periodic_jobs() if j.kind == "tests.refuse"]
    finally:
        jobs._periodic.pop("tests.refuse")


def test_pages_show_progress_retry_and_download_to_the_owner_only(users, client):
    job = jobs.start_job(users.owner, "tests.count", params={"rows": 3}, label="people.csv")
    client.force_login(users.owner)
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert b'hx-trigger="every 1s"' in page.content  # polls while queued
    assert b'role="status"' in page.content
    jobs.run_jobs_now()
    progress = client.get(reverse("core:job_progress", args=[job.pk]))
    assert b"every 1s" not in progress.content  # stops polling when finished
    assert b"3 of 3 done" in progress.content
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"a,b\n1,2\n"
    listing = client.get(reverse("core:job_list"), {"q": "people"})
    assert b"people.csv" in listing.content
    client.force_login(users.other)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    assert b"people.csv" not in client.get(reverse("core:job_list")).content
    client.force_login(users.admin)
    assert client.get(job.get_absolute_url()).status_code == 200


def test_retry_button_on_a_failed_job(users, client):
    job = jobs.start_job(users.owner, "tests.count", params={"rows": 10, "crash_at": 7})
    jobs.run_jobs_now()
    client.force_login(users.owner)
    page = client.get(job.get_absolute_url())
    assert b"Retry" in page.content
    response = client.post(reverse("core:job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_api_lists_own_jobs_and_retries(users):
    job = jobs.start_job(users.owner, "tests.refuse", label="bad.csv")
    jobs.start_job(users.other, "tests.refuse", label="theirs.csv")
    jobs.run_jobs_now()
    api = APIClient()
    api.force_authenticate(users.owner)
    listing = api.get("/api/jobs/jobs/").json()
    assert [j["label"] for j in listing["results"]] == ["bad.csv"]
    detail = api.get(f"/api/jobs/jobs/{job.pk}/").json()
    assert detail["status"] == "failed" and detail["failure"] == "The file is not a CSV file."
    retried = api.post(f"/api/jobs/jobs/{job.pk}/retry/")
    assert retried.status_code == 200 and retried.json()["status"] == "queued"
    again = api.post(f"/api/jobs/jobs/{job.pk}/retry/")
    assert again.status_code == 400
    api.force_authenticate(users.other)
    assert api.get(f"/api/jobs/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_queued_jobs():
    from django.core.management import call_command

    users = make_users()
    job = jobs.start_job(users.owner, "tests.count", params={"rows": 7})
    call_command("accord_worker", "--batch", "--verbosity", "0")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.done == 7


def test_data_hub_lists_the_data_pages_and_recent_jobs(users, client):
    jobs.start_job(users.owner, "tests.count", label="kunden.csv")
    client.force_login(users.owner)
    page = client.get(reverse("core:data_hub"))
    assert page.status_code == 200
    assert reverse("core:job_list").encode() in page.content
    assert b"kunden.csv" in page.content
    home = client.get(reverse("today"))
    assert reverse("core:data_hub").encode() in home.content  # one main-menu entry


def test_counts_are_shown_with_translated_names(users, client):
    from django.utils import translation

    job = jobs.start_job(users.owner, "tests.count", params={"rows": 2})
    jobs.run_jobs_now()
    job.refresh_from_db()
    assert job.labelled_counts == [("Created", 2)]
    with translation.override("de"):
        assert job.labelled_counts == [("Angelegt", 2)]
