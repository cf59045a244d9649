"""The munitag benchmark (see README.md)."""
