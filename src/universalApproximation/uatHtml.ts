// The Universal Approximation page: the shared strict-CSP page of src/shared/webviewPage.ts under its own title,
// with the page's words (uatStrings) in the display language.
import { renderWebviewPage, type WebviewPageOptions } from '../shared/webviewPage';
import { uatStrings } from './uatStrings';

export type UatHtmlOptions = Omit<WebviewPageOptions, 'strings'> & { strings?: ReturnType<typeof uatStrings> };

export function renderUatHtml(options: UatHtmlOptions): string {
  const strings = options.strings ?? uatStrings();
  return renderWebviewPage(strings.title, { ...options, strings });
}
