import { createHash } from 'node:crypto';

/**
 * The channel of an id, which is also the prefix of its two keys: `<prefix>:{<digest>}`. The hash tag is
 * a digest of the id (SHA-256, base64url, 128 bits), never the id itself: an id holding `{` or `}` (`}x`
 * would make the tag empty and put the two keys in different Redis Cluster slots, CROSSSLOT) cannot
 * change which slot the keys share, and the keys hold nothing of the id.
 */
export function coordinatedChannel(prefix: string, id: string): string {
  return `${prefix}:{${createHash('sha256').update(id).digest('base64url').slice(0, 22)}}`;
}
