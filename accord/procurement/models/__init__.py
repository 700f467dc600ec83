"""Models of the procurement app, one module per area; each is imported here."""

# ruff: noqa: F401
from .budgets import Budget, BudgetPeriod
from .purchases import (
    Delivery,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
)
from .scorecards import (
    CriterionCode,
    ScorecardCriterion,
    ScorecardStanding,
    ScorePeriod,
    StandingAction,
    SupplierScore,
)
from .suppliers import (
    KraljicClass,
    QualificationAnswer,
    QualificationQuestion,
    QualificationStatus,
    SupplierDocument,
    SupplierDocumentKind,
    SupplierProfile,
    SupplyCategory,
)
