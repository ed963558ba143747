import { Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { GenerationFailedError, isGenlookError } from 'genlook-rx';
import { GENLOOK, generationResource } from 'genlook-rx/angular';
import { interval, map } from 'rxjs';

/** The page of one try-on (`/try-on/:id`): its status, then the image or why it failed. */
@Component({
  selector: 'app-try-on',
  imports: [RouterLink],
  template: `
    @if (reconnecting(); as code) {
      <p class="reconnecting">Reconnecting… ({{ code }})</p>
    }
    @let failure = generation.error();
    @if (failure) {
      @if (failedCode(failure); as code) {
        <p class="failed">The try-on failed: {{ code }}</p>
      } @else {
        <p class="error">Could not follow the try-on: {{ errorCode(failure) }}</p>
      }
    } @else if (generation.value()?.resultImageUrl; as image) {
      <img [src]="image" alt="Your try-on" />
    } @else {
      <p class="status">{{ generation.value()?.status ?? 'Starting' }}…</p>
      <progress [value]="progress()" max="1" aria-label="Estimated progress"></progress>
    }
    <a routerLink="/">Back</a>
  `,
})
export class TryOn {
  /** The generation id, from the route (`withComponentInputBinding`). */
  readonly id = input.required<string>();
  /**
   * Followed while the page is shown: leaving it destroys the component, which unsubscribes (the
   * request in flight is cancelled, the poll stops). The timeout is longer than the client's own
   * give-up on an unreachable API (2 minutes), so an outage is reported as what it is.
   */
  readonly generation = generationResource(this.id, { timeout: 300_000 });

  private readonly genlook = inject(GENLOOK);
  /** Whether your backend's route answers (`ok`, `retrying`, `down`): the client's own requests tell. */
  private readonly health = toSignal(this.genlook.health$, { requireSync: true });
  /** While they fail, the last failure's code: the page says "Reconnecting…" instead of falling silent. */
  protected readonly reconnecting = computed(() => {
    const health = this.health();
    return health.status === 'ok' ? undefined : health.code;
  });
  /** A clock for the progress bar, twice a second. */
  private readonly now = toSignal(interval(500).pipe(map(() => Date.now())), { initialValue: Date.now() });
  /** How far along the try-on likely is: an estimate from the try-ons this client saw, never a promise. */
  protected readonly progress = computed(() => {
    this.now();
    const generation = this.generation.value();
    return generation ? this.genlook.estimate(generation).progress : 0;
  });

  protected failedCode(error: Error): string | undefined {
    return error instanceof GenerationFailedError ? (error.errorCode ?? 'UNKNOWN') : undefined;
  }

  protected errorCode(error: Error): string {
    return isGenlookError(error) ? error.code : 'UNEXPECTED_ERROR';
  }
}
