#!/usr/bin/env python3
"""The seeds' POS load test against a running ./run.sh, as a new user would try it.

2,000 deliveries of 400 sale events (each delivered 5 times, shuffled, so repeats race the first one) from
75 terminals, each its own principal (rate limits are per tenant and subject), on 40 SKUs and 50 players
of a fresh tenant. Prints throughput, statuses (201 first, 204 repeats), p50/p95/p99, then waits (at most
60 s) until every accepted event's saga has finished and says how many were applied.

    ./run.sh                                   # in another terminal
    python3 scripts/pos-seed-load.py [--api http://127.0.0.1:5000] [--key .data/secrets/dev-signing-key]

Tokens are minted with run.sh's development signing key (HS256), like `FurnitureOps.Api dev-token`.
Standard library only; every loop is bounded in count and time.
"""
import argparse, base64, hashlib, hmac, json, random, threading, time, urllib.error, urllib.request, uuid

EVENTS, DELIVERIES_PER_EVENT, TERMINALS, SKUS, PLAYERS = 400, 5, 75, 40, 50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default="http://127.0.0.1:5000")
    parser.add_argument("--key", default=".data/secrets/dev-signing-key", help="file holding Auth__SigningKey")
    args = parser.parse_args()
    client = Client(args.api, open(args.key).read().strip().encode(), f"posload-{uuid.uuid4().hex[:8]}")

    admin = client.token("admin")
    skus = [f"POS-{i}" for i in range(SKUS)]
    for sku in skus:
        status, _, _ = client.call("POST", "/v1/inventory", {"sku": sku, "name": "Oak chair", "onHand": 100_000}, admin, f"create-{sku}")
        if status != 201:
            raise SystemExit(f"creating {sku} answered {status}")

    # (key, till, sku, quantity, player, amount): a till re-sends the same body under the same key.
    events = [(f"till-{i % TERMINALS}-{i:06d}", f"till-{i % TERMINALS}", skus[i % SKUS], 1 + i % 3, f"P-{i % PLAYERS}", 10 + i)
              for i in range(EVENTS)]
    queue = [event for event in events for _ in range(DELIVERIES_PER_EVENT)]
    random.shuffle(queue)
    lock, results, created = threading.Lock(), [], {}

    def terminal(n):
        token = client.token(f"terminal-{n}")
        while True:
            with lock:
                if not queue:
                    return
                key, till, sku, quantity, player, amount = queue.pop()
            body = {"source": till, "type": "sale", "occurredAt": "2026-11-22T10:15:00Z",
                    "lines": [{"sku": sku, "quantity": quantity}], "playerId": player, "amount": amount}
            status, ms, answer = client.call("POST", "/v1/pos/events", body, token, key)
            with lock:
                results.append((status, ms))
                if status == 201:
                    created[key] = answer["eventId"]

    started = time.perf_counter()
    threads = [threading.Thread(target=terminal, args=(n,)) for n in range(TERMINALS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - started

    latencies = sorted(ms for _, ms in results)
    statuses = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    at = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"tenant {client.tenant}: {len(results)} deliveries in {elapsed:.1f} s = {len(results) / elapsed:.0f} req/s; statuses {dict(sorted(statuses.items()))}")
    print(f"p50 {at(0.50):.0f} ms  p95 {at(0.95):.0f} ms  p99 {at(0.99):.0f} ms  max {latencies[-1]:.0f} ms")

    deadline, pending = time.monotonic() + 60, dict(created)
    finished = {}
    while pending and time.monotonic() < deadline:
        for key, event_id in list(pending.items()):
            status, _, view = client.call("GET", f"/v1/pos/events/{event_id}", None, admin)
            if status == 200 and view.get("status") in ("applied", "rejected"):
                finished[key] = view["status"]
                del pending[key]
        if pending:
            time.sleep(0.5)
    applied = sum(1 for status in finished.values() if status == "applied")
    print(f"{len(created)} events accepted; {applied} applied, {len(finished) - applied} rejected, {len(pending)} unfinished after the wait")


class Client:
    def __init__(self, api, signing_key, tenant):
        self.api, self.signing_key, self.tenant = api, signing_key, tenant

    def token(self, subject):
        now = int(time.time())
        claims = {"iss": "furnitureops-dev", "aud": "furnitureops", "iat": now, "nbf": now, "exp": now + 3600, "sub": subject,
                  "tenant_id": self.tenant, "scope": "inventory:read inventory:admin pos:ingest pos:read"}
        head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = b64(json.dumps(claims).encode())
        return f"{head}.{body}.{b64(hmac.new(self.signing_key, f'{head}.{body}'.encode(), hashlib.sha256).digest())}"

    def call(self, method, path, body, token, idempotency_key=None):
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = urllib.request.Request(self.api + path, method=method, headers=headers,
                                         data=None if body is None else json.dumps(body).encode())
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        except OSError:
            status, text = 0, b""
        answer = json.loads(text) if text.startswith(b"{") else {}
        return status, (time.perf_counter() - started) * 1000, answer


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


if __name__ == "__main__":
    main()
