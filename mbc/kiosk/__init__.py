"""Kiosk mode: an enrolled practice tablet on which a client answers their check-in with a
6-digit code, and which keeps nothing of the client once they are done (see README)."""
