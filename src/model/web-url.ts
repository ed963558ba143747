/**
 * True for an absolute `http:` or `https:` URL: what a result image link must be. A `javascript:` or
 * `data:` link, or anything a browser would not fetch as an image, is refused by the schema.
 */
export function isWebUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
