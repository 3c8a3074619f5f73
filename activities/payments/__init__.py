"""Payments: refunds, coupons and store credit through a `PaymentsProvider`.

Payment activities run on a task queue of their own so that a slow provider cannot starve
the rest of Redress. Importing this package pulls in no provider implementation.
"""

PAYMENTS_TASK_QUEUE = "redress-payments"
