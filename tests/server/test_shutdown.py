"""SIGTERM: the server takes no new call, lets the live call finish its turn, persists it and
exits 0. Runs the real server process (uvicorn) with faked voice providers."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from resvoice.storage import open_storage
from tests.fakes.fake_serve import AUTH_TOKEN, CONSOLE_TOKEN, SCRIPT
from tests.fakes.twilio_peer import TwilioPeer
from tests.server.harness import RemoteConsole, speech

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(base: str, process: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient(base_url=base) as client, asyncio.timeout(30):
        while process.returncode is None:
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)  # readiness polling, not a timing assertion
    raise AssertionError("server process exited before it was ready")


async def test_sigterm_finishes_the_turn_persists_and_exits(seeded_url: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.fake_serve", "--db", seeded_url,
        "--port", str(port), "--tts-ms", "2000",
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        await wait_healthy(base, process)
        sid = "CA" + "d0" * 16
        console = RemoteConsole(base, CONSOLE_TOKEN)
        peer = await TwilioPeer.call(base, call_sid=sid, auth_token=AUTH_TOKEN)
        await console.replied(sid, 1)  # the greeting, heard to its end
        await peer.say(await speech(SCRIPT[0]))
        await console.until(lambda c: c.calls[sid]["state"] == "speaking")
        frames = peer.played.frames
        await peer.until(lambda played: played.frames > frames + 10)  # the reply is playing

        process.send_signal(signal.SIGTERM)
        async with httpx.AsyncClient(base_url=base) as client:
            late_caller = await client.post(
                "/twilio/voice",
                data={"CallSid": "CA" + "d1" * 16, "From": "+14155550100"},
            )
        await peer.closed.wait()
        await console.until(lambda c: sid in c.ended)
        assert await asyncio.wait_for(process.wait(), 30) == 0
        await console.close()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    # signature first: an unsigned request is refused even while draining
    assert late_caller.status_code == 403
    # the reply was played to its end, never cut: every mark sent came back played
    sent_marks = [name for kind, name in peer.played.log if kind == "mark"]
    assert peer.played.clears == 0
    assert peer.played.marks == sent_marks and len(sent_marks) >= 2
    storage = await open_storage(seeded_url)
    try:
        record = await storage.load_session(sid)
    finally:
        await storage.close()
    assert record is not None
    assert record.metadata.ended_reason == "shutdown"
    assert [line.role for line in record.transcript] == ["agent", "caller", "agent"]
    assert not record.transcript[0].interrupted
    assert record.transcript[1].text == SCRIPT[0]
    assert not record.transcript[2].interrupted
