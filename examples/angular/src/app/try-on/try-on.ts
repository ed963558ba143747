import { Component, inject, input } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { switchMap } from 'rxjs';
import { TryOnViews } from './try-on-view';

/** The page of one try-on (`/try-on/:id`): its status, then the image or why it failed. */
@Component({
  selector: 'app-try-on',
  imports: [RouterLink],
  template: `
    @if (view(); as view) {
      @switch (view.kind) {
        @case ('status') {
          @if (view.generation.resultImageUrl; as image) {
            <img [src]="image" alt="Your try-on" />
          } @else {
            <p class="status">{{ view.generation.status }}…</p>
          }
        }
        @case ('failed') {
          <p class="failed">The try-on failed: {{ view.errorCode }}</p>
        }
        @case ('error') {
          <p class="error">Could not follow the try-on: {{ view.code }}</p>
        }
      }
    } @else {
      <p class="status">Starting…</p>
    }
    <a routerLink="/">Back</a>
  `,
})
export class TryOn {
  /** The generation id, from the route (`withComponentInputBinding`). */
  readonly id = input.required<string>();
  private readonly views = inject(TryOnViews);
  /** Subscribed while the page is shown: leaving it unsubscribes, which cancels the request and stops the poll. */
  readonly view = toSignal(toObservable(this.id).pipe(switchMap((id) => this.views.view$(id))));
}
