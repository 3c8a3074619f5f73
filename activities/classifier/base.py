"""The classifier interface: rules today, a model later, same contract."""

from decimal import Decimal
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from domain.complaints import Classification
from domain.taxonomy import CustomerTier, DesiredOutcome


class ClassifierContext(BaseModel):
    """What a classifier knows besides the complaint's text."""

    model_config = ConfigDict(frozen=True)

    paid_amount: Decimal | None = None
    customer_tier: CustomerTier = CustomerTier.REGULAR
    # Complaints this customer opened in the policy's repeat window, not counting this one.
    prior_complaints: int = Field(default=0, ge=0)
    desired_outcome: DesiredOutcome | None = None


class Classifier(Protocol):
    def classify(self, text: str, context: ClassifierContext) -> Classification:
        """Returns the complaint's category, sub-category, tier and why."""
        ...
