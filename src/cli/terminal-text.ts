import { escapeControls } from '../internal.js';

/**
 * Text from a server (a status, a URL, an error code or message), made safe for a terminal: control
 * characters are shown as `\u{..}` escapes, so no escape sequence (colours, cursor moves, OSC 52
 * clipboard writes, OSC 0 window titles) reaches the terminal. The CLI's own colours are added after.
 */
export function terminalText(text: string): string {
  return escapeControls(text);
}

/**
 * One NDJSON line. `JSON.stringify` escapes C0 characters already; the C1 range, DEL, line separators
 * and bidi controls are escaped too (`\u009b` is a CSI to some terminals), still as valid JSON.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
