"""The app's window as the X server sees it: find it by title, resize it, and ask it to
close the way a window manager's close button does (a WM_DELETE_WINDOW message), under
a bare Xvfb with no window manager. Needs the Debian package python3-xlib."""

import time

from Xlib import X, display
from Xlib.protocol import event


def _walk(window):
    yield window
    for child in window.query_tree().children:
        yield from _walk(child)


def find(title):
    """The id of a mapped top-level window titled `title`, or None."""
    screen = display.Display()
    try:
        for window in _walk(screen.screen().root):
            try:
                name = window.get_wm_name()
                mapped = window.get_attributes().map_state == X.IsViewable
            except Exception:  # the window went away while we looked
                continue
            if name == title and mapped:
                return window.id
        return None
    finally:
        screen.close()


def wait_for(title, present, timeout):
    """Waits until a window titled `title` is there (or gone); True when it happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (find(title) is not None) == present:
            return True
        time.sleep(0.2)
    return False


def resize(window_id, width, height):
    """Resizes the window, as a user dragging its corner does."""
    screen = display.Display()
    try:
        window = screen.create_resource_object("window", window_id)
        window.configure(width=width, height=height)
        screen.flush()
    finally:
        screen.close()


def request_close(window_id):
    """Asks the window to close, as a window manager's close button does."""
    screen = display.Display()
    try:
        window = screen.create_resource_object("window", window_id)
        protocols = screen.intern_atom("WM_PROTOCOLS")
        delete = screen.intern_atom("WM_DELETE_WINDOW")
        message = event.ClientMessage(
            window=window,
            client_type=protocols,
            data=(32, [delete, X.CurrentTime, 0, 0, 0]),
        )
        window.send_event(message, event_mask=X.NoEventMask)
        screen.flush()
    finally:
        screen.close()
