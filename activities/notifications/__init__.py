"""Notifications: messages to customers and staff through a `NotificationProvider`."""
