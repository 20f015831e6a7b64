"""Log-in, short-lived access tokens, rotating revocable refresh tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service_fixtures import PASSWORD, TEST_SECRET

from copilot import security


def test_login_refresh_rotation_and_reuse_detection(client, api):
    c = api.account("counselor")
    r = client.post("/v1/auth/token", json={"username": c.username, "password": "salah-sandi-123"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = client.post("/v1/auth/token", json={"username": "nobody", "password": PASSWORD})
    assert r.status_code == 401
    pair = client.post("/v1/auth/token", json={"username": c.username, "password": PASSWORD}).json()
    assert datetime.fromisoformat(pair["expires_at"]) - datetime.now(UTC) <= timedelta(minutes=16)
    new = client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert new.status_code == 200
    new = new.json()
    headers = {"Authorization": f"Bearer {new['access_token']}"}
    assert client.get("/v1/users/me", headers=headers).json()["username"] == c.username
    # Replaying the rotated token: treated as theft, every token of the account dies.
    assert client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    assert client.get("/v1/users/me", headers=headers).status_code == 401
    assert client.post("/v1/auth/refresh", json={"refresh_token": new["refresh_token"]}).status_code == 401


def test_logout_revokes_the_refresh_token(client, api):
    c = api.account("counselor")
    pair = client.post("/v1/auth/token", json={"username": c.username, "password": PASSWORD}).json()
    assert client.post("/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}).status_code == 204
    assert client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401


def test_expired_forged_and_wrong_type_tokens_are_refused(client, api):
    c = api.account("counselor")
    past = datetime.now(UTC) - timedelta(hours=1)
    expired, _ = security.create_access_token(TEST_SECRET, c.id, "counselor", 0, 60, now=past)
    forged, _ = security.create_access_token("another-secret-" + "y" * 40, c.id, "admin", 0, 600)
    for token in (expired, forged, "a.b.c", ""):
        r = client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, token


def test_secret_key_is_generated_once_and_private(tmp_path):
    from copilot.settings import Settings

    s = Settings(data_dir=tmp_path)
    k1 = security.load_or_create_secret(s)
    k2 = security.load_or_create_secret(s)
    assert k1 == k2 and len(k1) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_password_guessing_locks_the_account_with_429_and_retry_after(client, api):
    c = api.account("counselor")
    for _ in range(5):  # COPILOT_LOGIN_MAX_FAILURES defaults to 5
        r = client.post("/v1/auth/token", json={"username": c.username, "password": "tebak-sandi-123"})
        assert r.status_code == 401
    r = client.post("/v1/auth/token", json={"username": c.username, "password": PASSWORD})
    assert r.status_code == 429 and r.json()["code"] == "E429"
    assert 0 < int(r.headers["retry-after"]) <= 900
    assert "too many failed log-ins" in r.json()["detail"]
    other = api.account("counselor")
    assert client.post("/v1/auth/token", json={"username": other.username, "password": PASSWORD}).status_code == 200
    assert "copilot_login_lockouts_total 1.0" in client.get("/metrics").text
