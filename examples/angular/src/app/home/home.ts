import { Component, inject } from '@angular/core';
import { Router } from '@angular/router';

/** Opens the page of a try-on by its generation id. */
@Component({
  selector: 'app-home',
  template: `
    <form (submit)="open(id.value); $event.preventDefault()">
      <label>Generation id <input #id name="id" required /></label>
      <button type="submit">Follow</button>
    </form>
  `,
})
export class Home {
  private readonly router = inject(Router);

  open(id: string): void {
    if (id.trim()) void this.router.navigate(['/try-on', id.trim()]);
  }
}
