"""Production chat channels (Slack, Microsoft Teams), configured only from the environment."""
