"""The values and helpers every stage shares: model, errors, clock, strings, addresses, guarded input files."""
