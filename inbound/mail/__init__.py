"""The inbound mail gateway: mail to the support address opens complaints, replies continue
them, bounces mark Redress's own mail failed (docs/operations.md, "E-mail")."""
