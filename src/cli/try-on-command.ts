import type { TryOnRequest } from '../index.js';
import { API_FLAGS, type CliContext, clientFrom, parseFlags, WATCH_FLAGS, watchSettings } from './cli-context.js';
import { EXIT, UsageError } from './exit-codes.js';
import { runWatch } from './run-watch.js';
import { jsonLine, terminalText } from './terminal-text.js';

export const TRY_ON_HELP = `Usage: genlook-rx try-on (--product-id <id> | --product-image <url>) (--person-image <url> | --person-id <id>) [options]

Creates a try-on (POST /try-on, one credit) and watches its generation.

Options:
  --product-id <id>       a product of your catalogue (externalId)
  --product-image <url>   or a product described by its image
  --person-image <url>    the shopper's photo
  --person-id <id>        or a photo uploaded before
  --user <id>             externalUserId
  --json, --interval <ms>, --time-scale <x>, --timeout <ms>, --download <dir>, --api-key <key>,
  --base-url <url>, --retries <n>: as for watch
  -h, --help              this help
`;

/** `genlook-rx try-on`. */
export async function tryOnCommand(context: CliContext): Promise<number> {
  const { values } = parseFlags(context.argv, {
    ...WATCH_FLAGS,
    ...API_FLAGS,
    'product-id': { type: 'string' },
    'product-image': { type: 'string' },
    'person-image': { type: 'string' },
    'person-id': { type: 'string' },
    user: { type: 'string' },
  });
  if (values.help) {
    context.stdout.write(TRY_ON_HELP);
    return 0;
  }
  const product = values['product-image'] ? { externalId: values['product-id'], images: [{ source: { url: values['product-image'] } }] } : values['product-id'] ? { externalId: values['product-id'] } : undefined;
  if (product === undefined) throw new UsageError('try-on needs --product-id or --product-image');
  const source = values['person-image'] ? { url: values['person-image'] } : values['person-id'] ? { id: values['person-id'] } : undefined;
  if (source === undefined) throw new UsageError('try-on needs --person-image or --person-id');
  const request = { products: [product], person: { image: { source } }, ...(values.user ? { externalUserId: values.user } : {}) } as TryOnRequest;
  const settings = watchSettings(values, context);
  const genlook = clientFrom(values, context.env, settings.interval);
  try {
    let generationId: string;
    try {
      ({ generationId } = await genlook.createTryOn(request, { signal: context.signal }));
    } catch (error) {
      if (context.signal.aborted) return EXIT.interrupted;
      const code = (error as { code?: string }).code;
      if (code === 'INVALID_REQUEST') throw new UsageError((error as Error).message);
      context.stderr.write(`error: ${terminalText((error as Error).message)}\n`);
      return EXIT.apiError;
    }
    if (settings.output === 'ndjson') context.stdout.write(jsonLine({ event: 'created', generationId, elapsedMs: 0 }));
    const { exitCode } = await runWatch(genlook, [generationId], settings);
    return exitCode;
  } finally {
    await genlook.close();
  }
}
