// The Compare Networks page: the shared strict-CSP page of src/webviewPage.ts under its own title.
import { renderWebviewPage, type WebviewPageOptions } from '../webviewPage';

export type NetworksHtmlOptions = WebviewPageOptions;

export function renderNetworksHtml(options: NetworksHtmlOptions): string {
  return renderWebviewPage('Compare Networks', options);
}
