import { Routes } from '@angular/router';
import { Home } from './home/home';
import { TryOn } from './try-on/try-on';

export const routes: Routes = [
  { path: '', component: Home },
  { path: 'try-on/:id', component: TryOn },
];
