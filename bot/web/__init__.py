"""The web chat: a Rasa input channel that also serves the chat page."""
