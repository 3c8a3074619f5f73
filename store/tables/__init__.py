"""SQLModel tables; importing this package registers all of them on the metadata."""
