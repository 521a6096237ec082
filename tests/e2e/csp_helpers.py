"""Record every Content-Security-Policy violation a page (or its workers) reports.

Two channels, because a worker's violations never reach the page's `securitypolicyviolation`
event: the event on the document (collected by an init script, which runs outside the page's
policy), and Chromium's console messages about the policy, from the page and its workers.
"""

from __future__ import annotations

from typing import Any

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


class CspWatch:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._message)
        page.on("worker", lambda worker: worker.on("console", self._message))

    def _message(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        events: list[str] = self.page.evaluate("window.__cspViolations || []")
        return events + self.console
