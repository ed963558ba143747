import { describe, expect, it } from 'vitest';
import { boolean, callable, describe as render, nonEmptyString, nonNegative, nonNegativeInteger, oneOf, positive, positiveInteger, share, withMethods } from '../src/model/option-checks.js';

/** The TypeError a check throws for `name` and a bad value, as every option's message reads. */
const refusal = (name: string, what: string, got: string) => new TypeError(`Expected \`${name}\` to be ${what}, got ${got}`);

describe('option checks (src/model/option-checks.ts): each passes good values through and names a bad one', () => {
  it('positive: a finite number > 0', () => {
    expect(positive('x', 0.5)).toBe(0.5);
    for (const [bad, got] of [[0, '0'], [-1, '-1'], [Infinity, 'Infinity'], [Number.NaN, 'NaN'], ['5', '"5"'], [undefined, 'undefined']] as const) {
      expect(() => positive('x', bad)).toThrow(refusal('x', 'a positive number', got));
    }
  });

  it('nonNegative: a finite number >= 0', () => {
    expect(nonNegative('x', 0)).toBe(0);
    expect(nonNegative('x', 2.5)).toBe(2.5);
    for (const [bad, got] of [[-0.1, '-0.1'], [Infinity, 'Infinity'], [Number.NaN, 'NaN'], [null, 'null']] as const) {
      expect(() => nonNegative('x', bad)).toThrow(refusal('x', 'a non-negative number', got));
    }
  });

  it('nonNegativeInteger: an integer >= 0', () => {
    expect(nonNegativeInteger('x', 0)).toBe(0);
    expect(nonNegativeInteger('x', 7)).toBe(7);
    for (const [bad, got] of [[-1, '-1'], [1.5, '1.5'], [Infinity, 'Infinity'], [true, 'true']] as const) {
      expect(() => nonNegativeInteger('x', bad)).toThrow(refusal('x', 'a non-negative integer', got));
    }
  });

  it('positiveInteger: an integer > 0', () => {
    expect(positiveInteger('x', 1)).toBe(1);
    for (const [bad, got] of [[0, '0'], [-3, '-3'], [2.5, '2.5'], ['1', '"1"']] as const) {
      expect(() => positiveInteger('x', bad)).toThrow(refusal('x', 'a positive integer', got));
    }
  });

  it('share: a number from 0 to 1, both ends included', () => {
    expect(share('x', 0)).toBe(0);
    expect(share('x', 1)).toBe(1);
    expect(share('x', 0.25)).toBe(0.25);
    for (const [bad, got] of [[-0.01, '-0.01'], [1.01, '1.01'], [Number.NaN, 'NaN'], ['0.5', '"0.5"']] as const) {
      expect(() => share('x', bad)).toThrow(refusal('x', 'a number from 0 to 1', got));
    }
  });

  it('boolean: true or false only', () => {
    expect(boolean('x', true)).toBe(true);
    expect(boolean('x', false)).toBe(false);
    expect(() => boolean('x', 0)).toThrow(refusal('x', 'a boolean', '0'));
    expect(() => boolean('x', 'true')).toThrow(refusal('x', 'a boolean', '"true"'));
  });

  it('nonEmptyString: a string with at least one character', () => {
    expect(nonEmptyString('x', 'a')).toBe('a');
    expect(() => nonEmptyString('x', '')).toThrow(refusal('x', 'a non-empty string', '""'));
    expect(() => nonEmptyString('x', 1)).toThrow(refusal('x', 'a non-empty string', '1'));
  });

  it('oneOf: one of the choices, listed in the message', () => {
    expect(oneOf('x', 'b', ['a', 'b'])).toBe('b');
    expect(() => oneOf('x', 'c', ['a', 'b'])).toThrow(new TypeError("Expected `x` to be 'a', 'b', got \"c\""));
  });

  it('callable: a function', () => {
    const f = () => 1;
    expect(callable('x', f)).toBe(f);
    expect(() => callable('x', {})).toThrow(refusal('x', 'a function', 'an object'));
  });

  it('withMethods: an object whose every named method is a function', () => {
    const value = { a: () => 1, b: () => 2 };
    expect(withMethods('x', value, ['a', 'b'], 'a thing')).toBe(value);
    expect(() => withMethods('x', { a: () => 1, b: 2 }, ['a', 'b'], 'a thing')).toThrow(refusal('x', 'a thing', 'an object'));
    expect(() => withMethods('x', { b: () => 2 }, ['a', 'b'], 'a thing')).toThrow(refusal('x', 'a thing', 'an object'));
    expect(() => withMethods('x', null, [], 'a thing')).toThrow(refusal('x', 'a thing', 'null'));
    expect(() => withMethods('x', () => 1, [], 'a thing')).toThrow(refusal('x', 'a thing', 'a function'));
  });

  it('describe renders a bad value short and safe', () => {
    expect(render('a'.repeat(60))).toBe(JSON.stringify('a'.repeat(60)));
    expect(render('a'.repeat(61))).toBe(JSON.stringify(`${'a'.repeat(60)}…`));
    expect(render('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(render(3)).toBe('3');
    expect(render(false)).toBe('false');
    expect(render(10n)).toBe('10');
    expect(render(null)).toBe('null');
    expect(render(undefined)).toBe('undefined');
    expect(render(() => 1)).toBe('a function');
    expect(render([1])).toBe('an array');
    expect(render({})).toBe('an object');
    expect(render(Symbol('s'))).toBe('an object');
  });
});
