import type { Observable } from 'rxjs';
import { createGenlook, type Genlook } from './create-genlook.js';
import type { GenerationOptions } from './options.js';
import type { Generation } from '../model/schemas.js';

let defaultClient: Genlook | undefined;

/**
 * The same stream as `genlook.generation$`, from a default client created on first subscription
 * from the environment (`GENLOOK_API_KEY`, `GENLOOK_BASE_URL`).
 *
 * @example
 * ```ts
 * import { generation$ } from 'genlook-rx';
 * generation$('gen_123').subscribe((generation) => console.log(generation.status));
 * ```
 */
export function generation$(id: string, options?: GenerationOptions): Observable<Generation> {
  return (defaultClient ??= createGenlook()).generation$(id, options);
}
