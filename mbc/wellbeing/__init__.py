"""The anonymous staff wellbeing pulse: WHO-5, the CBI work-related scale and our statements.

Anonymous by construction: a response row holds no staff id and no time but its window, and a
team only when the team is at least ``min_group_size``; who was invited and who answered lives
in ``pulse_participations`` only while the window is open, and goes when it closes.
"""
