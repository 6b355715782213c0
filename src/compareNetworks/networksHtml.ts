// The Compare Networks page: the shared strict-CSP page of src/shared/webviewPage.ts under its own title, with the
// page's words (networksStrings) in the display language.
import { renderWebviewPage, type WebviewPageOptions } from '../shared/webviewPage';
import { networksStrings } from './networksStrings';

export type NetworksHtmlOptions = Omit<WebviewPageOptions, 'strings'> & { strings?: ReturnType<typeof networksStrings> };

export function renderNetworksHtml(options: NetworksHtmlOptions): string {
  const strings = options.strings ?? networksStrings();
  return renderWebviewPage(strings.title, { ...options, strings });
}
