"""Writes of the pipeline app: opportunities (with stage history) and their product lines."""

from .lines import (
    opportunity_line_add,
    opportunity_line_create,
    opportunity_line_remove,
    opportunity_line_update,
)
from .opportunities import (
    STALE_VERSION,
    opportunity_create,
    opportunity_delete,
    opportunity_update,
)

__all__ = [
    "STALE_VERSION",
    "opportunity_create",
    "opportunity_delete",
    "opportunity_line_add",
    "opportunity_line_create",
    "opportunity_line_remove",
    "opportunity_line_update",
    "opportunity_update",
]

# --- market signals ---
from .signals import (  # noqa: E402
    market_signal_create,
    market_signal_delete,
    market_signal_to_opportunity,
    market_signal_update,
)

__all__ += [
    "market_signal_create",
    "market_signal_delete",
    "market_signal_to_opportunity",
    "market_signal_update",
]

# --- buying center / competitors ---
from .buying import (  # noqa: E402
    buying_center_member_add,
    buying_center_member_create,
    buying_center_member_remove,
    buying_center_member_update,
    buying_center_take_from_positions,
)
from .competitors import (  # noqa: E402
    account_competitor_add,
    account_competitor_create,
    account_competitor_remove,
    account_competitor_update,
    competitor_profile_create,
    competitor_profile_delete,
    competitor_profile_save,
    competitor_profile_update,
    opportunity_competitor_add,
    opportunity_competitor_create,
    opportunity_competitor_remove,
    opportunity_competitor_update,
    opportunity_lost_to_record,
)

__all__ += [
    "account_competitor_add",
    "account_competitor_create",
    "account_competitor_remove",
    "account_competitor_update",
    "buying_center_member_add",
    "buying_center_member_create",
    "buying_center_member_remove",
    "buying_center_member_update",
    "buying_center_take_from_positions",
    "competitor_profile_create",
    "competitor_profile_delete",
    "competitor_profile_save",
    "competitor_profile_update",
    "opportunity_competitor_add",
    "opportunity_competitor_create",
    "opportunity_competitor_remove",
    "opportunity_competitor_update",
    "opportunity_lost_to_record",
]

# --- targets / forecast ---
from .targets import (  # noqa: E402
    revenue_target_create,
    revenue_target_delete,
    revenue_target_update,
)

__all__ += ["revenue_target_create", "revenue_target_delete", "revenue_target_update"]
