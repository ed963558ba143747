import { configure } from 'rxjs-marbles';
import { expect } from 'vitest';

// rxjs-marbles has no vitest entry: configure its assertions with vitest's expect, once.
configure({ assertDeepEqual: (actual, expected) => expect(actual).toStrictEqual(expected), frameworkMatcher: true });
