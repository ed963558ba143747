/**
 * True for an absolute `http:` or `https:` URL: what a result image link must be, on every status. A
 * `javascript:` or `data:` link, or anything a browser would not fetch as an image, is refused by the schema.
 */
export function isWebUrl(text: string): boolean {
  return parsedWebUrl(text) !== undefined;
}

/**
 * The serialised form (`href`) of an absolute `http:` or `https:` URL, else `undefined`. The serialiser
 * percent-encodes every control, space, bidi mark and non-ASCII character of the path, query and
 * fragment, and a host holding a bidi control does not parse: the result is printable ASCII.
 */
export function webUrlOf(text: string): string | undefined {
  return parsedWebUrl(text)?.href;
}

function parsedWebUrl(text: string): URL | undefined {
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
