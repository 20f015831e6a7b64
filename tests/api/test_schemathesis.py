"""Property-based fuzzing of every operation in the OpenAPI spec against the real server:
no input may produce a server error, and responses must match their documented schemas.

Bounded (MAX_EXAMPLES per operation and backend) so the whole run takes about a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from service_fixtures import CRISIS_TEXT, ApiHelper, LiveServer

MAX_EXAMPLES = 25
ADMIN_PREFIXES = ("/v1/users", "/v1/audit")


@pytest.fixture
def live(app_factory, db_url):
    app = app_factory(escalation_timeout_s=3600)
    with LiveServer(app) as srv:
        import httpx

        with httpx.Client(base_url=srv.http) as http:
            api = ApiHelper(http, db_url)
            admin = api.account("admin")
            sup = api.account("supervisor")
            counselor = api.account("counselor", sup)
            victim = api.account("counselor", sup)  # the only account the fuzzer may block
            sid = api.session(counselor)
            alert_id = api.message(counselor, sid, CRISIS_TEXT)["alerts"][0]["id"]
        real_ids = {"session_id": sid, "alert_id": alert_id, "user_id": str(victim.id)}
        yield srv, {"admin": admin, "counselor": counselor, "ids": real_ids}


def _operations():
    from copilot.api.main import create_app
    from copilot.settings import Settings

    spec = create_app(Settings()).openapi()  # no lifespan: nothing touches storage here
    schema = schemathesis.openapi.from_dict(spec)
    return {r.ok().label: r.ok() for r in schema.get_all_operations()}


OPERATIONS = _operations()


# Positive and negative (schema-violating) inputs alike; hypothesis drives schemathesis'
# strategy directly (its pytest plugin's lazy loader does not run on pytest 9).
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_server_errors(label, live):
    srv, accounts = live
    op = OPERATIONS[label]
    who = "admin" if op.path.startswith(ADMIN_PREFIXES) else "counselor"
    headers = accounts[who].headers
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    strategy = st.one_of(*[op.as_strategy(generation_mode=m) for m in modes])
    seen = {"calls": 0}

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    def run(case):
        seen["calls"] += 1
        checks = [not_a_server_error]
        if case.meta is None or case.meta.generation.mode == schemathesis.GenerationMode.POSITIVE:
            checks.append(response_schema_conformance)
        response = case.call(base_url=srv.http, headers=headers, timeout=30)
        case.validate_response(response, checks=checks)
        if case.path_parameters:
            # Again on real objects, so bodies reach storage and the analyzer, not a 404.
            case.path_parameters = {k: accounts["ids"].get(k, v)
                                    for k, v in case.path_parameters.items()}
            response = case.call(base_url=srv.http, headers=headers, timeout=30)
            case.validate_response(response, checks=checks)

    run()
    CALLS[label] = CALLS.get(label, 0) + seen["calls"]
    print(f"[schemathesis] {label}: {seen['calls']} cases")
    assert seen["calls"] >= 1


CALLS: dict[str, int] = {}
