"""FHIR R4 (4.0.1): resources built from stored data, the read API, and appointments pushed by
the EHR. The builders in this package are pure (dicts in, dicts out); views and the CLI query."""
