"""Fulfillment: replacement shipments through a `FulfillmentProvider`.

Its activities get a task queue of their own, like payments, so that a slow warehouse
cannot starve the rest of Redress. Importing this package pulls in no provider.
"""

FULFILLMENT_TASK_QUEUE = "redress-fulfillment"
