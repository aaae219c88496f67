import { isAxiosError } from 'axios';

/** The HTTP status of an axios error, or what the error is instead (so a failed assertion says it). */
export function httpStatusOf(error: unknown): number | string {
  if (!isAxiosError(error)) return `not an AxiosError: ${describe(error)}`;
  return error.response?.status ?? `AxiosError without a response (${error.code})`;
}

/** The Authorization header the failed request carried, as axios sent it. */
export function authorizationSentBy(error: unknown): unknown {
  return isAxiosError(error) ? error.config?.headers.get('Authorization') : undefined;
}

function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
