"""`copilot serve` needs no set-up: embedded SQLite, migrations and secret key at start-up,
JSON logs. One slow end-to-end test runs the shipped model when it is present."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest
from service_fixtures import CRISIS_TEXT, free_port, repo_root

MODEL_DIR = repo_root() / "models" / "konselor-id"


def _serve(tmp_path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
    p = subprocess.Popen([sys.executable, "-m", "copilot.cli", "serve", "--port", str(port),
                          "--data-dir", str(tmp_path / "var"), *extra],
                         cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200:
                return p, port
        except httpx.HTTPError:
            pass
        if p.poll() is not None:
            raise RuntimeError(p.stderr.read().decode()[-3000:])
        time.sleep(0.1)
    p.kill()
    raise RuntimeError("copilot serve did not become ready")


def _admin(tmp_path, username: str, role: str = "admin") -> None:
    subprocess.run([sys.executable, "-m", "copilot.cli", "admin", "create", username, "--role", role,
                    "--password-stdin", "--data-dir", str(tmp_path / "var")],
                   input=b"kata-sandi-yang-panjang\n", check=True, capture_output=True)


def _login(port: int, username: str) -> dict:
    r = httpx.post(f"http://127.0.0.1:{port}/v1/auth/token",
                   json={"username": username, "password": "kata-sandi-yang-panjang"})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_serve_on_embedded_defaults(tmp_path):
    p, port = _serve(tmp_path, "--model-dir", str(tmp_path / "no-model"))
    try:
        ready = httpx.get(f"http://127.0.0.1:{port}/health/ready").json()
        assert ready["degraded"] is True and ready["database"] == "ok"
        assert (tmp_path / "var" / "copilot.db").is_file()
        assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600
        _admin(tmp_path, "kon.ani", role="counselor")
        h = _login(port, "kon.ani")
        base = f"http://127.0.0.1:{port}"
        sid = httpx.post(f"{base}/v1/sessions", headers=h, json={"client_ref": "c-1"}).json()["id"]
        r = httpx.post(f"{base}/v1/sessions/{sid}/messages", headers=h,
                       json={"role": "client", "text": CRISIS_TEXT + ", wa 0812-3456-7890"})
        assert r.json()["alerts"][0]["label"] == "suicidal"
    finally:
        p.terminate()
        _, err = p.communicate(timeout=15)
    lines = [json.loads(x) for x in err.decode().splitlines() if x.startswith("{")]
    assert any(x.get("route") == "/v1/sessions/{session_id}/messages" for x in lines)
    assert "0812-3456-7890" not in err.decode() and "bunuh diri" not in err.decode()


@pytest.mark.slow
@pytest.mark.skipif(not (MODEL_DIR / "manifest.json").is_file(),
                    reason=f"no shipped model at {MODEL_DIR} (built by the models issue)")
def test_end_to_end_with_the_shipped_model(tmp_path):
    p, port = _serve(tmp_path, "--model-dir", str(MODEL_DIR))
    try:
        base = f"http://127.0.0.1:{port}"
        ready = httpx.get(f"{base}/health/ready").json()
        assert ready["loaded"] is True and ready["degraded"] is False, ready
        _admin(tmp_path, "kon.budi", role="counselor")
        h = _login(port, "kon.budi")
        sid = httpx.post(f"{base}/v1/sessions", headers=h, json={"client_ref": "c-2"}).json()["id"]
        out = httpx.post(f"{base}/v1/sessions/{sid}/messages", headers=h, timeout=30,
                         json={"role": "client", "text": CRISIS_TEXT}).json()
        alert = next(a for a in out["alerts"] if a["label"] == "suicidal")
        assert alert["degraded"] is False and alert["score"] is not None
        assert out["message"]["analysis"]["model"]
        lint = httpx.post(f"{base}/v1/lint", headers=h, timeout=30,
                          json={"text": "kenapa sih kamu gak dari dulu ninggalin dia?"}).json()
        assert lint["degraded"] is False
        assert "judgmental" in [f["label"] for f in lint["flags"]]
    finally:
        p.terminate()
        p.wait(timeout=15)
