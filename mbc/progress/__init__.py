"""Clients who see their own progress: who may (a practice setting and the clinician's switch
per client), what they see (their own scores over time, in plain words), how they reach it
(their current check-in link, or a progress link the clinician sends) and the audit of each view.
"""
