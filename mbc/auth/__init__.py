"""Staff users, roles, sign-in, throttling, idle time-out and the one access rule."""
