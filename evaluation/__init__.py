"""Measures Redress's classifier and mention detector on the public labelled data in
`../shared/data` (read in place, never copied into the repository)."""
