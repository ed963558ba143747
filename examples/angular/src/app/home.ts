import { Component, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { GENLOOK } from 'genlook-rx/angular';
import { isGenlookError } from 'genlook-rx';

/** Creates a try-on (through your backend's route, which spends the credit) and opens its page. */
@Component({
  selector: 'app-home',
  template: `
    <form (submit)="create(person.value, product.value); $event.preventDefault()">
      <label>Photo of the person (URL) <input #person name="person" type="url" required /></label>
      <label>Product (your SKU) <input #product name="product" required /></label>
      <button type="submit" [disabled]="creating()">Try it on</button>
    </form>
    @if (problem(); as problem) {
      <p class="error">Could not create the try-on: {{ problem }}</p>
    }
    <form (submit)="open(id.value); $event.preventDefault()">
      <label>Or follow a generation id <input #id name="id" required /></label>
      <button type="submit">Follow</button>
    </form>
  `,
})
export class Home {
  private readonly genlook = inject(GENLOOK);
  private readonly router = inject(Router);
  protected readonly creating = signal(false);
  protected readonly problem = signal<string | undefined>(undefined);

  async create(personImageUrl: string, productId: string): Promise<void> {
    this.creating.set(true);
    this.problem.set(undefined);
    try {
      const { generationId } = await this.genlook.createTryOn({
        products: [{ externalId: productId.trim() }],
        person: { image: { source: { url: personImageUrl.trim() } } },
      });
      await this.router.navigate(['/try-on', generationId]);
    } catch (error) {
      this.problem.set(isGenlookError(error) ? error.code : 'UNEXPECTED_ERROR');
    } finally {
      this.creating.set(false);
    }
  }

  open(id: string): void {
    if (id.trim()) void this.router.navigate(['/try-on', id.trim()]);
  }
}
