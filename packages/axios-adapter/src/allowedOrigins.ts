import { createOriginPolicy, type OriginPolicy } from '@authmachine/core';
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';

/** Decides, per request, whether its URL points at an origin that may receive the token. */
export type OriginCheck = ((config: InternalAxiosRequestConfig) => boolean) & { readonly policy: OriginPolicy };

/** Core's origin allow-list, asked about the URL axios will build: `url` against `baseURL`. */
export function createOriginCheck(instance: AxiosInstance, allowedOrigins: string[] | undefined): OriginCheck {
  const isAllowed = createOriginPolicy({
    allowedOrigins,
    defaultBaseURL: instance.defaults.baseURL,
    owner: 'attachAuth',
    missingOriginHint:
      'give the axios instance an absolute baseURL, or pass allowedOrigins: ["https://api.example.com"].',
  });
  const check = (config: InternalAxiosRequestConfig): boolean =>
    isAllowed(config.url ?? '', config.baseURL, config.allowAbsoluteUrls !== false);
  return Object.assign(check, { policy: isAllowed });
}
