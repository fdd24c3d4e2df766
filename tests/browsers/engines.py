"""One small driver per browser engine with the same five verbs, so the smoke tests are written
once: open(url), call(js, *args), wait_for(js, *args), click(finder_js), requested_urls().

- chromium: Debian's Chromium through Playwright (as the e2e layer), request events of the
  page, its context and its workers.
- firefox: Debian's Firefox ESR over WebDriver BiDi (bidi.py), network.beforeRequestSent
  events of every browsing context and worker.
- webkit: WebKitGTK's MiniBrowser through Debian's WebKitWebDriver and Selenium, on a private
  Xvfb display. Its driver reports no requests, so the page's resource timing entries are read
  and, for what they miss (a worker's fetches, failed loads), the browser's proxy variables point
  every host but 127.0.0.1 and localhost at a loopback proxy that only writes down what it was
  asked and answers 502: nothing can leave, and every attempt is seen.

JS functions are passed as source text (`(a, b) => …`, may be async); results cross as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bidi import Firefox

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
FIREFOX = os.environ.get("FIREFOX_BIN", "/usr/bin/firefox-esr")
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
XVFB = "/usr/bin/Xvfb"
BINARIES = {"chromium": [CHROMIUM], "firefox": [FIREFOX], "webkit": [WEBKIT_DRIVER, MINIBROWSER, XVFB]}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# Records when the first widget's data-state became "ready", in ms since navigation
# (performance.now()), as the bench's pages do. Installed before the page's scripts where the
# driver can (Chromium, Firefox); right after the load event otherwise (WebKit, whose engine
# start takes several seconds longer than the load event, so nothing is missed: `late` says so).
READY_WATCH = """() => {
  if (window.__bpReady) return;
  const rec = (window.__bpReady = { at: null, late: false });
  const check = () => {
    const el = document.querySelector("backprop-widget");
    if (rec.at === null && el && el.dataset.state === "ready") rec.at = performance.now();
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
  });
  check();
  if (rec.at !== null) rec.late = true;
}"""

POLL = """async (fn, timeoutMs, args) => {
  const f = eval("(" + fn + ")");
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await f(...args);
    if (value) return value;
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}"""


def as_json_call(fn: str) -> str:
    """Wrap a JS function so its (awaited) result comes back as one JSON string."""
    return f"async (...a) => JSON.stringify((await ({fn})(...a)) ?? null)"


class Engine:
    name = "?"
    version = "?"
    never_ready = False  # set by the tests after one timed-out wait, so the rest fail fast

    def open(self, url: str) -> None:
        raise NotImplementedError

    def call(self, fn: str, *args):
        raise NotImplementedError

    def click(self, finder: str, *args) -> None:
        """A real pointer click on the element the JS `finder` returns."""
        raise NotImplementedError

    def requested_urls(self) -> list[str]:
        raise NotImplementedError

    def console_errors(self) -> list[str] | None:
        """Errors the page logged, where the driver can read them (None: it cannot)."""
        return None

    def close(self) -> None:
        raise NotImplementedError

    def wait_for(self, fn: str, *args, timeout: float = 30):
        """Poll `fn(...args)` inside the page until it returns something truthy; that value."""
        value = self.call(POLL, fn, int(timeout * 1000), list(args))
        if not value:
            raise AssertionError(f"{self.name}: timed out after {timeout:.0f} s waiting for {fn}")
        return value


class Chromium(Engine):
    name = "chromium"

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        self.version = self.browser.version
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.urls: list[str] = []
        self.context.on("request", lambda request: self.urls.append(request.url))
        self.page.add_init_script(f"({READY_WATCH})()")
        self.errors: list[str] = []
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))

    def open(self, url: str) -> None:
        self.page.goto(url)

    def call(self, fn: str, *args):
        return json.loads(self.page.evaluate(f"(a) => ({as_json_call(fn)})(...a)", list(args)))

    def click(self, finder: str, *args) -> None:
        handle = self.page.evaluate_handle(f"(a) => ({finder})(...a)", list(args)).as_element()
        assert handle, f"chromium: nothing found by {finder}"
        handle.click()

    def requested_urls(self) -> list[str]:
        return list(self.urls)

    def console_errors(self) -> list[str]:
        return list(self.errors)

    def close(self) -> None:
        self.context.close()
        self.browser.close()
        self.pw.stop()


class FirefoxBiDi(Engine):
    name = "firefox"

    def __init__(self):
        self.ff = Firefox(FIREFOX)
        self.bidi, self.ctx = self.ff.bidi, self.ff.context
        self.version = self.ff.version
        self.bidi.send("session.subscribe", {"events": ["network.beforeRequestSent", "log.entryAdded"]})
        self.bidi.send("browsingContext.setViewport",
                       {"context": self.ctx, "viewport": {"width": 1280, "height": 900}})
        self.bidi.send("script.addPreloadScript", {"functionDeclaration": READY_WATCH})

    def open(self, url: str) -> None:
        self.bidi.send("browsingContext.navigate", {"context": self.ctx, "url": url, "wait": "complete"})

    def _call(self, fn: str, args: list, ownership: str = "none") -> dict:
        result = self.bidi.send("script.callFunction", {
            "functionDeclaration": fn, "awaitPromise": True, "target": {"context": self.ctx},
            "arguments": [{"type": "string", "value": json.dumps(args)}],
            "resultOwnership": ownership,
        }, timeout=600)
        if result["type"] == "exception":
            details = result["exceptionDetails"]
            raise AssertionError(f"firefox: {details.get('text')}")
        return result["result"]

    def call(self, fn: str, *args):
        value = self._call(f"(a) => ({as_json_call(fn)})(...JSON.parse(a))", list(args))
        return json.loads(value["value"])

    def click(self, finder: str, *args) -> None:
        # WebDriver clicks inside the viewport only; Playwright and Selenium scroll by themselves.
        find = f"(a) => {{ const el = ({finder})(...JSON.parse(a)); el?.scrollIntoView({{block: 'center'}}); return el; }}"
        node = self._call(find, list(args), ownership="root")
        assert node.get("type") == "node", f"firefox: nothing found by {finder}"
        origin = {"type": "element", "element": {"sharedId": node["sharedId"]}}
        self.bidi.send("input.performActions", {"context": self.ctx, "actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
                        {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}],
        }]})

    def requested_urls(self) -> list[str]:
        return [p["request"]["url"] for m, p in self.bidi.events if m == "network.beforeRequestSent"]

    def console_errors(self) -> list[str]:
        return [p.get("text", "") for m, p in self.bidi.events
                if m == "log.entryAdded" and p.get("level") == "error"]

    def close(self) -> None:
        self.ff.close()


class Xvfb:
    """A private X display for the one engine that needs one (WebKitGTK has no headless mode)."""

    def __init__(self):
        read, write = os.pipe()
        self.proc = subprocess.Popen([XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24",
                                      "-nolisten", "tcp"], pass_fds=[write],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as fh:
            number = fh.readline().strip()
        if not number:
            self.proc.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Tattletale:
    """A loopback HTTP proxy that records each request (URL, or host:port of a CONNECT) and
    answers 502 without connecting anywhere."""

    def __init__(self):
        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def refuse(self):
                seen.append(self.path if self.command != "CONNECT" else f"https://{self.path}/")
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_CONNECT = refuse

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def env(self) -> dict[str, str]:
        names = {"http_proxy": self.url, "https_proxy": self.url, "no_proxy": "127.0.0.1,localhost"}
        return {**names, **{k.upper(): v for k, v in names.items()}}

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class WebKitGTK(Engine):
    name = "webkit"

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.service import Service

        self.xvfb = Xvfb()
        self.proxy = Tattletale()
        options = webdriver.WebKitGTKOptions()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = Service(WEBKIT_DRIVER, env={**os.environ, **self.proxy.env(), "DISPLAY": self.xvfb.display})
        try:
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception:
            self.close_helpers()
            raise
        self.driver.set_script_timeout(600)
        self.driver.set_window_size(1280, 900)
        self.version = self.driver.capabilities.get("browserVersion", "?")
        self.pages: list[str] = []

    def open(self, url: str) -> None:
        self.driver.get(url)
        self.pages.append(self.driver.current_url)
        self.driver.execute_script(f"({READY_WATCH})()")

    def call(self, fn: str, *args):
        script = f"const done = arguments[arguments.length - 1]; ({as_json_call(fn)})(...arguments[0])" \
                 ".then(done, (e) => done(JSON.stringify({__error: String(e)})))"
        value = json.loads(self.driver.execute_async_script(script, list(args)))
        if isinstance(value, dict) and "__error" in value:
            raise AssertionError(f"webkit: {value['__error']}")
        return value

    def click(self, finder: str, *args) -> None:
        element = self.driver.execute_script(f"return ({finder})(...arguments[0])", list(args))
        assert element is not None, f"webkit: nothing found by {finder}"
        element.click()

    def requested_urls(self) -> list[str]:
        entries = self.call("() => performance.getEntriesByType('resource').map((e) => e.name)")
        return self.pages + entries + list(self.proxy.seen)

    def close_helpers(self) -> None:
        self.proxy.close()
        self.xvfb.close()

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.close_helpers()


ENGINES = {"chromium": Chromium, "firefox": FirefoxBiDi, "webkit": WebKitGTK}


def start(name: str) -> Engine:
    started = time.perf_counter()
    engine = ENGINES[name]()
    engine.start_s = time.perf_counter() - started
    return engine
