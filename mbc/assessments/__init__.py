"""Check-ins, assignments, responses and alerts: the glue of clients, instruments and scores."""
