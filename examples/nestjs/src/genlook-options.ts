import type { GenlookOptions } from 'genlook-rx';

/** The app's configuration was incomplete: the message says what to set. */
export class ConfigurationError extends Error {}

/**
 * The client's options from the environment: `GENLOOK_API_KEY` (required: the app refuses to start
 * without it) and `GENLOOK_BASE_URL` (optional: the simulator's URL in tests).
 */
export function genlookOptionsFromEnv(env: NodeJS.ProcessEnv): GenlookOptions {
  const apiKey = env.GENLOOK_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigurationError('GENLOOK_API_KEY is not set: export your Genlook API key (Genlook dashboard, API keys) before starting the app.');
  }
  return { apiKey, baseUrl: env.GENLOOK_BASE_URL || undefined };
}
