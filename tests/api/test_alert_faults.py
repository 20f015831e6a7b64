"""The alert path under faults: sockets cut, pushes lost, the worker killed between storing
and pushing, repeatedly. Every alert must arrive after reconnect; none may arrive again after
its acknowledgement.

Figures are printed (run with -s) and asserted: alerts lost == 0, re-sends after ack == 0.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from service_fixtures import CRISIS_TEXT, PASSWORD, TEST_SECRET, LiveServer, free_port
from sqlalchemy import func, select
from websockets.sync.client import connect

from copilot.db.models import Alert

ROUNDS = 20
KILLS = 3


class Tally:
    def __init__(self):
        self.created: set[str] = set()
        self.received: set[str] = set()
        self.acked_at: dict[str, float] = {}  # alert id -> when the ack was confirmed
        self.resent_after_ack: list[str] = []
        self.faults: dict[str, int] = {}

    def fault(self, kind: str) -> None:
        self.faults[kind] = self.faults.get(kind, 0) + 1

    def saw(self, frame: dict, connected_at: float) -> str | None:
        if frame.get("type") != "alert":
            return None
        aid = frame["alert"]["id"]
        if aid in self.acked_at and self.acked_at[aid] < connected_at:
            self.resent_after_ack.append(aid)
        self.received.add(aid)
        return aid


def stack_enter(ws):
    """Open a socket we may cut later without a close handshake (closing it is best effort)."""
    _sockets.append(ws)
    return ws


_sockets: list = []


def _drain(ws, tally: Tally, connected_at: float, idle_s: float) -> list[str]:
    got = []
    while True:
        try:
            frame = json.loads(ws.recv(timeout=idle_s))
        except TimeoutError:
            return got
        aid = tally.saw(frame, connected_at)
        if aid:
            got.append(aid)


@contextlib.contextmanager
def app_storage(db_url: str):
    from copilot.db import Database

    database = Database.from_url(db_url)
    try:
        with database.session() as s:
            yield s
    finally:
        database.dispose()


def _login(http: httpx.Client, username: str) -> dict:
    r = http.post("/v1/auth/token", json={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_alerts_survive_cut_sockets_and_lost_pushes(app_factory, api, db_url):
    rng = random.Random(6)
    tally = Tally()
    counselor = api.account("counselor")
    app = app_factory(ws_resync_interval_s=0.2)
    real_publish = app.state.hub.publish_threadsafe
    with LiveServer(app) as srv, httpx.Client(base_url=srv.http, timeout=10) as http:
        headers = _login(http, counselor.username)
        sid = http.post("/v1/sessions", headers=headers, json={"client_ref": "fault-1"}).json()["id"]
        for i in range(ROUNDS):
            drop_push = rng.random() < 0.4
            app.state.hub.publish_threadsafe = (lambda *a, **k: None) if drop_push else real_publish
            if drop_push:
                tally.fault("push_lost")
            ws = stack_enter(connect(srv.ws, additional_headers=headers).__enter__())
            connected_at = time.monotonic()
            assert json.loads(ws.recv(timeout=5))["type"] == "hello"
            for _ in range(rng.randint(1, 3)):
                r = http.post(f"/v1/sessions/{sid}/messages", headers=headers,
                              json={"role": "client", "text": f"{CRISIS_TEXT} #{i}"})
                assert r.status_code == 201
                tally.created.update(a["id"] for a in r.json()["alerts"])
            fault = rng.choice(["cut_before_read", "cut_after_read", "ack_then_cut", "clean"])
            if fault == "cut_before_read":
                ws.socket.close()  # TCP gone, no close handshake
                tally.fault(fault)
                continue
            got = _drain(ws, tally, connected_at, idle_s=0.35)
            to_ack = [a for a in got if rng.random() < 0.6]
            for aid in to_ack:
                if rng.random() < 0.5:
                    assert http.post(f"/v1/alerts/{aid}/ack", headers=headers).status_code == 200
                    tally.acked_at[aid] = time.monotonic()
                else:
                    ws.send(json.dumps({"type": "ack", "alert_id": aid}))
            if fault == "ack_then_cut":
                ws.socket.close()  # the socket acks may or may not have landed
                tally.fault(fault)
                continue
            # Confirm socket acks, then make sure nothing acknowledged comes back.
            deadline = time.monotonic() + 5
            pending_ok = {a for a in to_ack if a not in tally.acked_at}
            while pending_ok and time.monotonic() < deadline:
                frame = json.loads(ws.recv(timeout=5))
                if frame["type"] == "ack_ok":
                    pending_ok.discard(frame["alert_id"])
                    tally.acked_at[frame["alert_id"]] = time.monotonic()
                else:
                    tally.saw(frame, connected_at)
            assert not pending_ok
            if fault == "cut_after_read":
                ws.socket.close()
                tally.fault(fault)
            else:
                ws.close()
        app.state.hub.publish_threadsafe = real_publish
        # Final reconnect: everything not acknowledged arrives; then acknowledge it all.
        with connect(srv.ws, additional_headers=headers) as ws:
            connected_at = time.monotonic()
            ws.recv(timeout=5)
            final = _drain(ws, tally, connected_at, idle_s=1.0)
            for aid in final:
                assert http.post(f"/v1/alerts/{aid}/ack", headers=headers).status_code == 200
                tally.acked_at[aid] = time.monotonic()
        with connect(srv.ws, additional_headers=headers) as ws:
            connected_at = time.monotonic()
            ws.recv(timeout=5)
            assert _drain(ws, tally, connected_at, idle_s=0.6) == []
    for ws in _sockets:
        with contextlib.suppress(Exception):
            ws.close()
    _sockets.clear()
    lost = tally.created - tally.received
    print(f"\n[alert faults] rounds={ROUNDS} alerts={len(tally.created)} faults={tally.faults} "
          f"lost={len(lost)} resent_after_ack={len(tally.resent_after_ack)}")
    assert sum(tally.faults.values()) >= ROUNDS // 2
    assert lost == set()
    assert tally.resent_after_ack == []
    with app_storage(db_url) as s:  # every alert ended acknowledged in storage
        assert s.scalar(select(func.count(Alert.id)).where(Alert.acknowledged_at.is_(None))) == 0
        assert {str(i) for i in s.scalars(select(Alert.id))} == tally.created


def _start(port: int, env: dict, kill: bool) -> subprocess.Popen:
    e = dict(env, FAULT_KILL_ON_PUSH="1" if kill else "0")
    p = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fault_server.py")), str(port)],
                         env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120  # start-up loads the lexicon (seconds on a busy box)
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=0.5).status_code == 200:
                return p
        except httpx.HTTPError:
            pass
        if p.poll() is not None:
            raise RuntimeError(p.stderr.read().decode()[-4000:])
        time.sleep(0.05)
    p.kill()
    raise RuntimeError("server did not start")


def test_worker_killed_between_storing_and_pushing(api, db_url, tmp_path):
    """The server process dies (os._exit) after the commit, before the push, KILLS times."""
    from copilot.db import Database

    counselor = api.account("counselor")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
    env.update(COPILOT_DATABASE_URL=db_url, COPILOT_SECRET_KEY=TEST_SECRET,
               COPILOT_DATA_DIR=str(tmp_path), COPILOT_MODEL_DIR=str(tmp_path / "no-model"),
               COPILOT_WS_RESYNC_INTERVAL_S="0.2", COPILOT_LOG_JSON="true")
    port = free_port()
    sid = None
    killed = 0
    for _ in range(KILLS):
        p = _start(port, env, kill=True)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            headers = _login(http, counselor.username)
            if sid is None:
                sid = http.post("/v1/sessions", headers=headers,
                                json={"client_ref": "fault-kill"}).json()["id"]
            with pytest.raises(httpx.HTTPError):  # the worker dies mid-request
                http.post(f"/v1/sessions/{sid}/messages", headers=headers,
                          json={"role": "client", "text": CRISIS_TEXT})
        assert p.wait(timeout=10) == 137
        killed += 1
    database = Database.from_url(db_url)
    with database.session() as s:
        stored = {str(a.id) for a in s.scalars(select(Alert))}
    database.dispose()
    assert len(stored) == KILLS  # every killed request had committed its alert
    p = _start(port, env, kill=False)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            headers = _login(http, counselor.username)
            tally = Tally()
            with connect(f"ws://127.0.0.1:{port}/v1/ws/alerts", additional_headers=headers) as ws:
                ws.recv(timeout=5)
                got = _drain(ws, tally, time.monotonic(), idle_s=1.0)
                for aid in got:
                    ws.send(json.dumps({"type": "ack", "alert_id": aid}))
                    assert json.loads(ws.recv(timeout=5)) == {"type": "ack_ok", "alert_id": aid}
            with connect(f"ws://127.0.0.1:{port}/v1/ws/alerts", additional_headers=headers) as ws:
                ws.recv(timeout=5)
                again = _drain(ws, tally, time.monotonic(), idle_s=0.6)
    finally:
        p.terminate()
        p.wait(timeout=10)
    print(f"\n[worker kill] killed={killed} stored={len(stored)} delivered={len(set(got))} "
          f"lost={len(stored - set(got))} resent_after_ack={len(again)}")
    assert sorted(got) == sorted(stored)  # each exactly once, none lost
    assert again == []
