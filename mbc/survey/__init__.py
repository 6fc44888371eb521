"""The client-facing blueprint: check-in pages reached through a tokenised link, no sign-in."""
