// Type-checked by esbuild's bundle in test/browser, not by tsc (excluded in tsconfig.json: 'genlook-rx' resolves to dist/, built after the typecheck).
// The page of the visibility test: `a` polled by a client that pauses while the page is hidden (the
// default), `b` by one that opted out, so the test can tell time by `b`'s polls.
import { createGenlook } from 'genlook-rx';

const query = new URLSearchParams(location.search);
// eventStream: false: this page is about the browser's own polls (the proxy's event stream would poll server-side).
const paused = createGenlook({ baseUrl: '/api/genlook', pollInterval: 3_000, cadence: 'fixed', rateLimit: false, eventStream: false });
const steady = createGenlook({ baseUrl: '/api/genlook', pollInterval: 100, cadence: 'fixed', rateLimit: false, pauseWhenHidden: false, eventStream: false });
paused.generation$(query.get('a') ?? '').subscribe();
steady.generation$(query.get('b') ?? '').subscribe();
