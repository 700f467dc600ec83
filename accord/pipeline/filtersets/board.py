"""The board's filters: those of the opportunity list, without pipeline, stage and status (the
board shows one pipeline, a column per stage) nor the report filters."""

from __future__ import annotations

from .opportunities import OpportunityFilterSet

NOT_ON_THE_BOARD = ("pipeline", "stage", "status", "closed_after", "in_stage_before")


class OpportunityBoardFilterSet(OpportunityFilterSet):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in NOT_ON_THE_BOARD:
            self.filters.pop(name, None)

    class Meta(OpportunityFilterSet.Meta):
        pass
