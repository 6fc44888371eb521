"""Alerts that close the loop: raised with the response, notified, acknowledged, escalated."""
