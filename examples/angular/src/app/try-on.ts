import { Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { GenerationFailedError, isGenlookError } from 'genlook-rx';
import { generationResource } from 'genlook-rx/angular';

/** The page of one try-on (`/try-on/:id`): its status, then the image or why it failed. */
@Component({
  selector: 'app-try-on',
  imports: [RouterLink],
  template: `
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

  protected failedCode(error: Error): string | undefined {
    return error instanceof GenerationFailedError ? (error.errorCode ?? 'UNKNOWN') : undefined;
  }

  protected errorCode(error: Error): string {
    return isGenlookError(error) ? error.code : 'UNEXPECTED_ERROR';
  }
}
