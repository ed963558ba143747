import { describe } from '../model/option-checks.js';
import { escapeControls } from '../model/server-text.js';

/** The origin a relative `baseUrl` is resolved against to see whether a browser would stay on the page's own. */
const PAGE_ORIGIN = 'https://page.invalid';

/**
 * Checks and normalises `baseUrl`: an absolute http(s) URL without credentials, query or fragment, and
 * `https:` unless the host is loopback; or a path starting with `/` where the transport can resolve it
 * (a browser, or a custom transport), which must stay on the page's origin once a browser resolves it
 * (`/\evil.example`, `/<tab>/evil.example` and `//evil.example` all leave it, and are refused) and is
 * kept in its resolved form (`/api/../x` is `/x`). The trailing slash is dropped. An error names the
 * problem and shows only the scheme, host and path of the value: never its userinfo, query or fragment,
 * where a key may have been pasted.
 */
export function resolveBaseUrl(value: unknown, hasCustomTransport: boolean): { baseUrl: string; isRelativeBaseUrl: boolean } {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`Expected \`baseUrl\` to be a URL string, got ${typeof value === 'string' ? 'an empty string' : describe(value)}`);
  const trimmed = value.trim();
  if (trimmed.startsWith('/')) return relativeBaseUrl(trimmed, hasCustomTransport);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new TypeError('Expected `baseUrl` to be an absolute http(s) URL or a path starting with /, got a string that is neither (not shown: it may hold a key)');
  }
  const shown = shownUrl(url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`Expected \`baseUrl\` to use https:, got ${shown}`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TypeError(`Expected \`baseUrl\` to use https: (plain http: is only allowed on loopback), got ${shown}`);
  }
  if (url.username || url.password) throw new TypeError(`Expected \`baseUrl\` without credentials in it (pass the key as \`apiKey\`), got ${shown} with credentials`);
  if (url.search || url.hash) throw new TypeError(`Expected \`baseUrl\` without a query or fragment, got ${shown} with ${url.search ? 'a query' : 'a fragment'}`);
  return { baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, isRelativeBaseUrl: false };
}

/** A path on the page's own origin, as a browser would resolve it, or a `TypeError`. */
function relativeBaseUrl(path: string, hasCustomTransport: boolean): { baseUrl: string; isRelativeBaseUrl: boolean } {
  if (!hasCustomTransport && !isBrowserLike()) {
    throw new TypeError('Expected `baseUrl` to be an absolute URL on this runtime (a relative one needs a browser or a custom transport)');
  }
  // Resolved as a browser resolves it: `\` is `/`, tabs and newlines are dropped, so `/\host` and `/<tab>/host` are `//host`.
  const url = new URL(path, PAGE_ORIGIN);
  if (url.origin !== PAGE_ORIGIN) {
    throw new TypeError('Expected a relative `baseUrl` to stay on the page\'s origin: a browser resolves this one to another host (it starts with //, /\\ or holds a tab or newline)');
  }
  if (url.search || url.hash) throw new TypeError(`Expected \`baseUrl\` without a query or fragment, got ${JSON.stringify(url.pathname)} with ${url.search ? 'a query' : 'a fragment'}`);
  return { baseUrl: url.pathname.replace(/\/+$/, ''), isRelativeBaseUrl: true };
}

/** The scheme, host and path of a URL, quoted and escaped: what an error may show of it. */
function shownUrl(url: URL): string {
  const pathname = url.pathname === '/' ? '' : url.pathname;
  const path = pathname.length > 60 ? `${pathname.slice(0, 60)}…` : pathname;
  return JSON.stringify(escapeControls(`${url.protocol}//${url.host}${path}`));
}

/**
 * True for `localhost`, 127.0.0.0/8 and `[::1]`. Not for names under `.localhost`: Node resolves those
 * through DNS, so `evil.localhost` may well be another machine.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function isBrowserLike(): boolean {
  return typeof (globalThis as { location?: unknown }).location === 'object';
}
