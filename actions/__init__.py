"""rasa-sdk actions: thin wrappers that reach knowledge only through `bot.knowledge`."""
