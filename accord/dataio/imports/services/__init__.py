"""Writes of the imports app: the steps of an import (`lifecycle`) and running it (`runner`).

The records themselves are written by the domain apps' bulk services
(`accord.parties.services.bulk`, `accord.interactions.services.bulk`), called by the import
pipeline in `engine`.
"""

from .lifecycle import (
    CHECK_JOB,
    RUN_JOB,
    import_create,
    import_delete,
    import_set_decisions,
    import_set_mapping,
    import_start,
    import_start_check,
    opener,
    saved_mapping_delete,
    saved_mapping_save,
)
from .runner import NullProgress, Progress, mark_failed, run_check, run_import

__all__ = [
    "CHECK_JOB",
    "RUN_JOB",
    "NullProgress",
    "Progress",
    "import_create",
    "import_delete",
    "import_set_decisions",
    "import_set_mapping",
    "import_start",
    "import_start_check",
    "mark_failed",
    "opener",
    "run_check",
    "run_import",
    "saved_mapping_delete",
    "saved_mapping_save",
]
