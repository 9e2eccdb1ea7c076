"""`resvoice serve` from the command line: clear one-line errors, and a real process that
serves /healthz and /metrics and exits 0 on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from resvoice.cli import app
from tests.server.test_shutdown import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


def test_serve_without_twilio_auth_token_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "TWILIO_AUTH_TOKEN" in result.output and "Traceback" not in result.output


def test_serve_on_an_unseeded_database_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["serve", "--insecure-dev", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--stt", "none",
         "--tts", "espeak"],
        env={"TWILIO_AUTH_TOKEN": ""},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "resvoice seed" in result.output


async def test_serve_process_answers_health_and_metrics_then_exits_on_sigterm(
    seeded_url: str, tmp_path: Path
) -> None:
    pytest.importorskip("espeakng_loader")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DEEPGRAM_"))}
    output = (tmp_path / "serve.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "resvoice.cli", "serve", "--port", str(port), "--db", seeded_url,
        "--stt", "none", "--tts", "espeak",
        cwd=tmp_path,
        env={**env, "TWILIO_AUTH_TOKEN": "t0k", "RESVOICE_CONSOLE_TOKEN": "c0n5ole"},
        stdout=output, stderr=output,
    )  # fmt: skip
    try:
        await wait_healthy(base, process)
        async with httpx.AsyncClient(base_url=base) as client:
            metrics = await client.get("/metrics")
            forged = await client.post("/twilio/voice", data={"CallSid": "CA1"})
            wrong = await client.get("/console/events?x=1&token=wr0ngt0ken&Password=pw5ecret")
            console = await client.get("/console?token=c0n5ole", follow_redirects=False)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert metrics.status_code == 200
    assert "resvoice_active_calls 0.0" in metrics.text
    assert forged.status_code == 403
    assert console.status_code == 303
    assert wrong.status_code == 401
    output.close()
    log = (tmp_path / "serve.log").read_text()
    assert "GET /console?token=[redacted]" in log  # the access log is on, its secrets masked
    for secret in ("c0n5ole", "wr0ngt0ken", "pw5ecret", "t0k"):
        assert secret not in log
