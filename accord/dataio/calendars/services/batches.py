"""One loop for the card and event imports: blocks read from the file, stored in committed
batches, the checkpoint saved with each batch so a retried job resumes after it."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from accord.core.jobs import JobContext

from ..models import CalendarImport
from ..parsing import Block, iter_blocks

BATCH_SIZE = 100
Outcome = tuple[str, list[tuple[str, str]]]  # ("created" …, [(where, message), …])


def import_blocks(
    ctx: JobContext,
    upload: CalendarImport,
    block_name: str,
    checkpoint_key: str,
    store: Callable[[Block], Outcome],
) -> None:
    """Store every `block_name` block after the checkpoint with `store`, counting its outcome."""
    done_until = int(ctx.checkpoint.get(checkpoint_key, 0))
    batch: list[Block] = []

    def commit(blocks: list[Block]) -> None:
        with transaction.atomic():
            for block in blocks:
                outcome, reports = store(block)
                for where, message in reports:
                    ctx.error(where=where, message=message)
                ctx.advance(1, **{outcome: 1})
            ctx.save_checkpoint({checkpoint_key: blocks[-1].number})

    with upload.file.open("rb") as stream:
        for block in iter_blocks(stream, [block_name]):
            if block.number <= done_until:
                continue
            batch.append(block)
            if len(batch) >= BATCH_SIZE:
                commit(batch)
                batch = []
        if batch:
            commit(batch)
