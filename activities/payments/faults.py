"""Fault injection for the sandbox payments provider (shared with the other sandboxes)."""

from activities.faults import FaultPlan

__all__ = ["FaultPlan"]
