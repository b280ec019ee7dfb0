"""A real headless Chromium, driven over the DevTools protocol on a pipe (no extra packages)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from typing import Any

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """Chromium reading DevTools messages on fd 3 and writing its answers on fd 4; each
    message is JSON ended by a NUL byte."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        to_browser, self._theirs_in = os.pipe()
        self._theirs_out, from_browser = os.pipe()
        read_end, write_end = to_browser, from_browser

        def wire() -> None:  # in the child: its fd 3 reads our commands, fd 4 answers
            # (Through spare numbers first, in case the pipe's ends are fds 3 and 4 swapped.)
            os.dup2(read_end, 200)
            os.dup2(write_end, 201)
            os.dup2(200, 3)
            os.dup2(201, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(read_end)
        os.close(write_end)
        self._send_fd, self._recv_fd = self._theirs_in, self._theirs_out
        self._buffer = b""
        self._next = 0
        self.session = ""

    def _send(self, method: str, params: dict[str, Any] | None = None) -> int:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._send_fd, json.dumps(message).encode() + b"\0")
        return self._next

    def _until(self, wanted: Any) -> dict[str, Any]:
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if wanted(message):
                    return message
            chunk = os.read(self._recv_fd, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        number = self._send(method, params)
        answer = self._until(lambda m: m.get("id") == number)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def open(self, url: str) -> None:
        """A new tab showing `url`, once its load event (images included) has fired."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        self.call("Page.navigate", {"url": url})
        self._until(lambda m: m.get("method") == "Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.session = ""
            self._send("Browser.close")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._send_fd)
            os.close(self._recv_fd)
            shutil.rmtree(self.profile, ignore_errors=True)
