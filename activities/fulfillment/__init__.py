"""Fulfillment: replacement shipments through a `FulfillmentProvider`.

Its activities run beside the payment ones, on the providers' task queue, so that a slow
warehouse cannot starve complaint workflows. Importing this package pulls in no provider.
"""
