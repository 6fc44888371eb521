"""Staff retention and time off: employment dates, reasons for leaving, leave taken."""
