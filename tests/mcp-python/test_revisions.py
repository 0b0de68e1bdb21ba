"""novabackup-mcp under the official MCP Python SDK, in each of its client modes: the
current revision alone (2026-07-28), auto (tries the current revision first) and legacy
(the 2025 initialize handshake). Every tool is listed and called, a prompt is fetched,
connect_server asks for credentials out of band, progress arrives and cancellation
stops the work."""

from __future__ import annotations

import re
import time

import anyio
import pytest
from mcp import types

from conftest import MODES, Home, Sim, connect, structured

TOOLS = {
    "system_info", "list_servers", "server_health", "connect_server", "disconnect_server",
    "list_agents", "get_agent", "list_agent_devices", "summarize_storage_usage",
    "summarize_csa_usage", "list_cloud_storage_accounts", "get_cloud_storage_account",
    "list_storage_servers", "get_storage_server", "list_groups", "get_group_hierarchy",
    "list_jobs_for_agent", "get_job", "list_backup_sources", "list_job_history",
    "get_job_history_summary", "get_job_run_log", "list_users", "get_user", "get_backup_health",
}  # fmt: skip
PROMPTS = {"diagnose_failing_jobs", "audit_cloud_storage_usage", "summarize_agent_health", "find_stale_agents"}

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("mode", list(MODES))]


async def call(client, name: str, arguments: dict | None = None) -> dict:
    result = await client.call_tool(name, arguments or {})
    body = structured(result)
    assert not result.is_error, f"{name} failed: {body}"
    return body


async def test_every_tool_is_listed_and_answers(mode: str, sim: Sim, home: Home) -> None:
    home.save("demo", sim.url, *sim.admin)
    async with connect(home, mode) as client:
        assert client.protocol_version == MODES[mode], "the revision both sides settled on"
        listed = {tool.name for tool in (await client.list_tools()).tools}
        assert TOOLS <= listed, f"missing: {TOOLS - listed}"

        info = await call(client, "system_info")
        assert info["client"]["protocol_version"] == MODES[mode], info["client"]
        assert "get_backup_health" in info["next_step"], "a saved server is connected"

        one = {"server_id": "demo"}
        agents = (await call(client, "list_agents", {"$top": 5}))["agents"]
        assert agents, "the demo estate has agents"
        agent_id = agents[0]["agent_id"]
        runs = (await call(client, "list_job_history", {"$top": 5}))["history"]
        jobs = (await call(client, "list_jobs_for_agent", {**one, "agent_id": agent_id}))["jobs"]
        accounts = (await call(client, "list_cloud_storage_accounts", {}))["cloud_storage_accounts"]
        storage_servers = (await call(client, "list_storage_servers", {}))["storage_servers"]
        users = (await call(client, "list_users", {}))["users"]
        managed = next(job for job in jobs if job.get("JobId") is not None)
        run_key = next(run for run in runs if run.get("job_log_id") is not None)["job_log_id"]

        answered = {"system_info", "list_agents", "list_job_history", "list_jobs_for_agent",
                    "list_cloud_storage_accounts", "list_storage_servers", "list_users"}  # fmt: skip
        calls = {
            "list_servers": {},
            "server_health": one,
            "get_agent": {"agent_id": agent_id},
            "list_agent_devices": {**one, "agent_id": agent_id},
            "summarize_storage_usage": {"group_by": "tenant"},
            "summarize_csa_usage": {},
            "get_cloud_storage_account": {**one, "cloud_storage_account_id": accounts[0]["cloud_storage_account_id"]},
            "get_storage_server": {**one, "storage_server_id": storage_servers[0]["storage_server"]["StorageServerId"]},
            "list_groups": {},
            "get_group_hierarchy": one,
            "get_job": {**one, "agent_id": agent_id, "identifier": managed["JobId"]},
            "list_backup_sources": {**one, "agent_id": agent_id},
            "get_job_history_summary": {"window": "7d"},
            "get_job_run_log": {**one, "job_id": run_key},
            "get_user": {**one, "user_id": users[0]["UserId"]},
            "get_backup_health": {"window": "7d"},
        }
        for name, arguments in calls.items():
            await call(client, name, arguments)
            answered.add(name)
        disconnected = await call(client, "disconnect_server", one)
        assert disconnected["disconnected"] is True
        answered |= {"disconnect_server", "connect_server"}  # connect_server: its own test
        assert answered == TOOLS


async def test_a_prompt_is_fetched(mode: str, sim: Sim, home: Home) -> None:
    home.save("demo", sim.url, *sim.admin)
    async with connect(home, mode) as client:
        prompts = {prompt.name for prompt in (await client.list_prompts()).prompts}
        assert prompts == PROMPTS
        prompt = await client.get_prompt("diagnose_failing_jobs", {"window": "7d"})
        text = " ".join(m.content.text for m in prompt.messages if m.content.type == "text")
        assert "7d" in text or "7 days" in text, text


async def test_connect_server_asks_for_credentials_out_of_band(mode: str, sim: Sim, home: Home) -> None:
    user, password = sim.admin
    asked: list[types.ElicitRequestParams] = []

    async def fill_in(_context, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params)
        return types.ElicitResult(
            action="accept", content={"base_url": sim.url, "username": user, "password": password}
        )

    async with connect(home, mode, elicitation_callback=fill_in) as client:
        result = await call(client, "connect_server", {"label": "Acme MS"})
        assert result["connected"] is True, result
        assert result["credentials_from"] == "elicitation"
        assert len(asked) == 1, "one form, shown once"
        schema = asked[0].requested_schema
        assert {"base_url", "username", "password"} <= set(schema["properties"]), schema
        agents = await call(client, "list_agents", {"$top": 1})
        assert agents["_meta"]["servers_succeeded"] == 1

        refused = await client.call_tool("connect_server", {"server_id": "other", "base_url": sim.url})
        assert len(asked) == 2, "a known address asks for user and password only"
        assert "base_url" not in asked[1].requested_schema["properties"]
        assert structured(refused)["connected"] is True

    log = home.log_text()
    first_connect = next(line for line in log.splitlines() if 'tool="connect_server"' in line)
    if MODES[mode] == "2026-07-28":
        assert 'status="input_required"' in first_connect, "asked by an input-required answer: " + first_connect
    else:
        assert 'status="ok"' in first_connect, "asked by an elicitation request inside the call: " + first_connect
    assert password not in log, "the password never reaches the log"
    assert password not in str(result)


async def test_a_declined_form_connects_nothing(mode: str, sim: Sim, home: Home) -> None:
    async def decline(_context, _params) -> types.ElicitResult:
        return types.ElicitResult(action="decline")

    async with connect(home, mode, elicitation_callback=decline) as client:
        result = await call(client, "connect_server", {})
        assert result["connected"] is False
        assert "declined" in result["error"], result


async def test_progress_arrives_while_servers_answer(mode: str, sim: Sim, home: Home) -> None:
    home.save("demo-a", sim.url, *sim.admin)
    home.save("demo-b", sim.url, *sim.admin)
    seen: list[tuple[float, float | None]] = []

    async def progress(done: float, total: float | None, _message: str | None) -> None:
        seen.append((done, total))

    async with connect(home, mode) as client:
        result = await client.call_tool("list_agents", {"$top": 1}, progress_callback=progress)
        assert not result.is_error
    assert seen, "at least one progress notification"
    assert all(total == 2 for _, total in seen), seen


async def test_a_cancelled_call_stops_at_once(mode: str, home: Home, silent_server: str) -> None:
    home.save("silent", silent_server, "alice", "pw-silent")
    async with connect(home, mode) as client:
        started = time.monotonic()
        with anyio.move_on_after(1.0):
            await client.call_tool("list_agents", {"server_id": "silent"})
        assert time.monotonic() - started < 3, "the client gave up after 1 s"
        info = await call(client, "system_info")  # the session still answers
        assert info["client"]["protocol_version"] == MODES[mode]
        for _ in range(50):
            if 'tool="list_agents"' in home.log_text():
                break
            await anyio.sleep(0.1)
    line = next(line for line in home.log_text().splitlines() if 'tool="list_agents"' in line)
    duration = int(re.search(r"duration_ms=(\d+)", line)[1])
    assert duration < 3000, f"the server stopped the call when cancelled, not at its timeout: {line}"
