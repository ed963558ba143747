// Type-checked by esbuild's bundle in test/browser (not by tsc: 'genlook-rx' resolves to dist/, built after the typecheck).
// A page on a backend route without an event stream: the first id tries it, falls back to polling;
// the second, started once the first ended, polls at once.
import { lastValueFrom } from 'rxjs';
import { createGenlook } from 'genlook-rx';

const ids = (new URLSearchParams(location.search).get('ids') ?? '').split(',');
const genlook = createGenlook({ baseUrl: '/api/genlook', pollInterval: 100, cadence: 'fixed', rateLimit: false });
const outcomes: string[] = [];
for (const id of ids) outcomes.push((await lastValueFrom(genlook.generation$(id))).status);
document.body.dataset.done = outcomes.join(',');
