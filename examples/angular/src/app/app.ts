import { Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  template: `
    <h1>Virtual try-on</h1>

    <router-outlet />
  `,
  styles: [],
})
export class App {}
