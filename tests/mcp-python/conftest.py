"""What the Python interop tests share: the built binaries, a simulated Management Server,
a throw-away home with saved servers, and the official MCP Python SDK's client."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import mcp
import pytest
from mcp.client.stdio import StdioServerParameters, stdio_client

REPO = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
MCP_BIN = os.environ.get("NOVABACKUP_MCP_BIN", str(TARGET / "debug" / "novabackup-mcp"))
SIM_BIN = os.environ.get("MS_SIM_BIN", str(TARGET / "debug" / "ms-sim"))

#: The client modes of the SDK and the revision each must end up speaking with us.
MODES = {
    "2026-07-28": "2026-07-28",  # the current revision only: discovery, no initialize
    "auto": "2026-07-28",  # tries the current revision first, falls back when it must
    "legacy": "2025-11-25",  # the initialize handshake of the 2025 revisions
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Sim:
    """A running simulator: its server URLs and demo users."""

    process: subprocess.Popen[str]
    servers: list[tuple[str, str]] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.servers[0][1]

    @property
    def admin(self) -> tuple[str, str]:
        return "admin", self.users["admin"]


@pytest.fixture
def sim() -> Iterator[Sim]:
    process = subprocess.Popen(
        [SIM_BIN, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    started = Sim(process)
    assert process.stdout is not None
    for line in process.stdout:
        if server := re.match(r"^server\s+(\S+)\s+(https?://\S+)", line):
            started.servers.append((server[1], server[2]))
        if user := re.match(r"^user\s+(\S+)\s+(\S+)", line):
            started.users[user[1]] = user[2]
        if line.startswith("ready"):
            break
    assert started.servers, "ms-sim printed no server"
    yield started
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback address that accepts connections and never answers a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/managementserver"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@dataclass
class Home:
    """A private home folder; servers saved in it reach the MCP server by its environment."""

    path: Path
    servers: list[dict[str, str]] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict)

    def save(self, server_id: str, url: str, username: str, password: str) -> None:
        self.servers.append(
            {"server_id": server_id, "label": f"{server_id} (test)", "base_url": url, "username": username}
        )
        self.passwords[server_id] = password

    def env(self) -> dict[str, str]:
        servers_file = self.path / "servers.json"
        credentials_file = self.path / "credentials.json"
        servers_file.write_text(json.dumps({"version": 1, "servers": self.servers}))
        credentials_file.write_text(
            json.dumps(
                {
                    "version": 1,
                    "servers": [{**s, "password": self.passwords[s["server_id"]]} for s in self.servers],
                }
            )
        )
        return {
            "HOME": str(self.path),
            "PATH": os.environ.get("PATH", ""),
            "MCP_SERVERS_FILE": str(servers_file),
            "MCP_CREDENTIALS_FILE": str(credentials_file),
            "MCP_REQUEST_TIMEOUT_SECONDS": "5",
        }

    @property
    def log(self) -> Path:
        return self.path / "novabackup-mcp.log"

    def log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""


@pytest.fixture
def home() -> Iterator[Home]:
    with tempfile.TemporaryDirectory(prefix="novabackup-py-") as path:
        yield Home(Path(path))


@contextlib.asynccontextmanager
async def connect(home: Home, mode: str, **client_options: object) -> AsyncIterator[mcp.Client]:
    """The official SDK's high-level client in `mode`, on the built server over stdio;
    the server's standard error goes to `home.log`."""
    params = StdioServerParameters(command=MCP_BIN, args=[], env=home.env())
    with home.log.open("a") as errlog:
        async with mcp.Client(stdio_client(params, errlog=errlog), mode=mode, **client_options) as client:
            yield client


def structured(result: mcp.types.CallToolResult) -> dict:
    """A tool result's structured content (or its parsed text)."""
    if result.structured_content is not None:
        return result.structured_content
    text = next(c.text for c in result.content if c.type == "text")
    return json.loads(text)
