// The Compare Networks page: the shared strict-CSP page of src/shared/webviewPage.ts under its own title.
import { renderWebviewPage, type WebviewPageOptions } from '../shared/webviewPage';

export type NetworksHtmlOptions = WebviewPageOptions;

export function renderNetworksHtml(options: NetworksHtmlOptions): string {
  return renderWebviewPage('Compare Networks', options);
}
