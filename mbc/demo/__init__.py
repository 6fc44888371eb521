"""Demo data so a newcomer can click through every page."""
