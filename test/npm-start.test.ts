import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('npm start', () => {
  it('runs the demo on the embedded simulator with no key and no network, and exits 0', () => {
    const env = { ...process.env };
    delete env.GENLOOK_API_KEY;
    delete env.GENLOOK_BASE_URL;
    // npm test builds before vitest, so npm start finds dist/ fresh and does not rebuild under the other tests.
    const run = spawnSync('npm', ['start', '--silent'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/8 try-ons in [\d.]+s: 6 completed, 2 failed as scripted \(PRODUCT_IMAGE_FETCH_FAILED, PERSON_NOT_DETECTED\)/);
    expect(run.stdout).toMatch(/\d+ requests \([\d.]+ a generation, its creation included\); \d+ injected 5xx ridden through; 0 answered 429/);
  }, 60_000);
});
