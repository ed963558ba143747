import { describe } from '../model/option-checks.js';

/**
 * Checks and normalises `baseUrl`: an absolute http(s) URL without credentials, query or fragment, and
 * `https:` unless the host is loopback; or a path starting with `/` where the transport can resolve it
 * (a browser, or a custom transport). The trailing slash is dropped.
 */
export function resolveBaseUrl(value: unknown, hasCustomTransport: boolean): { baseUrl: string; isRelativeBaseUrl: boolean } {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`Expected \`baseUrl\` to be a URL string, got ${describe(value)}`);
  const trimmed = value.trim().replace(/\/+$/, '');
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) {
    if (!hasCustomTransport && !isBrowserLike()) {
      throw new TypeError(`Expected \`baseUrl\` to be an absolute URL on this runtime (a relative one needs a browser or a custom transport), got ${describe(value)}`);
    }
    return { baseUrl: trimmed, isRelativeBaseUrl: true };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new TypeError(`Expected \`baseUrl\` to be an absolute http(s) URL or a path starting with /, got ${describe(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`Expected \`baseUrl\` to use https:, got ${describe(value)}`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TypeError(`Expected \`baseUrl\` to use https: (plain http: is only allowed on loopback), got ${describe(value)}`);
  }
  if (url.username || url.password) throw new TypeError('Expected `baseUrl` without credentials in it: pass the key as `apiKey`');
  if (url.search || url.hash) throw new TypeError(`Expected \`baseUrl\` without a query or fragment, got ${describe(value)}`);
  return { baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, isRelativeBaseUrl: false };
}

/**
 * True for `localhost`, 127.0.0.0/8 and `[::1]`. Not for names under `.localhost`: Node resolves those
 * through DNS, so `evil.localhost` may well be another machine.
 */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function isBrowserLike(): boolean {
  return typeof (globalThis as { location?: unknown }).location === 'object';
}
