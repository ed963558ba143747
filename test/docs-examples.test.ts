import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The files a guide shows whole: a bold path, then a fenced block with the file's content. */
export function shownFiles(guide: string): Array<{ path: string; content: string }> {
  const text = readFileSync(`${root}/docs/${guide}`, 'utf8');
  return [...text.matchAll(/\*\*`([^`]+)`\*\*\n\n```\w*\n([\s\S]*?)```\n/g)].map((match) => ({ path: match[1]!, content: match[2]! }));
}

describe('the guides show the examples as they are (the examples build and run in npm test)', () => {
  it.each([
    ['angular.md', 'examples/angular', ['src/app/app.html', 'src/app/app.config.ts', 'src/app/app.routes.ts', 'src/app/home.ts', 'src/app/try-on.ts', 'server/server.mjs', 'proxy.conf.json']],
    ['nestjs.md', 'examples/nestjs', ['src/genlook-options.ts', 'src/main.ts', 'src/app.module.ts', 'src/try-ons/try-ons.controller.ts', 'src/try-ons/try-ons.controller.spec.ts', 'test/app.e2e-spec.ts']],
  ])('%s shows the files of %s, whole', (guide, app, paths) => {
    const files = shownFiles(guide);
    expect(files.map((file) => file.path)).toEqual(paths);
    for (const file of files) expect(file.content, `${guide}: ${file.path}`).toBe(readFileSync(`${root}/${app}/${file.path}`, 'utf8'));
  });

  it.each([
    ['angular.md', 'examples/angular', ['src/app/app.spec.ts']],
    ['nestjs.md', 'examples/nestjs', ['src/app.controller.ts', 'src/app.service.ts', 'src/app.controller.spec.ts']],
  ])('%s says which files of the scaffold to delete, and %s has none of them', (guide, app, deleted) => {
    const text = readFileSync(`${root}/docs/${guide}`, 'utf8');
    for (const path of deleted) {
      expect(text).toMatch(new RegExp(`Delete[^\\n]*\`${path.replace(/\./g, '\\.')}\``));
      expect(() => readFileSync(`${root}/${app}/${path}`)).toThrow();
    }
  });
});
