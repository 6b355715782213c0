// The Visualize page's words, as the host wrote them into the page in the display language
// (src/visualize/panelStrings.ts), through the one mechanism every page shares (webview/shared/strings.ts).
import type { PanelStrings } from '../../src/visualize/panelStrings';
import { format, readPageStrings, translator } from '../shared/strings';

export const S: PanelStrings = readPageStrings<PanelStrings>();
export const t = translator(S);
export { format };
