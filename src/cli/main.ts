#!/usr/bin/env node
import { createRequire } from 'node:module';
import { type CliContext } from './cli-context.js';
import { DEMO_HELP, demoCommand } from './demo-command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { terminalText } from './terminal-text.js';
import { SIMULATE_HELP, simulateCommand } from './simulate-command.js';
import { TRY_ON_HELP, tryOnCommand } from './try-on-command.js';
import { WATCH_HELP, watchCommand } from './watch-command.js';

const HELP = `Usage: genlook-rx <command> [options]

Commands:
  watch <id...>   follow generations live (table on a terminal, NDJSON when piped)
  try-on          create a try-on and watch it
  simulate        run the local Genlook-compatible API
  demo            the simulator, a batch of try-ons watched live, a summary

Run genlook-rx <command> --help for its options. Configuration: GENLOOK_API_KEY, GENLOOK_BASE_URL.
`;

const COMMANDS: Record<string, { run: (context: CliContext) => Promise<number>; help: string }> = {
  watch: { run: watchCommand, help: WATCH_HELP },
  'try-on': { run: tryOnCommand, help: TRY_ON_HELP },
  simulate: { run: simulateCommand, help: SIMULATE_HELP },
  demo: { run: demoCommand, help: DEMO_HELP },
};

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(context: CliContext): Promise<number> {
  const [name, ...rest] = context.argv;
  if (name === '--version' || name === '-v') {
    context.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new UsageError(`Unknown command ${JSON.stringify(name)}. Commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await command.run({ ...context, argv: rest });
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr.write(`genlook-rx: ${terminalText(error.message)}\n`);
      return EXIT.usage;
    }
    if (context.signal.aborted) return EXIT.interrupted;
    context.stderr.write(`genlook-rx: ${terminalText(String((error as Error)?.message ?? error))}\n`);
    return EXIT.apiError;
  }
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../package.json') as { version: string }).version;
}

const controller = new AbortController();
/** The exit code of the first signal received: 128 + its number, as a shell reports a process it ended. */
let stoppedWith: number | undefined;
for (const [signal, code] of [['SIGINT', EXIT.interrupted], ['SIGTERM', EXIT.terminated]] as const) {
  process.on(signal, () => {
    if (stoppedWith !== undefined) process.exit(stoppedWith);
    stoppedWith = code;
    controller.abort();
  });
}

main({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then((code) => {
  // A command that was stopped answers EXIT.interrupted; the signal says which of Ctrl-C or SIGTERM it was.
  const exitCode = stoppedWith !== undefined && code !== 0 && code !== EXIT.usage ? stoppedWith : code;
  process.exitCode = exitCode;
  // Nothing of ours should keep the process alive; this unref'd timer only guards against a stray handle.
  setTimeout(() => process.exit(exitCode), 2_000).unref();
});
