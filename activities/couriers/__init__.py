"""Couriers: return labels, doorstep pickups, outbound shipments, traces and claims
through a `CourierProvider`.

Courier activities run on a task queue of their own (`domain.returns.couriers_task_queue`).
Importing this package pulls in no provider implementation.
"""
