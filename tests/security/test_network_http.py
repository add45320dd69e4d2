"""The network-facing findings of the review, played against the real servers.

4. X-Forwarded-For was trusted from any loopback peer: a spoofed header got a bucket of its
   own, or emptied another address's bucket.
5. The kiosk's QR code was drawn from the request's Host on every request: a long Host
   held the event loop, a longer one gave a 500.
6. Public endpoints said too much: the health report's error texts and database path, and
   Rasa's version at `GET /`.
8. The scale-out nginx logged the web chat's session id (query string) and the REST sender.

Each test sends what an attacker would send, in the `attacked` style of
tests/security/test_attacks_http.py: a 4xx or an ordinary answer, within a second, and the
server lives on. The servers run without TRUSTED_PROXIES, as `make run` does.
"""
from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, Iterator, Optional

import pytest
import rasa
import requests
from requests.adapters import HTTPAdapter

from bot import PROJECT_DIR
from tests.security.test_attacks_http import ORDINARY_QUESTION, attacked
from tools.launcher import free_port

pytestmark = pytest.mark.slow

FLOOD_LIMIT = 5_000  # far beyond the per-address burst (300) and what refills while they are sent
PROBE_EVERY = 25
VICTIM_MESSAGES = 10
VICTIM = "127.0.0.2"  # on Linux every 127/8 address is this machine, so a second client


class SourceAddress(HTTPAdapter):
    """Requests sent from `address` (a second client on this machine)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_at(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddress(address))
    return session


def non_loopback_address() -> Optional[str]:
    """An address of this machine that is not loopback (a peer the server sees as remote)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the route
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def flood(servers: Dict[str, str], forwarded_for: Callable[[int], str], sender: str = "") -> Optional[int]:
    """Send messages of one conversation, each claiming `forwarded_for(n)`, until a new
    conversation claiming the same is refused: the address bucket they are charged to is
    empty. The number of messages sent then, or None.

    After its first 20 the conversation's own limit refuses them, so they are cheap (no NLU)
    and come faster than the address bucket refills; the address is charged first."""
    sender = sender or uuid.uuid4().hex
    with requests.Session() as session:
        for n in range(FLOOD_LIMIT):
            claimed = {"X-Forwarded-For": forwarded_for(n)}
            session.post(servers["rest_webhook"], json={"sender": sender, "message": "hoi"}, headers=claimed,
                         timeout=30)
            if n % PROBE_EVERY == PROBE_EVERY - 1:
                probe = session.post(servers["rest_webhook"], json={"sender": uuid.uuid4().hex, "message": "hoi"},
                                     headers=claimed, timeout=30)
                if probe.status_code == 429:
                    return n
                assert probe.status_code == 200, probe.text[:200]
    return None


# 4. X-Forwarded-For trusted from any loopback peer.
def test_a_spoofed_forwarded_for_from_loopback_gets_no_bucket_of_its_own(live_servers):
    refused_at = flood(live_servers, lambda n: f"198.51.{n // 250}.{n % 250 + 1}")  # a new "address" each time
    assert refused_at is not None, f"{FLOOD_LIMIT} messages with spoofed addresses, none refused"
    print(f"\nspoofed addresses: refused after {refused_at} messages")


@contextlib.contextmanager
def flooding(servers: Dict[str, str], claimed: str, sender: str, threads: int = 4) -> Iterator[None]:
    """Messages of one conversation, claiming `claimed`, sent without pause until the block ends:
    the bucket they are charged to stays empty meanwhile. `sender`'s own bucket must be empty
    already (a `flood`), so none of them reaches the NLU and holds up the server."""
    stop = threading.Event()

    def send() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                session.post(servers["rest_webhook"], json={"sender": sender, "message": "hoi"},
                             headers={"X-Forwarded-For": claimed}, timeout=30)

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        time.sleep(0.2)  # under way, the bucket at nought
        yield
    finally:
        stop.set()
        for worker in workers:
            worker.join()


def test_a_spoofed_forwarded_for_cannot_lock_out_another_address(live_servers):
    attacker = uuid.uuid4().hex
    assert flood(live_servers, lambda n: VICTIM, attacker) is not None  # the bucket the claims are charged to is empty

    with client_at(VICTIM) as victim:
        with flooding(live_servers, VICTIM, attacker):  # ...and kept empty while the victim asks
            statuses = [victim.post(live_servers["rest_webhook"], json={"sender": uuid.uuid4().hex, "message": "hoi"},
                                    timeout=30).status_code for _ in range(VICTIM_MESSAGES)]
        assert statuses == [200] * VICTIM_MESSAGES, f"the address the attacker named was locked out: {statuses}"
        time.sleep(0.1)  # the attacker's own bucket refills before `attacked` asks from this machine
        attacked(live_servers, lambda: victim.post(
            live_servers["rest_webhook"], json={"sender": uuid.uuid4().hex, "message": ORDINARY_QUESTION}, timeout=30))


# 5. The QR code from any Host, on every request.
def qr_with_host(servers: Dict[str, str], host: str) -> requests.Response:
    return requests.get(f"{servers['rasa_url']}/webhooks/webchat/qr.svg", headers={"Host": host}, timeout=30)


@pytest.mark.parametrize("host", ["a" * 2_200 + ".nl", "a" * 3_000 + ".nl", "evil.example", "evil.example:5005",
                                  "127.0.0.1:1@evil.example", "localhost.evil.example"],
                         ids=["2.2kB", "3kB", "unknown", "unknown-port", "userinfo", "localhost-prefix"])
def test_the_qr_code_is_drawn_for_no_unknown_or_overlong_host(live_servers, host):
    timed: Dict[str, float] = {}

    def send() -> requests.Response:
        started = time.perf_counter()
        reply = qr_with_host(live_servers, host)
        timed["seconds"] = time.perf_counter() - started
        return reply

    response = attacked(live_servers, send)
    print(f"\nHost of {len(host)} characters: {response.status_code} after {timed['seconds']:.3f} s")
    assert response.status_code == 400 and "QR-code" in response.text
    assert "evil" not in response.text


def test_the_kiosk_still_shows_its_qr_code(live_servers):
    port = live_servers["rasa_url"].rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        first, again = qr_with_host(live_servers, host), qr_with_host(live_servers, host)
        assert first.status_code == 200 and first.headers["content-type"].startswith("image/svg+xml")
        assert again.content == first.content


# 6. Public endpoints said too much.
def test_the_root_does_not_name_the_rasa_version(live_servers):
    response = attacked(live_servers, lambda: requests.get(f"{live_servers['rasa_url']}/", timeout=10))
    assert response.status_code == 200 and rasa.__version__ not in response.text


def health_from(servers: Dict[str, str], session: requests.Session, **headers: str) -> requests.Response:
    return session.get(f"{servers['rasa_url']}/webhooks/health/", headers=headers, timeout=10)


def assert_public(report: Dict) -> None:
    parts = {name: value for name, value in report.items() if name != "status"}
    assert parts and all(value == {"ok": value["ok"]} for value in parts.values()), report


def test_health_from_elsewhere_says_ok_or_not_per_part_and_nothing_more(live_servers):
    # A proxy on this machine relaying a remote client: the peer is loopback, but the request is not local.
    with requests.Session() as session:
        relayed = attacked(live_servers, lambda: health_from(live_servers, session, **{"X-Forwarded-For": "203.0.113.7"}))
    assert_public(relayed.json())
    assert "database" not in relayed.text and "conversations.db" not in relayed.text
    remote = non_loopback_address()
    if remote is not None:  # a peer that is really not loopback
        url = live_servers["rasa_url"].replace("127.0.0.1", remote)
        with client_at(remote) as session:
            assert_public(health_from({"rasa_url": url}, session).json())


def test_health_from_this_machine_keeps_its_detail(live_servers):
    with requests.Session() as session:
        report = health_from(live_servers, session).json()
    assert report["status"] == "ok" and "database" in report["conversation_store"]


# 8. The scale-out nginx access log.
@pytest.fixture(scope="module")
def nginx_in_front(live_servers, tmp_path_factory) -> Iterator[Dict[str, object]]:
    """nginx with the scale-out profile's shared configuration, in front of the live Rasa server."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx is not installed (scripts/install-test-tools)")
    scaled = PROJECT_DIR / "deploy" / "scaled"
    directory = tmp_path_factory.mktemp("nginx")
    port = free_port()
    rasa_port = live_servers["rasa_url"].rsplit(":", 1)[1]
    config = directory / "nginx.conf"
    config.write_text(f"""
worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 64; }}
http {{
  client_body_temp_path {directory}/body;
  proxy_temp_path {directory}/proxy;
  fastcgi_temp_path {directory}/fastcgi;
  uwsgi_temp_path {directory}/uwsgi;
  scgi_temp_path {directory}/scgi;
  include {scaled}/nginx-http.conf;
  access_log {directory}/access.log privacy;
  upstream rasa {{
    hash $conversation consistent;
    server 127.0.0.1:{rasa_port};
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://rasa;
      include {scaled}/nginx-proxy.conf;
    }}
  }}
}}
""")
    assert subprocess.run([binary, "-t", "-q", "-e", str(directory / "error.log"), "-c", str(config)],
                          capture_output=True, text=True).returncode == 0, (directory / "error.log").read_text()
    process = subprocess.Popen([binary, "-e", str(directory / "error.log"), "-c", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{url}/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield {"url": url, "access_log": directory / "access.log"}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_scale_out_profile_uses_the_shared_nginx_configuration():
    script = (PROJECT_DIR / "scripts" / "run-scaled").read_text()
    assert "deploy/scaled/nginx-http.conf" in script and "deploy/scaled/nginx-proxy.conf" in script
    assert re.search(r"access_log \S+ privacy;", script)
    assert "TRUSTED_PROXIES" in script


def test_the_nginx_access_log_holds_no_session_id_and_no_sender(nginx_in_front, live_servers):
    url, log = nginx_in_front["url"], nginx_in_front["access_log"]
    session_id, sender = f"sessie{uuid.uuid4().hex}", f"afzender{uuid.uuid4().hex}"
    servers = {**live_servers, "rest_webhook": f"{url}/webhooks/rest/webhook"}
    attacked(servers, lambda: requests.post(f"{url}/webhooks/rest/webhook?sender={sender}", timeout=30,
                                            json={"sender": sender, "message": ORDINARY_QUESTION}))
    requests.get(f"{url}/socket.io/?EIO=4&transport=polling&session_id={session_id}", timeout=10)
    requests.get(f"{url}/webhooks/webchat/chat?session_id={session_id}", timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and log.read_text().count("\n") < 3:
        time.sleep(0.1)
    written = log.read_text()
    assert "/webhooks/rest/webhook" in written and "/socket.io/" in written  # requests are logged...
    assert session_id not in written and sender not in written and "?" not in written  # ...without what identifies them
