"""Starting a test's own assistant with both servers at once.

`Assistant.start_actions().start_rasa()` waits for the action server before it launches Rasa;
Rasa does not call the action server until a conversation needs an action, so the tests
launch both and then wait for each: on two cores their start-ups overlap (each start of the
servers is most of a test module's time).
"""
from __future__ import annotations

from tools.launcher import ACTIONS_START_SECONDS, RASA_START_SECONDS, Assistant, wait_until_up


def start_both(assistant: Assistant) -> Assistant:
    """Launch the action server and Rasa together; return once both answer."""
    actions, rasa = assistant.launch_actions(), assistant.launch_rasa()
    wait_until_up(f"http://127.0.0.1:{assistant.action_port}/health", actions, ACTIONS_START_SECONDS,
                  assistant.actions_log_path)
    wait_until_up(f"{assistant.rasa_url}/", rasa, RASA_START_SECONDS, assistant.rasa_log_path)
    return assistant
