"""The practice: its settings (name, contact, time zone, language) and its teams."""
