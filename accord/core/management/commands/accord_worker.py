"""`accord worker`: run background jobs from the database queue and start periodic jobs.

Several workers may run at once (on PostgreSQL they claim tasks with SELECT … FOR UPDATE SKIP
LOCKED); each also checks the periodic schedule, which one conditional UPDATE hands to one of them.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from accord.core.jobs import start_due_periodic_jobs

logger = logging.getLogger("accord.worker")


class Command(BaseCommand):
    help = "Run background jobs (imports, exports, mail sync, webhooks) and periodic jobs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--queues", default="*", help="comma-separated queues, * for all")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued now, then exit"
        )
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--no-periodic", action="store_true", help="do not start periodic jobs")
        parser.add_argument(
            "--periodic-interval", type=float, default=30.0, help="seconds between checks"
        )

    def handle(self, *args, **options) -> None:
        logging.basicConfig(
            level=logging.INFO if options["verbosity"] >= 1 else logging.WARNING,
            format="%(asctime)s %(name)s %(levelname)s %(message)s",
        )
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        stop = threading.Event()
        scheduler = None
        if not options["no_periodic"] and not options["batch"]:
            scheduler = threading.Thread(
                target=self._periodic_loop,
                args=(stop, options["periodic_interval"]),
                name="accord-periodic",
                daemon=True,
            )
            scheduler.start()
        worker = Worker(
            queue_names=options["queues"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.stdout.write(f"Accord worker {worker_id} is running (stop it with Ctrl+C).")
        try:
            worker.configure_signals()
            worker.run()
        finally:
            stop.set()

    def _periodic_loop(self, stop: threading.Event, interval: float) -> None:
        while not stop.is_set():
            try:
                close_old_connections()
                for job in start_due_periodic_jobs():
                    logger.info("Started periodic job %s (%s)", job.pk, job.kind)
            except Exception:
                logger.exception("Could not start periodic jobs")
            finally:
                connection.close()
            stop.wait(interval)
