"""Payments: refunds, coupons and store credit through a `PaymentsProvider`.

Payment activities run on the providers' task queue (`domain.complaints.providers_task_queue`)
so that a slow provider cannot starve the rest of Redress. Importing this package pulls in
no provider implementation.
"""
