"""A small W3C WebDriver client (standard library only) for driving the app through
tauri-driver: find, click, type, run script, screenshot, wait."""
import base64
import http.client
import json
import sys
import time
import urllib.error
import urllib.request


# How the W3C protocol marks an element reference in a script's arguments.
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(RuntimeError):
    pass


class Session:
    def __init__(self, driver_url, capabilities):
        self.base = driver_url.rstrip("/")
        answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.id = answer["sessionId"]

    def _call(self, method, path, body=None, attempts=3):
        # tauri-driver sometimes drops a connection under load; the command is then
        # sent again (clicks and typing included: the page's state is checked after).
        for attempt in range(attempts):
            try:
                return self._call_once(method, path, body)
            except (http.client.RemoteDisconnected, ConnectionResetError) as error:
                print(f"webdriver: {method} {path}: {error!r}, retrying", file=sys.stderr)
                time.sleep(1 + attempt)
        return self._call_once(method, path, body)

    def _call_once(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise WebDriverError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None

    def _session(self, method, path, body=None):
        return self._call(method, f"/session/{self.id}{path}", body)

    def find(self, xpath):
        """The first element matching an XPath, or None."""
        try:
            found = self._session("POST", "/element", {"using": "xpath", "value": xpath})
        except WebDriverError as error:
            if "no such element" in str(error):
                return None
            raise
        return next(iter(found.values()))

    def wait_for(self, xpath, timeout=30, what=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            element = self.find(xpath)
            if element is not None:
                return element
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what or xpath}; page says:\n{self.text()[:2000]}")

    def wait_for_text(self, text, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.text():
                return
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {text!r}; page says:\n{self.text()[:2000]}")

    def click(self, element):
        self._session("POST", f"/element/{element}/click", {})

    def type(self, element, text):
        self._session("POST", f"/element/{element}/value", {"text": text})

    def button(self, name, timeout=30):
        return self.wait_for(f"//button[normalize-space()={json.dumps(name)}]", timeout, f"button {name!r}")

    def field(self, label, timeout=30):
        return self.wait_for(
            f"//input[@id=//label[normalize-space()={json.dumps(label)}]/@for]", timeout, f"field {label!r}"
        )

    def text(self):
        return self.script("return document.body.innerText") or ""

    def script(self, source, *args):
        return self._session("POST", "/execute/sync", {"script": source, "args": list(args)})

    def invoke(self, command, args=None):
        """Calls an app command the way the UI does; returns its answer or raises."""
        source = (
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])"
            ".then(v => done({ok: v}), e => done({error: e}));"
        )
        answer = self._session("POST", "/execute/async", {"script": source, "args": [command, args or {}]})
        if "error" in answer:
            raise WebDriverError(f"{command}: {answer['error']}")
        return answer["ok"]

    def screenshot(self, path):
        data = self._session("GET", "/screenshot")
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self._session("DELETE", "")
        except WebDriverError:
            pass
