"""Unit tests: domain, storage and services, on both backends."""
