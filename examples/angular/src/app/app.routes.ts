import { Routes } from '@angular/router';
import { Home } from './home';
import { TryOn } from './try-on';

export const routes: Routes = [
  { path: '', component: Home },
  { path: 'try-on/:id', component: TryOn },
];
