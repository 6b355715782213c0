// The Compare Activations page: the shared strict-CSP page of src/shared/webviewPage.ts under its own title.
import { renderWebviewPage, type WebviewPageOptions } from '../shared/webviewPage';

export type CompareHtmlOptions = WebviewPageOptions;

export function renderCompareHtml(options: CompareHtmlOptions): string {
  return renderWebviewPage('Compare Activations', options);
}
