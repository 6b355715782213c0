// The Compare Activations page: the shared strict-CSP page of src/shared/webviewPage.ts under its own title, with
// the page's words (compareStrings) in the display language.
import { renderWebviewPage, type WebviewPageOptions } from '../shared/webviewPage';
import { compareStrings } from './compareStrings';

export type CompareHtmlOptions = Omit<WebviewPageOptions, 'strings'> & { strings?: ReturnType<typeof compareStrings> };

export function renderCompareHtml(options: CompareHtmlOptions): string {
  const strings = options.strings ?? compareStrings();
  return renderWebviewPage(strings.title, { ...options, strings });
}
