#!/usr/bin/env python3
"""End-to-end test of the built companion app in a real WebKit window.

Runs inside an X server and a D-Bus session with an unlocked gnome-keyring and dunst as
the notification service (run.sh sets those up). Starts the simulator and tauri-driver, then: sees the first screen's demo
data offer without scrolling at the default window size and at 800 x 600; completes the
guided setup against the simulator (the saved server is checked at once), skips the
Claude step and sees the last step say what is missing, connects Claude Desktop from
there into a temporary HOME and checks the file; finishing with start at login on
writes an autostart entry that starts hidden. Then sees the server healthy and the tray
name the customers whose backups fail; the same server serving all-well backups clears
the tray, then failing ones make it name them and send one notification per customer
(read back from dunst), a second round sends no repeat, and all well clears it again.
Then stops the
simulator and sees the state and the tray summary change, looks at the Claude panel
and the settings, removes the server and checks the keychain entry is gone. Also: a
second launch hands over to the first; closing the window (as a window manager's close
button does) leaves the app in the tray without its web page, and a second launch
opens the window again. In between: the first screen in German; German chosen in
Settings changes the screens and the tray menu (read back through `tray_status`, the
entries the app gave the tray: a Linux tray cannot be read from outside), and English
again. Last, the app starts again under a desktop that prefers dark and every screen
is seen dark, in English and German. An axe-core scan of each screen, in each
language and theme shown, must find no serious or critical violation (see
axe_scan.py; the findings go to output/axe-results.json). Each step takes a
screenshot into $SCREENSHOTS_DIR (run.sh sets it; by default output/screenshots/
here, which git ignores).
"""
import json
import os
import pathlib
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import ELEMENT_KEY, Session  # noqa: E402
from axe_scan import AxeLog  # noqa: E402
import xwindow  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
SHOTS = pathlib.Path(os.environ.get("SCREENSHOTS_DIR", HERE / "output" / "screenshots"))
APP = os.environ["APP_BIN"]
SIM = os.environ["MS_SIM_BIN"]
DRIVER = os.environ.get("TAURI_DRIVER", "tauri-driver")
HOME = pathlib.Path(os.environ["HOME"])
STEP_TIMEOUT = 40
TITLE = "NovaBACKUP MCP Companion"
DEFAULT_SIZE = (900, 660)  # tauri.conf.json
SMALLEST_SIZE = (800, 600)  # the UI guide's smallest window
DEMO_LINK = "//button[normalize-space()='Try with demo data']"
AXE = AxeLog(SHOTS.parent / "axe-results.json")


def tab(session, name):
    """Opens a tab of the main window by its name."""
    session.click(session.wait_for(f"//button[@role='tab' and normalize-space()={json.dumps(name)}]"))


def choose_language(session, code, save_button):
    """Chooses a language in Settings (as a person does: the select, then Save)."""
    session.click(session.wait_for(f"//select[@id='language']/option[@value='{code}']"))
    session.click(session.button(save_button))


def set_language_and_reload(session, code, wait_text):
    """Saves a language choice through the app's command and loads the page again
    (for screens, like the setup, with no Settings tab)."""
    settings = session.invoke("settings")
    settings["language"] = code
    session.invoke("save_settings", {"settings": settings})
    session.script("location.reload(); return true")
    session.wait_for_text(wait_text, STEP_TIMEOUT)


def tray_speaks(session, expected_language, must_have):
    """Waits until the tray's menu (read back through the app's `tray_status`, the very
    entries it gave the tray) is in a language and holds the given texts."""

    def ready():
        tray = session.invoke("tray_status")
        texts = [entry["text"] for entry in tray["menu"]]
        return tray["language"] == expected_language and all(t in texts for t in must_have)

    eventually(ready, STEP_TIMEOUT, f"the tray menu in {expected_language}: {session.invoke('tray_status')}")
    return session.invoke("tray_status")


def app_pids():
    """The running app processes (started by the WebDriver or by hand)."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.path.realpath(entry / "exe") == os.path.realpath(APP):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def children(pid):
    """The names of the processes `pid` started (WebKit's web and network processes)."""
    names = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            if int(rest[1]) == pid:
                names.append(name)
    return names


def has_web_page(pid):
    """Whether the app `pid` has a WebKit web process (its window's page) running."""
    # /proc shows a process name cut to 15 characters.
    return any(name.startswith("WebKitWebProces") for name in children(pid))


def eventually(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}")


def start_simulator(port, customers=None):
    """Starts the simulator on `port`; `customers` (all-well, every-agent-failing, mixed)
    makes every customer's backups the same, else each customer differs."""
    extra = ["--customers", customers] if customers else []
    sim = subprocess.Popen(
        [SIM, "--listen", f"127.0.0.1:{port}", "--tenants", "3", "--agents", "4", "--runs", "300", *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = []
    for line in sim.stdout:
        lines.append(line.strip())
        if line.strip() == "ready":
            break
    url = next(l.split()[2] for l in lines if l.startswith("server "))
    admin = next(l.split() for l in lines if l.startswith("user admin"))
    return sim, url, admin[1], admin[2]


def restart_simulator(sim, port, customers):
    """The same server (address, customers, computers, logins) with other outcomes."""
    sim.terminate()
    sim.wait(timeout=10)
    return start_simulator(port, customers)[0]


def notifications():
    """Every notification the desktop's notification service (dunst) was sent so far,
    as (title, body): the ones still shown are closed into its history first."""
    subprocess.run(["dunstctl", "close-all"], check=True)
    time.sleep(0.3)
    listed = json.loads(subprocess.run(["dunstctl", "history"], capture_output=True, text=True, check=True).stdout)
    return sorted((n["summary"]["data"], n["body"]["data"]) for n in listed["data"][0])


def backup_round(session):
    """Check now (every server), then waits until its backup digest is in the log."""
    before = app_log().count("backup digest")
    session.invoke("check_now", {"serverId": None})
    eventually(lambda: app_log().count("backup digest") > before, STEP_TIMEOUT, "a backup digest after Check now")


def header_text(session):
    """The window's header line (the tray's sentence), without its status glyph."""
    text = session.script("return document.querySelector('.app-head .summary')?.textContent ?? ''")
    return text.lstrip("✓!✕– ").strip()


def tray_when(session, check, what):
    eventually(lambda: check(session.invoke("tray_status")), STEP_TIMEOUT, f"{what}: {session.invoke('tray_status')}")
    return session.invoke("tray_status")


def keychain_lookup(server_id):
    found = subprocess.run(
        ["secret-tool", "lookup", "service", "novabackup-mcp", "username", server_id],
        capture_output=True,
        text=True,
    )
    return found.stdout


def step(name):
    print(f"--- {name}", flush=True)


def viewport(session):
    return tuple(session.script("return [window.innerWidth, window.innerHeight]"))


def visible_without_scrolling(session, xpath):
    """Whether the element lies wholly inside the window as it is, nothing scrolled."""
    return session.script(
        "const el = document.evaluate(arguments[0], document, null, 9, null).singleNodeValue;"
        "if (!el) return false;"
        "const box = el.getBoundingClientRect();"
        "return window.scrollY === 0 && box.top >= 0 && box.bottom <= window.innerHeight"
        " && box.right <= window.innerWidth;",
        xpath,
    )


def resize_window(session, size):
    window = xwindow.find(TITLE)
    assert window is not None, "the app's window is on screen"

    def resized():
        # Asked again while it has not taken: with no window manager, GTK may drop a
        # request that comes while it lays out the page.
        if viewport(session) == size:
            return True
        xwindow.resize(window, *size)
        return False

    eventually(resized, 20, f"the window becomes {size}: {viewport(session)}")


def app_log():
    logs = (HOME / ".local" / "share" / "com.novabackup.mcp-companion" / "logs").glob("*.log")
    return "".join(p.read_text() for p in logs)


def autostart_entries():
    return [p.read_text() for p in (HOME / ".config" / "autostart").glob("*.desktop")]


WORDS = {
    "en": {"remove": "Remove", "cancel": "Cancel", "connected": "Connected to Claude."},
    "de": {"remove": "Entfernen", "cancel": "Abbrechen", "connected": "Mit Claude verbunden."},
}


def scan_remove_dialog_and_claude(session, language, theme):
    """From the servers tab: scans the remove dialog (then cancels it) and the Claude tab."""
    words = WORDS[language]
    session.click(session.button(words["remove"]))
    session.wait_for(f"//*[@role='alertdialog']//button[normalize-space()='{words['cancel']}']")
    AXE.scan(session, "servers: remove dialog", language, theme)
    session.click(session.button(words["cancel"]))
    tab(session, "Claude")
    session.wait_for_text(words["connected"], STEP_TIMEOUT)
    AXE.scan(session, "Claude", language, theme)


def prefer_dark_theme():
    """Makes this test's desktop prefer dark, as a user's setting does: GTK's own
    setting in the test HOME (read at start) and the theme's dark variant."""
    settings = HOME / ".config" / "gtk-3.0" / "settings.ini"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("[Settings]\ngtk-application-prefer-dark-theme=1\n")
    return {**os.environ, "GTK_THEME": "Adwaita:dark"}


def dark_theme(driver_port):
    """Starts the app again under a desktop that prefers dark; scans every screen in
    English and German and takes the dark screenshots. Returns the driver and session
    (the caller closes them)."""
    driver = subprocess.Popen(
        [DRIVER, "--port", str(driver_port), "--native-port", str(free_port())],
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
        env=prefer_dark_theme(),
    )
    wait_port(driver_port)
    session = Session(
        f"http://127.0.0.1:{driver_port}",
        {"browserName": "wry", "tauri:options": {"application": APP}},
    )
    session.wait_for_text("Try with demo data", STEP_TIMEOUT)
    assert session.script("return matchMedia('(prefers-color-scheme: dark)').matches"), "the page sees dark"
    background = session.script("return getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(22, 25, 29)", f"the dark colours apply: {background}"
    session.screenshot(SHOTS / "13-dark-setup.png")
    AXE.scan(session, "setup: add a server", "en", "dark")
    set_language_and_reload(session, "de", "Mit Demodaten ausprobieren")
    AXE.scan(session, "setup: add a server", "de", "dark")
    set_language_and_reload(session, "en", "Try with demo data")

    session.click(session.button("Try with demo data"))
    session.wait_for_text("is saved.", STEP_TIMEOUT)
    AXE.scan(session, "setup: connect Claude", "en", "dark")
    session.click(session.button("Skip for now"))
    session.wait_for_text("You are ready", STEP_TIMEOUT)
    AXE.scan(session, "setup: ready", "en", "dark")
    session.click(session.button("Finish"))
    tab(session, "Backups")
    session.wait_for_text("Last checked", STEP_TIMEOUT)
    session.screenshot(SHOTS / "19-dark-backups.png")
    AXE.scan(session, "backups: the demo's customers", "en", "dark")
    tab(session, "Servers")
    session.wait_for_text("Healthy · checked", STEP_TIMEOUT)
    session.screenshot(SHOTS / "14-dark-servers.png")
    AXE.scan(session, "servers: healthy", "en", "dark")
    scan_remove_dialog_and_claude(session, "en", "dark")
    tab(session, "Settings")
    session.click(session.wait_for("//details[contains(@class, 'advanced')]/summary"))
    AXE.scan(session, "Settings, advanced open", "en", "dark")

    choose_language(session, "de", "Save settings")
    session.wait_for_text("Einstellungen speichern", STEP_TIMEOUT)
    tray_speaks(session, "de", ["Beenden", "NovaBACKUP MCP Companion öffnen"])
    session.screenshot(SHOTS / "15-dark-settings-de.png")
    AXE.scan(session, "Settings, advanced open", "de", "dark")
    tab(session, "Sicherungen")
    session.wait_for_text("Zuletzt geprüft", STEP_TIMEOUT)
    AXE.scan(session, "backups: the demo's customers", "de", "dark")
    tab(session, "Server")
    session.wait_for_text("In Ordnung · geprüft", STEP_TIMEOUT)
    session.screenshot(SHOTS / "16-dark-servers-de.png")
    AXE.scan(session, "servers: healthy", "de", "dark")
    scan_remove_dialog_and_claude(session, "de", "dark")
    return driver, session


def main():
    SHOTS.mkdir(parents=True, exist_ok=True)
    (HOME / ".config" / "Claude").mkdir(parents=True, exist_ok=True)  # Claude Desktop "installed"
    sim_port = free_port()
    sim, sim_url, admin_user, admin_password = start_simulator(sim_port)
    driver_port = free_port()
    driver = subprocess.Popen(
        [DRIVER, "--port", str(driver_port), "--native-port", str(free_port())],
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )
    session = None
    try:
        wait_port(driver_port)
        launched = time.monotonic()
        session = Session(
            f"http://127.0.0.1:{driver_port}",
            {"browserName": "wry", "tauri:options": {"application": APP}},
        )
        session.wait_for_text("Add your Management Server", STEP_TIMEOUT)
        print(f"launch to visible setup: {time.monotonic() - launched:.2f} s", flush=True)

        step("setup: the first screen offers demo data without scrolling")
        assert viewport(session) == DEFAULT_SIZE, f"the window opens at its default size: {viewport(session)}"
        session.wait_for(DEMO_LINK, STEP_TIMEOUT, "the demo data link")
        assert visible_without_scrolling(session, DEMO_LINK), "demo link visible at the default size"
        session.screenshot(SHOTS / "01-setup-add-server.png")
        resize_window(session, SMALLEST_SIZE)
        assert visible_without_scrolling(session, DEMO_LINK), "demo link visible at 800 x 600"
        session.screenshot(SHOTS / "01-setup-add-server-800x600.png")
        resize_window(session, DEFAULT_SIZE)
        AXE.scan(session, "setup: add a server", "en", "light")

        step("setup in German (chosen in the settings), then English again")
        set_language_and_reload(session, "de", "Mit Demodaten ausprobieren")
        assert "Try with demo data" not in session.text(), session.text()
        session.screenshot(SHOTS / "01-setup-add-server-de.png")
        AXE.scan(session, "setup: add a server", "de", "light")
        set_language_and_reload(session, "system", "Try with demo data")

        step("setup: add the server and test the connection")
        session.type(session.field("Name"), "Acme MS")
        session.type(session.field("Management Server address"), sim_url)
        session.type(session.field("Username"), admin_user)
        session.type(session.field("Password"), admin_password)
        session.click(session.button("Test connection"))
        session.wait_for_text("Connected. You can see 12 computers being backed up across 3 customers.", STEP_TIMEOUT)
        session.screenshot(SHOTS / "02-setup-connected.png")
        AXE.scan(session, "setup: connection tested", "en", "light")
        session.click(session.button("Save and continue"))
        session.wait_for_text("Acme MS is saved.", STEP_TIMEOUT)
        AXE.scan(session, "setup: connect Claude", "en", "light")
        assert keychain_lookup("acme-ms") == admin_password, "the password is in the keychain"
        servers_file = HOME / ".config" / "novabackup-mcp" / "servers.json"
        assert admin_password not in servers_file.read_text(), "no password in servers.json"

        step("the saved server is checked at once (no round is due, nothing was pressed)")
        eventually(
            lambda: session.invoke("overview")["servers"][0]["health"]["state"] == "healthy",
            STEP_TIMEOUT,
            f"the new server checked: {session.invoke('overview')}",
        )
        assert "checked server" in app_log(), app_log()[-2000:]

        step("setup: skip Claude; the last step says what is missing and where")
        session.click(session.button("Skip for now"))
        session.wait_for_text("Claude is not connected yet", STEP_TIMEOUT)
        skipped = session.script("return document.querySelector('.steps .skipped')?.innerText ?? ''")
        assert "Connect Claude Desktop" in skipped and "skipped" in skipped, skipped
        assert "You are ready" not in session.text(), session.text()
        assert "later in the Claude tab" in session.text(), session.text()
        start_at_login = session.wait_for("//label[contains(., 'Start when I sign in')]/input")
        assert session.script("return arguments[0].checked", {ELEMENT_KEY: start_at_login}), "start at login is on"
        session.screenshot(SHOTS / "03-setup-skipped.png")
        AXE.scan(session, "setup: last step, Claude skipped", "en", "light")

        step("setup: connect Claude Desktop from the last step")
        session.click(session.button("Connect Claude Desktop"))
        session.wait_for_text("You are ready", STEP_TIMEOUT)
        config = json.loads((HOME / ".config" / "Claude" / "claude_desktop_config.json").read_text())
        entry = config["mcpServers"]["novabackup"]
        assert os.path.basename(entry["command"]) == "novabackup-mcp", entry
        assert os.path.exists(entry["command"]), f"the registered program exists: {entry}"
        assert session.script("return document.querySelector('.steps .skipped') === null"), "no step skipped now"
        session.screenshot(SHOTS / "04-setup-done.png")
        AXE.scan(session, "setup: ready", "en", "light")
        session.click(session.button("Finish"))
        eventually(lambda: autostart_entries(), 10, "an autostart entry")
        assert "--hidden" in autostart_entries()[0], f"start at login, hidden: {autostart_entries()}"

        step("main window: the server is healthy, without Check now")
        tab(session, "Servers")
        session.wait_for_text("Healthy · checked", STEP_TIMEOUT)
        session.wait_for_text("1 of 1 server healthy", STEP_TIMEOUT)
        session.screenshot(SHOTS / "05-main-healthy.png")
        AXE.scan(session, "servers: healthy", "en", "light")

        step("backups: the tray names the customers whose backups fail")
        tray = tray_when(session, lambda t: t["glance"] == "backupsFailing", "the tray shows failed backups")
        print(f"tray: {tray}", flush=True)
        assert "need attention" in tray["tooltip"] or "needs attention" in tray["tooltip"], tray
        assert tray["attention"] and all(line.startswith(("✕ ", "! ")) for line in tray["attention"]), tray
        ids = [e["id"] for e in tray["menu"] if e["id"]]
        assert sum(1 for i in ids if i.startswith("customer:")) == len(tray["attention"]), tray["menu"]

        step("backups: all well clears the tray; new failures notify once per customer")
        sim = restart_simulator(sim, sim_port, "all-well")
        backup_round(session)
        tray = tray_when(session, lambda t: t["glance"] == "allWell", "all well")
        assert tray["tooltip"] == "NovaBACKUP: All backups worked at 3 customers", tray
        assert tray["attention"] == [], tray
        before = notifications()
        sim = restart_simulator(sim, sim_port, "every-agent-failing")
        backup_round(session)
        tray = tray_when(session, lambda t: t["glance"] == "backupsFailing", "the failures reach the tray")
        assert tray["tooltip"].startswith("NovaBACKUP: 3 customers need attention: "), tray
        assert len(tray["attention"]) == 3, tray
        sentence = tray["tooltip"].removeprefix("NovaBACKUP: ")
        eventually(
            lambda: header_text(session) == sentence,
            STEP_TIMEOUT,
            f"the window's header says what the tray says: {header_text(session)!r} vs {sentence!r}",
        )

        def failed_notices():
            return [n for n in notifications() if n not in before and "failed backup" in n[0]]

        tab(session, "Backups")
        session.wait_for_text("3 customers need attention", STEP_TIMEOUT)
        session.click(session.wait_for("//li[contains(@class, 'customer')]//button[@aria-expanded='false']"))
        session.wait_for_text("Copy a question for Claude", STEP_TIMEOUT)
        session.screenshot(SHOTS / "17-backups-failing.png")
        AXE.scan(session, "backups: failing, a customer open", "en", "light")
        eventually(lambda: len(failed_notices()) == 3, STEP_TIMEOUT, f"one notification per customer: {notifications()}")
        print(f"notifications: {failed_notices()}", flush=True)
        assert all(" at " in title for title, _ in failed_notices()), failed_notices()
        seen = notifications()
        backup_round(session)
        time.sleep(1)
        assert [n for n in notifications() if n not in seen] == [], "a second round sends no repeat"
        sim = restart_simulator(sim, sim_port, "all-well")
        backup_round(session)
        tray = tray_when(session, lambda t: t["glance"] == "allWell", "fixing the fault clears the tray")
        assert tray["attention"] == [], tray
        tab(session, "Servers")

        step("stop the simulator: the state and the tray summary change")
        sim.terminate()
        sim.wait(timeout=10)
        session.click(session.button("Check all now"))
        session.wait_for_text("Cannot reach the server", STEP_TIMEOUT)
        session.wait_for_text("Acme MS unreachable", STEP_TIMEOUT)
        tray = session.invoke("tray_status")
        print(f"tray: {tray}", flush=True)
        assert tray["tooltip"] == "NovaBACKUP: Acme MS unreachable", tray
        assert tray["overall"] == "all_failing", tray
        session.screenshot(SHOTS / "06-main-unreachable.png")
        AXE.scan(session, "servers: unreachable", "en", "light")

        step("Claude panel")
        session.click(session.wait_for("//button[@role='tab' and normalize-space()='Claude']"))
        session.wait_for_text("Connected to Claude.", STEP_TIMEOUT)
        session.screenshot(SHOTS / "07-claude-panel.png")
        AXE.scan(session, "Claude", "en", "light")

        step("settings")
        session.click(session.wait_for("//button[@role='tab' and normalize-space()='Settings']"))
        session.wait_for_text("Check the servers every", STEP_TIMEOUT)
        session.screenshot(SHOTS / "08-settings.png")
        session.click(session.wait_for("//details[contains(@class, 'advanced')]/summary"))
        AXE.scan(session, "Settings, advanced open", "en", "light")
        start_at_login = session.wait_for("//label[contains(., 'Start when I sign in')]/input")
        assert session.script("return arguments[0].checked", {ELEMENT_KEY: start_at_login}), "on since the setup"
        session.click(start_at_login)
        session.click(session.button("Save settings"))
        session.wait_for_text("Saved.", STEP_TIMEOUT)
        eventually(lambda: not autostart_entries(), 10, f"the autostart entry goes: {autostart_entries()}")
        session.click(start_at_login)
        session.click(session.button("Save settings"))
        eventually(lambda: autostart_entries(), 10, "the autostart entry comes back")
        assert "--hidden" in autostart_entries()[0], f"start at login, hidden: {autostart_entries()}"

        step("switch to German in Settings: the screens and the tray menu follow")
        before = session.invoke("tray_status")
        assert before["language"] == "en" and "Quit" in [e["text"] for e in before["menu"]], before
        choose_language(session, "de", "Save settings")
        session.wait_for_text("Einstellungen speichern", STEP_TIMEOUT)
        session.wait_for_text("Gespeichert.", STEP_TIMEOUT)
        assert session.script("return document.documentElement.lang") == "de"
        tray = tray_speaks(
            session,
            "de",
            ["NovaBACKUP MCP Companion öffnen", "Jetzt prüfen", "Claude Desktop verbinden", "Beenden",
             "✕ Acme MS — nicht erreichbar", "Acme MS nicht erreichbar"],
        )
        print(f"tray (German): {tray}", flush=True)
        assert tray["tooltip"] == "NovaBACKUP: Acme MS nicht erreichbar", tray
        session.screenshot(SHOTS / "11-settings-de.png")
        AXE.scan(session, "Settings", "de", "light")
        tab(session, "Sicherungen")
        session.wait_for_text("hat nicht geantwortet", STEP_TIMEOUT)
        session.screenshot(SHOTS / "18-backups-de.png")
        AXE.scan(session, "backups: a server did not answer", "de", "light")
        tab(session, "Server")
        session.wait_for_text("Server nicht erreichbar", STEP_TIMEOUT)
        session.wait_for_text("Der Server ist nicht erreichbar.", STEP_TIMEOUT)
        assert "Acme MS nicht erreichbar" in session.text(), "the summary in German"
        assert "Check now" not in session.text() and "Cannot reach" not in session.text(), session.text()
        session.screenshot(SHOTS / "12-servers-de.png")
        AXE.scan(session, "servers: unreachable", "de", "light")
        scan_remove_dialog_and_claude(session, "de", "light")
        tab(session, "Einstellungen")
        choose_language(session, "en", "Einstellungen speichern")
        session.wait_for_text("Save settings", STEP_TIMEOUT)
        tray_speaks(session, "en", ["Open NovaBACKUP MCP Companion", "Quit"])

        step("a second launch hands over to the first (single instance)")
        second = subprocess.run([APP], capture_output=True, timeout=30)
        assert second.returncode == 0, second
        assert session.invoke("tray_status")["present"] is not None, "the first app still answers"

        step("remove the server: its keychain entry goes too")
        session.click(session.wait_for("//button[@role='tab' and normalize-space()='Servers']"))
        session.click(session.button("Remove"))
        dialog = session.wait_for("//*[@role='alertdialog']//button[normalize-space()='Remove']")
        session.screenshot(SHOTS / "09-remove-confirm.png")
        AXE.scan(session, "servers: remove dialog", "en", "light")
        session.click(dialog)
        session.wait_for_text("No Management Server yet.", STEP_TIMEOUT)
        assert keychain_lookup("acme-ms") == "", "the keychain entry is gone"
        session.screenshot(SHOTS / "10-main-empty.png")
        AXE.scan(session, "servers: empty", "en", "light")

        step("the log file records what happened and holds no password")
        text = app_log()
        assert "saved server" in text and "removed server" in text, text[-2000:]
        assert admin_password not in text, "a password reached the log"

        step("closing the window leaves the app in the tray, without its web page")
        assert session.invoke("tray_status")["present"], "a tray icon to come back through"
        [app_pid] = app_pids()
        assert has_web_page(app_pid), children(app_pid)

        def window_closed():
            window = xwindow.find(TITLE)
            if window is not None:
                xwindow.request_close(window)
            return window is None

        eventually(window_closed, 20, "the window closes")
        eventually(
            lambda: not has_web_page(app_pid),
            20,
            f"the web page's process ends with the window: {children(app_pid)}",
        )
        assert app_pids() == [app_pid], "the app keeps running in the tray"

        step("a second launch opens the window again")
        second = subprocess.run([APP], capture_output=True, timeout=30)
        assert second.returncode == 0, second
        assert xwindow.wait_for(TITLE, True, STEP_TIMEOUT), "the window is back"
        eventually(
            lambda: has_web_page(app_pid),
            20,
            "a web page again",
        )
        assert app_pids() == [app_pid], "still one app"
        text = app_log()
        assert "window closed; staying in the tray" in text, text[-2000:]
        step("dark theme: the system prefers dark, the app follows")
        for pid in app_pids():
            os.kill(pid, 15)
        eventually(lambda: not app_pids(), 20, "the app quits")
        try:
            session.close()
        except Exception as error:  # its window was closed with the app
            print(f"(closing the WebDriver session: {error})", flush=True)
        session = None
        driver.terminate()
        driver.wait(timeout=10)
        driver, session = dark_theme(driver_port)
        print("all end-to-end steps passed", flush=True)
        print(f"axe-core in the real window ({len(AXE.scans)} scans):\n{AXE.table()}", flush=True)
    finally:
        if session is not None:
            try:
                session.close()
            except Exception as error:  # the window it drove was closed on purpose
                print(f"(closing the WebDriver session: {error})", flush=True)
        driver.terminate()
        for pid in app_pids():
            os.kill(pid, 15)
        if sim.poll() is None:
            sim.terminate()


if __name__ == "__main__":
    main()
