"""Models of the contracts app, one module per area; each is imported here."""

from .commitments import Commitment, CommitmentKind, CommitmentSide, CommitmentStatus  # noqa: F401
from .contracts import (  # noqa: F401,E501
    Contract,
    ContractDocument,
    ContractSide,
    ContractStatus,
    ContractType,
    NoticeUnit,
)
from .negotiations import (  # noqa: F401
    Negotiation,
    NegotiationKind,
    NegotiationRound,
    NegotiationStatus,
    OfferedBy,
)
