import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { type TryOnRequest, tryOnRequestSchema } from 'genlook-rx';

/** Checks a try-on request body against genlook-rx's schema: a bad one is a 400 with the details, before any credit is spent. */
@Injectable()
export class TryOnRequestPipe implements PipeTransform<unknown, TryOnRequest> {
  transform(body: unknown): TryOnRequest {
    const parsed = tryOnRequestSchema.safeParse(body);
    if (parsed.success) return parsed.data;
    const details = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new BadRequestException({ code: 'VALIDATION_FAILED', message: 'Invalid try-on request', details });
  }
}
