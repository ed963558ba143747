import { terminalText } from './terminal-text.js';
import type { WatchRow } from './watch-event.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const COLORS = { completed: 32, failed: 31, timeout: 33, error: 31, running: 36 } as const;

/** Settings of one frame of the live table. */
export interface TableFrame {
  now: number;
  /** Advances the spinner. */
  tick: number;
  /** ANSI colours (off with NO_COLOR or when not a terminal). */
  color: boolean;
  /** Terminal width; long cells are cut to fit. @default 100 */
  width?: number;
}

/**
 * Renders the watch table as text, one line per id plus a header: id, status, elapsed, a spinner
 * while running (a mark when done), and the result URL or error code (while running, the estimated
 * time left, `ETA ~4s (estimate)`), every server-given cell escaped
 * (`terminalText`). Pure: the same rows and frame give the same text, so it is tested without a terminal.
 */
export function renderTable(rows: readonly WatchRow[], frame: TableFrame): string {
  const { now, tick, color, width = 100 } = frame;
  const idWidth = Math.min(28, Math.max(10, ...rows.map((row) => row.generationId.length)));
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const header = `  ${'GENERATION'.padEnd(idWidth)}  ${'STATUS'.padEnd(10)}  ${'ELAPSED'.padStart(7)}  RESULT`;
  const lines = rows.map((row) => {
    const generationId = terminalText(row.generationId);
    const mark = row.outcome === 'running' ? SPINNER[tick % SPINNER.length]! : row.outcome === 'completed' ? '✔' : row.outcome === 'timeout' ? '⧗' : '✖';
    const elapsed = `${(((row.endedAt ?? now) - row.startedAt) / 1000).toFixed(1)}s`;
    const id = generationId.length > idWidth ? `${generationId.slice(0, idWidth - 1)}…` : generationId.padEnd(idWidth);
    const line = `${mark} ${id}  ${terminalText(row.status).padEnd(10)}  ${elapsed.padStart(7)}  ${terminalText(row.detail) || eta(row, now)}`;
    const fitted = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    return paint(COLORS[row.outcome], fitted);
  });
  return [color ? paint(1, header) : header, ...lines].join('\n');
}

/** A running row's ETA cell, from the client's estimate: labelled as one, never a promise. */
function eta(row: WatchRow, now: number): string {
  if (row.outcome !== 'running' || row.endsAt === undefined) return '';
  const left = row.endsAt - now;
  return left >= 500 ? `ETA ~${Math.round(left / 1000)}s (estimate)` : 'ETA any moment (estimate)';
}

/** Moves the cursor up over a previous frame of `lineCount` lines and clears them. */
export function eraseLines(lineCount: number): string {
  return lineCount === 0 ? '' : `\u001b[${lineCount}F\u001b[0J`;
}
