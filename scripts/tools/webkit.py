"""WebKit (the engine of Safari and of every browser on iOS, WeChat's included) for the smoke tests
and the benchmark: Debian's WebKitWebDriver starting its MiniBrowser on a virtual screen (Xvfb),
spoken to over W3C WebDriver with the standard library. tests/e2e/test_engines.py and
scripts/bench/engines.py use it.

What W3C WebDriver cannot give here, and what stands in for it: WebKitGTK's driver has no
console log, and nothing runs before the page's own scripts, so errors are caught from the
moment the page has loaded (an `error`/`unhandledrejection` listener), and failed requests are
read from the server's side (scripts/tools/serve.py records every answer of 400 or more:
WebKit's resource timings carry no status). An error in the runtime's start-up shows anyway: the
widget then reports `error` instead of `ready`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
INSTALL = "run 'make engines' (as root it installs Debian's webkit2gtk-driver and xvfb)"

# Collects what goes wrong after the page has loaded; read back by `problems()`.
WATCH = """
if (!window.__smoke) {
  window.__smoke = [];
  addEventListener("error", (event) => window.__smoke.push("error: " + event.message));
  addEventListener("unhandledrejection", (event) => window.__smoke.push("rejection: " + event.reason));
}
"""
PROBLEMS = "return window.__smoke || [];"


class WebDriverError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Session:
    """One W3C WebDriver session: the few commands the smoke needs."""

    def __init__(self, port: int) -> None:
        self.port = port
        capabilities = {
            "browserName": "MiniBrowser",
            "webkitgtk:browserOptions": {"binary": str(MINIBROWSER), "args": ["--automation"]},
        }
        value = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.id = value["sessionId"]
        self.version = value["capabilities"].get("browserVersion", "?")

    def _call(self, method: str, path: str, body: object = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as error:
            raise WebDriverError(f"{method} {path}: {error.read().decode(errors='replace')[:500]}") from None

    def command(self, method: str, path: str, body: object = None) -> Any:
        return self._call(method, f"/session/{self.id}{path}", body)

    def go(self, url: str) -> None:
        self.command("POST", "/url", {"url": url})
        self.run(WATCH)

    def reload(self) -> None:
        self.command("POST", "/refresh", {})
        self.run(WATCH)

    def run(self, script: str, *args: object) -> Any:
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def type_into(self, selector: str, text: str) -> None:
        element = self.command("POST", "/element", {"using": "css selector", "value": selector})
        handle = next(iter(element.values()))
        self.command("POST", f"/element/{handle}/clear", {})
        self.command("POST", f"/element/{handle}/value", {"text": text})

    def click(self, selector: str) -> None:
        element = self.command("POST", "/element", {"using": "css selector", "value": selector})
        self.command("POST", f"/element/{next(iter(element.values()))}/click", {})

    def wait_for(self, script: str, seconds: float) -> Any:
        """Poll `script` (a function body returning a value) until it returns something truthy."""
        deadline = time.monotonic() + seconds
        value = None
        while time.monotonic() < deadline:
            value = self.run(script)
            if value:
                return value
            time.sleep(0.2)
        return value

    def problems(self) -> list[str]:
        found: list[str] = self.run(PROBLEMS)
        return found

    def close(self) -> None:
        with suppress(WebDriverError, OSError):
            self.command("DELETE", "")


def missing_webkit() -> str | None:
    """Why the WebKit smoke cannot run here, or None."""
    for tool in ("WebKitWebDriver", "Xvfb"):
        if shutil.which(tool) is None:
            return f"{tool} is missing: {INSTALL}"
    if not MINIBROWSER.exists():
        return f"{MINIBROWSER} is missing: {INSTALL}"
    return None


@contextmanager
def webkit() -> Iterator[Session]:
    """A WebKit session on a virtual screen of its own; everything is stopped afterwards."""
    display = f":{_free_port() % 1000 + 100}"
    screen = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    port = _free_port()
    driver = subprocess.Popen(
        ["WebKitWebDriver", f"--port={port}"],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    session: Session | None = None
    try:
        deadline = time.monotonic() + 30
        while session is None:
            try:
                session = Session(port)
            except (OSError, WebDriverError):
                if time.monotonic() > deadline or driver.poll() is not None or screen.poll() is not None:
                    raise
                time.sleep(0.3)
        yield session
    finally:
        if session is not None:
            session.close()
        for process in (driver, screen):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
