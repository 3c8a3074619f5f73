"""The classify_complaint activity: reads the intake, asks the classifier, returns its verdict."""

from collections.abc import Callable

from temporalio import activity

from activities.classifier import Classifier, ClassifierContext
from domain.complaints import Classification, ClassifyInput

# (customer_id, exclude_complaint_id) -> how many complaints that customer opened within
# SEVERITY.repeat_window_days, leaving out `exclude_complaint_id`. The workflow may have
# stored the current complaint before classifying it, or not yet; excluding it by id
# counts it never, whichever happened, and a retried activity counts the same.
PriorComplaintCounter = Callable[[str, str], int]


class ClassifyActivities:
    """Classifies complaints; built once in the worker with its classifier and store query."""

    def __init__(self, classifier: Classifier, prior_complaints: PriorComplaintCounter) -> None:
        self._classifier = classifier
        self._prior_complaints = prior_complaints

    # Synchronous because the store is: the worker runs it on its activity thread pool.
    @activity.defn(name="classify_complaint")
    def classify_complaint(self, request: ClassifyInput) -> Classification:
        """Returns the complaint's category, sub-category, tier, confidence and reasons."""
        intake = request.intake
        context = ClassifierContext(
            paid_amount=intake.order.paid_amount if intake.order else None,
            customer_tier=intake.customer.tier,
            prior_complaints=self._prior_complaints(intake.customer.id, request.complaint_id),
            desired_outcome=intake.desired_outcome,
        )
        # Evidence URLs are links to photos, not words the customer wrote.
        return self._classifier.classify(intake.description, context)
