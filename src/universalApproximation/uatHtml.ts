// The Universal Approximation page: the shared strict-CSP page of src/shared/webviewPage.ts under its own title.
import { renderWebviewPage, type WebviewPageOptions } from '../shared/webviewPage';

export type UatHtmlOptions = WebviewPageOptions;

export function renderUatHtml(options: UatHtmlOptions): string {
  return renderWebviewPage('Universal Approximation', options);
}
