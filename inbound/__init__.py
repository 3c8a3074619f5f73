"""What comes into Redress from outside: e-mail (`inbound.mail`)."""
