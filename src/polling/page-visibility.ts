import { defer, filter, fromEvent, type Observable, share, switchMap, take } from 'rxjs';

/** Whether the page is shown, and when it is shown again. */
export interface PageVisibility {
  isVisible(): boolean;
  /** Emits each time the page is shown again (one listener, shared). */
  shown$: Observable<unknown>;
}

/** The part of a browser's `document` the Page Visibility API needs. */
interface VisibilityDocument {
  visibilityState: string;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/**
 * The page's visibility in a browser (`document.visibilityState` and its `visibilitychange` event), or
 * `undefined` where there is no page (Node, a worker).
 */
export function pageVisibility(): PageVisibility | undefined {
  const document = (globalThis as { document?: Partial<VisibilityDocument> }).document;
  if (document === undefined || typeof document.visibilityState !== 'string' || typeof document.addEventListener !== 'function' || typeof document.removeEventListener !== 'function') return undefined;
  const page = document as VisibilityDocument;
  const isVisible = () => page.visibilityState !== 'hidden';
  return { isVisible, shown$: fromEvent(page, 'visibilitychange').pipe(filter(isVisible), share()) };
}

/** `source$` at once while the page is visible; else once it is shown again. */
export function whileVisible<T>(source$: Observable<T>, visibility: PageVisibility): Observable<T> {
  return defer(() => (visibility.isVisible() ? source$ : visibility.shown$.pipe(take(1), switchMap(() => source$))));
}
