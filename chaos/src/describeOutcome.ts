/** A short, token-free name for how a call ended: `200`, `AxiosError 401`, `AuthError QUEUE_TIMEOUT`... */
export function describeOutcome(value: unknown): string {
  if (typeof value === 'number') return String(value);
  // What refresh() resolves with: never printed.
  if (typeof value === 'string') return 'a token';
  if (!(value instanceof Error) && !(value instanceof DOMException)) return value === undefined ? 'ok' : typeof value;
  const { name } = value;
  const status = (value as { response?: { status?: unknown } }).response?.status;
  if (typeof status === 'number') return `${name} ${status}`;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? `${name} ${code}` : name;
}
