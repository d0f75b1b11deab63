"""Python tooling of the ntp_poverty warehouse: number parsing, seed validation, provenance."""
