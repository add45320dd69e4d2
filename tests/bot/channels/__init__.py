"""Slack and Teams channels: unit tests and tests against a running Rasa server."""
