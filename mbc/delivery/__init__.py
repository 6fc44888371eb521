"""Getting the right link to the right client at the right time, once: plans, the outbox,
SMS through Twilio, email through SMTP, reminders, quiet hours and opt-outs."""
