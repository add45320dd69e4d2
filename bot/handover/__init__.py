"""Live handover to school staff (issue 21): opening hours, the queue, the message box.

- `bot.handover.hours`: `OpeningHours` and `HandoverSettings` (school.yml section `handover:`,
  parsed and validated by bot/school.py).
- `bot.handover.store`: `HandoverStore`, the queue, transcripts, left messages and staff accounts
  in the conversation database (the tracker store's SQLAlchemy URL).
- `bot.handover.service`: the rules (queue or message box), the message box's questions, the texts
  users read (Dutch and English), and `Relay`, which carries staff messages between processes.
- `bot.handover.console` (the staff console) builds on these.

Rasa-free, like bot/school.py: the tools, the report and the tests import it without Rasa.
"""
