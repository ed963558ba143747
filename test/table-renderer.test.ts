import { describe, expect, it } from 'vitest';
import { eraseLines, renderTable } from '../src/cli/table-renderer.js';
import { exitCodeOf } from '../src/cli/run-watch.js';
import type { WatchRow } from '../src/cli/watch-event.js';

const row = (overrides: Partial<WatchRow>): WatchRow => ({ generationId: 'gen_1', status: 'PENDING', startedAt: 0, endedAt: undefined, detail: '', outcome: 'running', ...overrides });

describe('the live table (a pure function)', () => {
  it('shows id, status, elapsed, a spinner while running and the result at the end', () => {
    const text = renderTable(
      [row({}), row({ generationId: 'gen_2', status: 'COMPLETED', endedAt: 9_500, outcome: 'completed', detail: 'https://cdn/x.png' }), row({ generationId: 'gen_3', status: 'FAILED', endedAt: 4_000, outcome: 'failed', detail: 'PRODUCT_IMAGE_FETCH_FAILED' })],
      { now: 12_300, tick: 0, color: false },
    );
    expect(text.split('\n')).toEqual([
      '  GENERATION  STATUS      ELAPSED  RESULT',
      '⠋ gen_1       PENDING       12.3s  ',
      '✔ gen_2       COMPLETED      9.5s  https://cdn/x.png',
      '✖ gen_3       FAILED         4.0s  PRODUCT_IMAGE_FETCH_FAILED',
    ]);
  });

  it('advances the spinner with the tick', () => {
    const frames = [0, 1, 2].map((tick) => renderTable([row({})], { now: 0, tick, color: false }).split('\n')[1]![0]);
    expect(new Set(frames).size).toBe(3);
  });

  it('colours by outcome only when asked (NO_COLOR and pipes get none)', () => {
    expect(renderTable([row({})], { now: 0, tick: 0, color: true })).toContain('\u001b[36m');
    expect(renderTable([row({})], { now: 0, tick: 0, color: false })).not.toContain('\u001b[');
  });

  it('cuts lines to the terminal width', () => {
    const text = renderTable([row({ detail: 'x'.repeat(300) })], { now: 0, tick: 0, color: false, width: 60 });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('erases the previous frame in place', () => {
    expect(eraseLines(4)).toBe('\u001b[4F\u001b[0J');
    expect(eraseLines(0)).toBe('');
  });
});

describe('exit codes', () => {
  it('0 all completed, 1 any failed, 3 timeout, 4 API error, 2 missing key', () => {
    expect(exitCodeOf([row({ outcome: 'completed' })])).toBe(0);
    expect(exitCodeOf([row({ outcome: 'completed' }), row({ outcome: 'failed' }), row({ outcome: 'timeout' })])).toBe(1);
    expect(exitCodeOf([row({ outcome: 'completed' }), row({ outcome: 'timeout' })])).toBe(3);
    expect(exitCodeOf([row({ outcome: 'error', detail: 'GENERATION_NOT_FOUND' })])).toBe(4);
    expect(exitCodeOf([row({ outcome: 'error', detail: 'API_KEY_NOT_CONFIGURED' })])).toBe(2);
  });
});

describe('the ETA cell', () => {
  it('shows the estimated time left of a running row, labelled an estimate; then "any moment"; never on a finished row', () => {
    const cell = (overrides: Partial<WatchRow>, now: number) => renderTable([row(overrides)], { now, tick: 0, color: false }).split('\n')[1]!;
    expect(cell({ endsAt: 6_400 }, 2_000)).toMatch(/ETA ~4s \(estimate\)$/);
    expect(cell({ endsAt: 6_400 }, 6_200)).toMatch(/ETA any moment \(estimate\)$/);
    expect(cell({ endsAt: 6_400, outcome: 'completed', status: 'COMPLETED', detail: 'https://x/r.png', endedAt: 5_000 }, 7_000)).not.toContain('ETA');
    expect(cell({}, 2_000)).not.toContain('ETA');
  });
});
