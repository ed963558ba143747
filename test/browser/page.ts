// Type-checked by esbuild's bundle in test/browser (not by tsc: 'genlook-rx' resolves to dist/, built after the typecheck).
// The page of the browser test: the root entry under the `browser` condition (fetch transport), a
// relative baseUrl to the app's own backend route (no key in the page), a generation followed to its image.
import { createGenlook } from 'genlook-rx';

const id = new URLSearchParams(location.search).get('id') ?? '';
const status = document.getElementById('status')!;
const image = document.getElementById('result') as HTMLImageElement;
const seen: string[] = [];
const genlook = createGenlook({ baseUrl: '/api/genlook', pollInterval: 100, rateLimit: false });

genlook.generation$(id).subscribe({
  next: (generation) => {
    seen.push(generation.status);
    status.textContent = generation.status;
    if (generation.resultImageUrl) image.src = generation.resultImageUrl;
  },
  complete: () => {
    document.body.dataset.statuses = seen.join(',');
    document.body.dataset.outcome = 'completed';
  },
  error: (error: { code?: string }) => {
    document.body.dataset.outcome = `error:${error.code}`;
  },
});
