"""Supervision as support: supervisors, their supervisees, review pages and agreed goals."""
