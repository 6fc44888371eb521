"""Clients, their care teams and appointments, and the import from the practice's EHR."""
