import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The files a guide shows whole: a bold path, then a fenced block with the file's content. */
function shownFiles(guide: string): Array<{ path: string; content: string }> {
  const text = readFileSync(`${root}/docs/${guide}`, 'utf8');
  return [...text.matchAll(/\*\*`([^`]+)`\*\*\n\n```\w*\n([\s\S]*?)```\n/g)].map((match) => ({ path: match[1]!, content: match[2]! }));
}

describe('the guides show the examples as they are (the examples build and run in npm test)', () => {
  it.each([
    ['angular.md', 'examples/angular', 9],
    ['nestjs.md', 'examples/nestjs', 7],
  ])('%s shows the files of %s, whole', (guide, app, count) => {
    const files = shownFiles(guide);
    expect(files.map((file) => file.path)).toHaveLength(count);
    for (const file of files) expect(file.content, `${guide}: ${file.path}`).toBe(readFileSync(`${root}/${app}/${file.path}`, 'utf8'));
  });
});
