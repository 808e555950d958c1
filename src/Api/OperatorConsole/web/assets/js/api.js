// Every call the console makes goes through here, to the public API with the signed-in person's token.

let tokenSource = () => null;
let unauthorized = () => {};

/** token(): the bearer token or null; onUnauthorized(): called on any 401 (the session is over). */
export function configureApi({ token, onUnauthorized }) {
  tokenSource = token;
  unauthorized = onUnauthorized;
}

/** A refused or failed call: the API's problem+json (code, detail, field errors), or a network failure. */
export class ApiError extends Error {
  constructor(status, body, response) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.title = body?.title ?? null;
    this.code = body?.code ?? (status === 0 ? 'network_error' : `http_${status}`);
    this.detail = body?.detail ?? null;
    this.fields = Object.entries(body?.errors ?? {}).flatMap(([name, texts]) => texts.map((text) => `${name}: ${text}`));
    this.requestId = body?.requestId ?? response?.headers.get('X-Request-Id') ?? null;
    this.retryAfter = response?.headers.get('Retry-After') ?? null;
    this.body = body;
  }
}

/**
 * api('POST', '/v1/inventory/X/receipts', { body, idempotencyKey }) → the parsed JSON (null for no content).
 * query: an object of parameters; null and empty values are left out.
 */
export async function api(method, path, { body, query, idempotencyKey } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }

  const headers = { Accept: 'application/json' };
  const token = tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;

  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
  } catch {
    throw new ApiError(0, { title: 'The API could not be reached.', detail: 'Check the connection and try again; a retry of an action is safe.' });
  }

  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = { detail: text.slice(0, 300) }; }
  }

  if (response.status === 401) {
    unauthorized();
  }

  if (!response.ok) throw new ApiError(response.status, parsed, response);
  return { status: response.status, body: parsed, requestId: response.headers.get('X-Request-Id') };
}

/** A new Idempotency-Key (a UUID). */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
