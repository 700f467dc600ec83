"""Writes to the graph of parties: organizations, people with their positions, addresses and numbers,
relationships and tags.

Each function is keyword-only and one transaction. Pages, API, imports and the demo loader call these;
none of them calls `Model.save()` itself. Two rules live here and nowhere else:

* an organization's roles arrive as a list (`roles=["client", "supplier"]`) and are stored as the
  `is_<role>` booleans (`organizations.py`);
* a person's `organization`, `job_title` and `email` are copies of the primary current position and the
  primary address, refreshed by `_refresh_person_summary` after every change to either (`people.py`);
* an address another person already has is refused unless confirmed (`check_duplicate_email`);
* merging two people or two organizations carries every related record to the survivor (`merge.py`).
"""

from .merge import MergePlan, MergeResult, merge_plan, party_merge
from .organizations import (
    organization_archive,
    organization_create,
    organization_delete,
    organization_unarchive,
    organization_update,
)
from .people import (
    DUPLICATE_EMAIL,
    _refresh_person_summary,
    check_duplicate_email,
    person_archive,
    person_create,
    person_delete,
    person_email_add,
    person_email_create,
    person_email_remove,
    person_email_set_primary,
    person_email_update,
    person_phone_add,
    person_phone_create,
    person_phone_remove,
    person_phone_update,
    person_unarchive,
    person_update,
    position_create,
    position_delete,
    position_update,
)
from .relationships import relationship_create, relationship_delete, relationship_update
from .tags import resolve_tags, tag_create, tag_delete, tag_update

__all__ = [
    "DUPLICATE_EMAIL",
    "MergePlan",
    "MergeResult",
    "check_duplicate_email",
    "merge_plan",
    "party_merge",
    "_refresh_person_summary",
    "organization_archive",
    "organization_create",
    "organization_delete",
    "organization_unarchive",
    "organization_update",
    "person_archive",
    "person_create",
    "person_delete",
    "person_email_add",
    "person_email_create",
    "person_email_remove",
    "person_email_set_primary",
    "person_email_update",
    "person_phone_add",
    "person_phone_create",
    "person_phone_remove",
    "person_phone_update",
    "person_unarchive",
    "person_update",
    "position_create",
    "position_delete",
    "position_update",
    "relationship_create",
    "relationship_delete",
    "relationship_update",
    "resolve_tags",
    "tag_create",
    "tag_delete",
    "tag_update",
]
