"""Fuzzing munitag: generated texts through the library invariants, hostile files through the CLI."""
