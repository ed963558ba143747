import type * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// English messages for this library's own parses only: zod's global configuration stays the app's.
const { localeError } = en();

/** One failed check: a dotted path and a message. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Parses with `schema`, returning the data or the issues with English messages. */
export function validate<T>(schema: z.ZodMiniType<T>, value: unknown): { success: true; data: T } | { success: false; issues: ValidationIssue[] } {
  const result = schema.safeParse(value, { error: localeError });
  if (result.success) return { success: true, data: result.data };
  return { success: false, issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })) };
}

/** The first issues as one line, for an error message. */
export function summarize(issues: readonly ValidationIssue[]): string {
  return issues.slice(0, 3).map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
}
