"""One simulated school day with staff in the chat, driven through the running assistant, and the
handover figures `make report` makes of it.

    .venv/bin/python -m tools.handover_day            # about 3 minutes on 2 cores
    .venv/bin/python -m tools.handover_day --keep     # keep the temporary directory (logs, database)

Starts the action server and Rasa as the tests do (tools/launcher.py `Assistant`), in a temporary
directory with their own SQLite database and a school.yml of their own (SCHOOL_SETTINGS), and
talks to them only over their real APIs: students over REST and the web chat's socket.io, a staff
member through the console's sign-in form and JSON API (bot/handover/console.py). Then it runs
`make report`'s command (`python -m bot.report`) on that database and prints the page's handover part.

The code has no clock to set (every `now=` is for tests in process), so the day runs in real time,
compressed: the school.yml is open 08:30-17:00 every day in a time zone where it is now about
noon, with a wait limit of 1 minute (the least school.yml allows; the expiry runs every 15 s).
For the evening both servers restart with the same hours in a zone where it is about 19:00.

The day:
- Bram asks "kan ik iemand bellen", joins the queue and waits: nobody takes him; after the wait
  limit he hears so and leaves a message (question, e-mail address, consent).
- Sanne (web chat) asks for a person; Anne of the student desk signs in to the console, takes her,
  replies with her own work address (it reaches Sanne as written), and hands her back to the bot.
- Daan (REST) says "mens", is taken, gets Anne's reply with his next request, and is handed back.
- Noor writes two messages the bot cannot help with; the bot offers a person, she joins the queue
  and leaves it herself.
- Lotte (REST) asks a little later and is taken after a longer wait.
- In the evening Femke asks for a person: nobody is there, she leaves a message.
"""
from __future__ import annotations

import argparse
import html.parser
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
import yaml

from bot import PROJECT_DIR
from bot.handover.service import EXPIRY_INTERVAL_SECONDS
from tools.launcher import Assistant

STAFF_PATH = "/webhooks/staff"
STAFF_PASSWORD = "een-lang-wachtwoord-voor-de-simulatie"
WAIT_LIMIT_MINUTES = 1
READY_SECONDS = 180
# Anne's own work address and number: the student must get them as written (docs/privacy.md).
STAFF_CONTACT_REPLY = ("Hoi Sanne, ik ben Anne van het studentenloket. Overstappen van BOL naar BBL kan tot "
                       "1 februari. Mail gerust naar a.devries@rocteststad.nl of bel 030 123 4567.")


def log(line: str) -> None:
    print(f"{datetime.now():%H:%M:%S}  {line}", flush=True)


def short(text: str, length: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[:length - 1] + "…"


# --- the school's clock ------------------------------------------------------------------------

def zone_where_it_is(hour: int, now: Optional[datetime] = None) -> str:
    """A fixed-offset zone (Etc/GMT±N) in which the time is now `hour`:xx."""
    utc_hour = (now or datetime.now(timezone.utc)).hour
    offset = (hour - utc_hour + 12) % 24 - 12  # -12 … 11 hours from UTC
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"  # POSIX signs


def write_school(path: Path, zone: str) -> Path:
    """A school.yml open 08:30-17:00 every day in `zone`, with a short wait limit."""
    hours = {day: "08:30-17:00" for day in ("ma", "di", "wo", "do", "vr", "za", "zo")}
    settings = {"name": "ROC Teststad", "contact": {"email": "studentenloket@rocteststad.nl"},
                "handover": {"timezone": zone, "hours": hours, "wait_limit_minutes": WAIT_LIMIT_MINUTES,
                             "user_idle_minutes": 10, "staff_idle_minutes": 10, "message_retention_days": 30}}
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


# --- the people ----------------------------------------------------------------------------------

def texts(replies: List[Dict[str, Any]]) -> List[str]:
    return [r["text"] for r in replies if r.get("text")]


def payloads(replies: List[Dict[str, Any]]) -> List[str]:
    return [b.get("payload") for r in replies for b in (r.get("buttons") or r.get("quick_replies") or [])]


class RestStudent:
    """A student on the school's website, over REST: staff replies come with the next request."""

    def __init__(self, name: str, base_url: str) -> None:
        self.name = name
        self.url = f"{base_url}/webhooks/rest/webhook"
        self.sender = f"{name.lower()}-{uuid.uuid4().hex[:8]}"

    def say(self, message: str) -> List[Dict[str, Any]]:
        reply = requests.post(self.url, json={"sender": self.sender, "message": message}, timeout=60)
        reply.raise_for_status()
        replies = reply.json()
        log(f"{self.name} (REST): {message!r}")
        for shown in replies:
            if shown.get("text"):
                speaker = {"staff": "Medewerker", "system": "melding"}.get(shown.get("sender"), "Vragenbot")
                log(f"    {speaker}: {short(shown['text'])}")
        return replies


class WebStudent:
    """A student in the web chat, over its socket.io connection, as chat.js speaks it."""

    def __init__(self, name: str, base_url: str) -> None:
        import socketio

        self.name, self.base_url = name, base_url
        self.session_id = requests.get(f"{base_url}/webhooks/webchat/session", timeout=10).json()["session_id"]
        self.client = socketio.Client(reconnection=False)
        self.replies: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        confirmed: "queue.Queue[str]" = queue.Queue()
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", confirmed.put)
        self.client.connect(base_url, socketio_path="/socket.io", wait_timeout=10)
        self.client.emit("session_request", {"session_id": self.session_id})
        confirmed.get(timeout=10)

    def say(self, message: str, answer_expected: bool = True) -> List[Dict[str, Any]]:
        log(f"{self.name} (webchat): {message!r}")
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id, "lang": "nl"})
        replies: List[Dict[str, Any]] = []
        wait = 30.0 if answer_expected else 1.5
        while True:
            try:
                replies.append(self.replies.get(timeout=wait))
            except queue.Empty:
                break
            wait = 1.0
        for shown in replies:
            self._show(shown)
        return replies

    def next_live(self, timeout: float = 30) -> Dict[str, Any]:
        """The next message of the transcript that arrives by itself (a staff reply, a notice); a
        new place in the queue, which has no number in the transcript, is shown and passed over."""
        while True:
            shown = self.replies.get(timeout=timeout)
            self._show(shown, live=True)
            if shown.get("id"):
                return shown

    def _show(self, shown: Dict[str, Any], live: bool = False) -> None:
        speaker = "Medewerker" if shown.get("sender") == "staff" else "Vragenbot"
        log(f"    {speaker}{' (live)' if live else ''}: {short(shown.get('text', ''))}")

    def close(self) -> None:
        self.client.disconnect()


class StaffMember:
    """A staff member in the console: the sign-in form, then the JSON API with the page's CSRF token."""

    def __init__(self, base_url: str, username: str) -> None:
        self.base = base_url + STAFF_PATH
        self.username = username
        self.http = requests.Session()
        self.csrf = ""

    def sign_in(self) -> "StaffMember":
        form = self.http.get(f"{self.base}/signin", timeout=10)
        token = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)
        signed = self.http.post(f"{self.base}/signin", data={"form_token": token, "username": self.username,
                                                             "password": STAFF_PASSWORD},
                                allow_redirects=False, timeout=30)
        if signed.status_code != 303:
            raise RuntimeError(f"signing in failed: {signed.status_code} {signed.text[:300]}")
        page = self.http.get(f"{self.base}/console", timeout=10)
        self.csrf = re.search(r'data-csrf-token="([^"]+)"', page.text).group(1)
        log(f"Anne signs in to the console ({self.base}/console)")
        return self

    def get(self, path: str) -> Any:
        reply = self.http.get(f"{self.base}{path}", timeout=10)
        reply.raise_for_status()
        return reply.json()

    def post(self, path: str, body: Optional[dict] = None) -> Any:
        reply = self.http.post(f"{self.base}{path}", json=body or {}, headers={"X-CSRF-Token": self.csrf}, timeout=10)
        reply.raise_for_status()
        return reply.json()

    def active(self) -> List[dict]:
        return self.get("/api/handovers")["handovers"]

    def find_waiting(self, written: str, timeout: float = 20) -> int:
        """The waiting conversation in which the student wrote `written` (the console shows no ids of students)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for handover in self.active():
                if handover["state"] == "waiting" and any(
                        m["sender"] == "user" and m["text"] == written
                        for m in self.get(f"/api/handovers/{handover['id']}")["messages"]):
                    return int(handover["id"])
            time.sleep(0.5)
        raise RuntimeError(f"no waiting conversation in which the student wrote {written!r}")

    def take(self, handover_id: int) -> None:
        self.post(f"/api/handovers/{handover_id}/take")
        log(f"Anne takes conversation {handover_id}")

    def reply(self, handover_id: int, text: str) -> None:
        self.post(f"/api/handovers/{handover_id}/reply", {"text": text})
        log(f"Anne writes in {handover_id}: {short(text)}")

    def hand_back(self, handover_id: int) -> None:
        self.post(f"/api/handovers/{handover_id}/hand-back")
        log(f"Anne hands conversation {handover_id} back to the bot")


def new_staff_account(database: Path, username: str, name: str) -> None:
    """An account in the assistant's database, as `make staff-account` adds one."""
    import sqlalchemy as sa

    from bot.handover.accounts import StaffAccounts
    from bot.handover.store import HandoverStore

    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        StaffAccounts(HandoverStore(engine)).add(username, name, STAFF_PASSWORD)
    finally:
        engine.dispose()


def leave_a_message(student: RestStudent, question: str, contact: str) -> None:
    """The message box, answered: the question, a way to reach them, consent."""
    student.say(question)
    student.say(contact)
    stored = texts(student.say("ja"))
    if not any(text.startswith("Bedankt, je vraag is opgeslagen") for text in stored):
        raise RuntimeError(f"{student.name}'s message was not stored: {stored}")


# --- the servers ---------------------------------------------------------------------------------

def start(assistant: Assistant) -> None:
    log("starting the action server and Rasa …")
    assistant.start_actions().start_rasa()
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:  # the model, and with it the handover service, loads after "/" answers
        try:
            if requests.get(f"{assistant.rasa_url}/webhooks/health/ready", timeout=5).ok:
                log(f"ready at {assistant.rasa_url}")
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"Rasa was not ready after {READY_SECONDS} s; see {assistant.rasa_log_path}")


# --- the day -------------------------------------------------------------------------------------

def school_day(base_url: str, staff_username: str) -> None:
    """The day within the hours (the module docstring)."""
    bram = RestStudent("Bram", base_url)
    bram.say("kan ik iemand bellen")
    bram_waits = bram.say("/handover_start")
    if not any("wachtrij" in text for text in texts(bram_waits)):
        raise RuntimeError(f"Bram did not join the queue: {texts(bram_waits)}")
    bram.say("Hallo, ik wil weten wanneer de herkansingen zijn.")
    bram_asked = time.monotonic()

    sanne = WebStudent("Sanne", base_url)
    try:
        offer = sanne.say("ik wil een medewerker spreken")
        if "/handover_start" not in payloads(offer):
            raise RuntimeError(f"no offer of a person for Sanne: {texts(offer)}")
        sanne.say("/handover_start")
        sanne_question = f"Kan ik dit jaar nog van BOL naar BBL? ({marker()})"
        sanne.say(sanne_question, answer_expected=False)

        daan = RestStudent("Daan", base_url)
        daan.say("mens")
        daan.say("/handover_start")
        daan_question = f"Mijn stage is gestopt, wat moet ik nu doen? ({marker()})"
        daan.say(daan_question)

        anne = StaffMember(base_url, staff_username).sign_in()
        sanne_id = anne.find_waiting(sanne_question)
        anne.take(sanne_id)
        sanne.next_live()  # "Een medewerker van de school heeft je gesprek overgenomen."
        anne.reply(sanne_id, STAFF_CONTACT_REPLY)
        if sanne.next_live().get("text") != STAFF_CONTACT_REPLY:
            raise RuntimeError("Sanne got Anne's reply otherwise than Anne wrote it")
        log("    (Sanne got Anne's work address and number as Anne wrote them)")
        sanne.say("Top, dan mail ik je. Dank je!", answer_expected=False)

        daan_id = anne.find_waiting(daan_question)
        anne.take(daan_id)
        anne.reply(daan_id, "Hoi Daan, wat vervelend. Je mentor zoekt met je naar een nieuwe stageplek; "
                            "ik zet het voor je door.")
        anne.hand_back(sanne_id)
        sanne.next_live()  # handed back
        sanne.say("Wat is crebo 25894?")
    finally:
        sanne.close()
    daan.say("Oké, dank je wel!")  # brings the notice that Anne took over, and her reply
    anne.hand_back(daan_id)
    daan.say("Wat is crebo 25894?")  # the hand-back notice, then the bot again

    noor = RestStudent("Noor", base_url)
    noor.say("hoe maak ik pannenkoeken?")
    second = noor.say("ehm dat ding van laatst enzo")
    if "/handover_start" in payloads(second):
        log("    (two misses in a row: the bot offered a person by itself)")
    else:
        log("    (no offer after these two messages; Noor clicks 'Een medewerker spreken')")
        noor.say("/request_human")
    noor.say("/handover_start")
    noor.say("/handover_cancel")  # she leaves the queue herself

    lotte = RestStudent("Lotte", base_url)
    lotte.say("ik wil een medewerker spreken")
    lotte.say("/handover_start")
    lotte_question = f"Kan ik een examen verplaatsen? ({marker()})"
    lotte.say(lotte_question)
    log("Anne is busy for a while …")
    time.sleep(15)
    lotte_id = anne.find_waiting(lotte_question)
    anne.take(lotte_id)
    anne.reply(lotte_id, "Hoi Lotte, dat kan via de examencommissie. Ik stuur je het formulier.")
    lotte.say("Fijn, bedankt!")
    anne.hand_back(lotte_id)

    limit = bram_asked + WAIT_LIMIT_MINUTES * 60 + EXPIRY_INTERVAL_SECONDS + 30
    log(f"nobody takes Bram's conversation; waiting for the wait limit (at most {limit - time.monotonic():.0f} s) …")
    while any(h["state"] == "waiting" for h in anne.active()):
        if time.monotonic() > limit:
            raise RuntimeError("Bram's conversation was not missed in time")
        time.sleep(2)
    missed = bram.say("/handover_leave_message")  # the notice of the miss comes first, then the box
    if not any(text.startswith("Sorry, er was binnen") for text in texts(missed)):
        raise RuntimeError(f"Bram did not hear that nobody was free: {texts(missed)}")
    leave_a_message(bram, "Wanneer zijn de herkansingen van periode 2?", "bram.devries@example.nl")


def marker() -> str:
    """Six letters that make a message one's own, for staff to find it (the console shows no ids)."""
    return uuid.uuid4().hex[:6].translate(str.maketrans("0123456789", "ghijklmnop"))


def evening(base_url: str) -> None:
    femke = RestStudent("Femke", base_url)
    closed = femke.say("ik wil een medewerker spreken")
    if "/handover_leave_message" not in payloads(closed):
        raise RuntimeError(f"Femke was not offered the message box: {texts(closed)}")
    femke.say("/handover_leave_message")
    leave_a_message(femke, "Mag ik een dag later beginnen met mijn BBL-baan?", "06 12345678")


# --- the report ----------------------------------------------------------------------------------

class _Text(html.parser.HTMLParser):
    """An HTML fragment as lines of text: a paragraph or heading a line, a table row cells with " | "."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: List[str] = []
        self.line: List[str] = []
        self.cells: Optional[List[str]] = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self.cells is not None:
            self.lines.append(" | ".join(cell.strip() for cell in self.cells))
            self.cells = None
        elif tag in ("p", "h2", "h3"):
            self.lines.append(" ".join("".join(self.line).split()))
            self.line = []

    def handle_data(self, data: str) -> None:
        if self.cells is not None and self.cells:
            self.cells[-1] += data
        else:
            self.line.append(data)


def handover_part(page: str) -> str:
    """The page's part "Gesprekken met een medewerker", as text ("" when it has none)."""
    start = page.find("<h2>Gesprekken met een medewerker</h2>")
    if start < 0:
        return ""
    end = page.find("</table>", start) + len("</table>")
    reader = _Text()
    reader.feed(page[start:end])
    return "\n".join(reader.lines)


def report(directory: Path, endpoints: Path) -> str:
    """`make report` on the day's database (its very command, `python -m bot.report`); the page's handover part."""
    page = directory / "gebruik.html"
    made = subprocess.run([sys.executable, "-m", "bot.report", "--endpoints", str(endpoints), "--out", str(page)],
                          cwd=PROJECT_DIR, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR),
                                                "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONWARNINGS": "ignore"},
                          capture_output=True, text=True)
    if made.returncode != 0:
        raise RuntimeError(f"make report failed:\n{made.stderr[-3000:]}")
    log(made.stdout.strip())
    return handover_part(page.read_text(encoding="utf-8"))


# --- the whole --------------------------------------------------------------------------------------

def run(directory: Path) -> str:
    school = write_school(directory / "school.yml", zone_where_it_is(12))
    assistant = Assistant(directory, env={"SCHOOL_SETTINGS": str(school)})
    try:
        start(assistant)
        username = "anne"
        new_staff_account(assistant.db_path, username, "Anne de Vries (studentenloket)")
        log("=== the school day (open 08:30-17:00; it is about 12:00 at the school) ===")
        school_day(assistant.rasa_url, username)
        assistant.stop()
        write_school(school, zone_where_it_is(19))
        log("=== the evening (the same hours; it is about 19:00 at the school) ===")
        start(assistant)
        evening(assistant.rasa_url)
    finally:
        assistant.stop()
    log("=== make report on the day's database ===")
    return report(directory, assistant.endpoints)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, database)")
    args = parser.parse_args(argv)
    directory = Path(tempfile.mkdtemp(prefix="handover-day-"))
    try:
        section = run(directory)
    except Exception:
        print(f"The simulated day failed; its logs are in {directory}", file=sys.stderr)
        raise
    print()
    print(section or "(the report has no handover part)")
    if args.keep:
        print(f"\nKept: {directory}")
    else:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
