"""The staff console behind the scale-out profile's nginx (deploy/scaled/nginx-http.conf and
nginx-proxy.conf, as scripts/run-scaled includes them): the sign-in cookie is Secure when the
staff member's browser came over HTTPS, which only nginx knows; it says so in X-Forwarded-Proto,
and the console believes that only from a proxy listed in TRUSTED_PROXIES.

nginx ends TLS itself here (a `listen ... ssl` with a certificate made for the test) and forwards
to the in-process console of test_console.py. Skipped when nginx is not installed.
"""
from __future__ import annotations

import dataclasses
import shutil
import socket
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import AsyncIterator, Iterator, NamedTuple

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot import PROJECT_DIR
from bot.handover.console import FORM_COOKIE, SESSION_COOKIE
from tests.bot.handover.test_console import Browser, Console, console, set_cookies  # noqa: F401 (a fixture)
from tools.launcher import free_port

SCALED = PROJECT_DIR / "deploy" / "scaled"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/install-test-tools)")


class Nginx(NamedTuple):
    http: str  # plain HTTP, as the profile listens on loopback
    https: str  # TLS ended by nginx


def certificate(directory: Path) -> tuple:
    """A self-signed certificate for 127.0.0.1, valid today: (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(timezone.utc)
    made = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(made.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def listening(port: int, process: subprocess.Popen, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, f"nginx is not listening on {port}"
            time.sleep(0.05)


@pytest.fixture
def nginx(console: Console, tmp_path: Path) -> Iterator[Nginx]:
    upstream = console.url.split("//", 1)[1].split("/", 1)[0]
    cert_file, key_file = certificate(tmp_path)
    http_port, https_port = free_port(), free_port()
    location = f"location / {{ proxy_pass http://console; include {SCALED}/nginx-proxy.conf; }}"
    config = tmp_path / "nginx.conf"
    config.write_text(f"""
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
  client_body_temp_path {tmp_path}/body;
  proxy_temp_path {tmp_path}/proxy;
  fastcgi_temp_path {tmp_path}/fastcgi;
  uwsgi_temp_path {tmp_path}/uwsgi;
  scgi_temp_path {tmp_path}/scgi;
  include {SCALED}/nginx-http.conf;
  access_log off;
  upstream console {{ server {upstream}; }}
  server {{ listen 127.0.0.1:{http_port}; {location} }}
  server {{
    listen 127.0.0.1:{https_port} ssl;
    ssl_certificate {cert_file};
    ssl_certificate_key {key_file};
    {location}
  }}
}}
""")
    checked = subprocess.run([NGINX, "-t", "-q", "-e", str(tmp_path / "error.log"), "-c", str(config)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, (tmp_path / "error.log").read_text()
    process = subprocess.Popen([NGINX, "-e", str(tmp_path / "error.log"), "-c", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for port in (http_port, https_port):
            listening(port, process)
        yield Nginx(f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
async def through(console: Console) -> AsyncIterator:
    """A staff member's browser that reaches the console through nginx at `base`."""
    sessions = []

    def browser(base: str) -> Browser:
        opened = Browser(dataclasses.replace(console, url=f"{base}/webhooks/staff"))
        sessions.append(opened.http)
        opened.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                            connector=aiohttp.TCPConnector(ssl=False))  # the test's own certificate
        sessions.append(opened.http)
        return opened

    yield browser
    for session in sessions:
        await session.close()


async def test_signed_in_over_https_at_nginx_the_cookie_is_secure(nginx, through, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1")  # as scripts/run-scaled sets it
    browser = through(nginx.https)
    reply = await browser.sign_in()
    assert reply.status == 303 and "Secure" in set_cookies(reply)[SESSION_COOKIE]
    assert (await browser.get("/console")).status == 200, "the Secure cookie comes back over HTTPS"


async def test_over_plain_http_a_browsers_own_https_header_is_replaced_by_nginx(nginx, through, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1")
    page = await through(nginx.http).get("/signin", headers={"X-Forwarded-Proto": "https"})
    assert page.status == 200 and "Secure" not in set_cookies(page)[FORM_COOKIE]


async def test_without_trusted_proxies_what_nginx_says_proves_nothing(nginx, through):
    # The console fixture runs without TRUSTED_PROXIES: any peer's header is only a claim.
    page = await through(nginx.https).get("/signin")
    assert page.status == 200 and "Secure" not in set_cookies(page)[FORM_COOKIE]
