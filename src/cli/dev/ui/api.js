// The viewer's JSON API (same origin).

export async function getJson(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  const response = await fetch(search ? `${path}?${search}` : path, {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  }
  return response.json();
}

/** Opens the live event stream; `onUpdate(stats)` runs on every update. */
export function subscribe(onUpdate, onState) {
  const source = new EventSource('api/events');
  source.addEventListener('update', (event) => onUpdate(JSON.parse(event.data)));
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => onState(false));
  return source;
}
