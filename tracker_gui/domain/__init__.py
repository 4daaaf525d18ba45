"""Pure-Python domain: dataclasses, enums, workflow rules, rank keys, validation."""
