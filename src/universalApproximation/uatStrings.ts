// The Universal Approximation page's words in the display language, embedded in the page (src/shared/webviewPage.ts)
// and read by webview/universalApproximation/main.ts. Pure (no vscode).
import * as l10n from '@vscode/l10n';

export function uatStrings() {
  return {
    title: l10n.t('Universal Approximation'),
    loadingData: l10n.t('Loading {0}…'),
    chooseData: l10n.t('Choose data…'),
    sourcePoints: l10n.t('{0} · {1} points'),
    lede1D: l10n.t('One hidden layer of sigmoid units. A steep σ(w·x + b) is a step at s = −b/w; two steps with output weights +h and −h make a bump of height h; enough bumps follow any continuous function (Nielsen, ch. 4). Drag a step (triangles under the plot) or a bump\'s height (squares), or Tab to a handle and use the arrow keys.'),
    bumpsAria: l10n.t('Number of bumps N'),
    buildBumps: l10n.t('Build N bumps'),
    steepnessAria: l10n.t('Steepness w of every step (log scale)'),
    addBump: l10n.t('Add bump'),
    removeBump: l10n.t('Remove bump'),
    removeBumpTitle: l10n.t('Removes the bump whose handle has focus, else the last one'),
    bumpsLabel: l10n.t('Bumps N'),
    steepnessLabel: l10n.t('Steepness w'),
    mainAria: l10n.t('Data points, the network\'s output and its bumps'),
    errorMse: l10n.t('Error (MSE)'),
    errorAria: l10n.t('Mean squared error of the built network against the number of bumps N'),
    errorCaption1D: l10n.t('Error of "Build N bumps" against N (log scale)'),
    clearTrained: l10n.t('Clear trained curves'),
    adoptTrained: l10n.t('Edit the trained weights'),
    training: l10n.t('Training by gradient descent'),
    trainingLede: l10n.t('Adam on the whole data set (mean squared error) in a worker thread. Very steep steps hardly move: σ′ is zero almost everywhere, so only the points on a step\'s rise pull on it. Lower w to watch gradient descent move them.'),
    learningRate: l10n.t('Learning rate'),
    trainHandBuilt: l10n.t('Let gradient descent take over'),
    trainRandom: l10n.t('Start from random'),
    stop: l10n.t('Stop'),
    labelHandBuilt: l10n.t('gradient descent from the hand-built weights'),
    labelRandom: l10n.t('gradient descent from random'),
    trainedAt: l10n.t('{0}: step {1}, MSE {2}'),
    trainStarting: l10n.t('{0}: starting…'),
    trainRunning: l10n.t(' (training)'),
    unitCount: l10n.t('{0} bumps · {1} hidden sigmoid units · heights {2}'),
    heightsMean: l10n.t('mean target per interval'),
    seriesBuilt: l10n.t('built, N bumps'),
    seriesThisNetwork: l10n.t('this network'),
    unitRow: l10n.t('unit {0}'),
    stepHandle: l10n.t('Bump {0} {1} step at s = {2} (w {3}, b {4}); arrow keys move it'),
    stepLeft: l10n.t('left'),
    stepRight: l10n.t('right'),
    heightHandle: l10n.t('Bump {0} height h = {1}; arrow keys change it'),
    lede2D: l10n.t('Two inputs: an x-bump and a y-bump add up to 2 inside their cell and 1 along its row and column; a second sigmoid unit σ(K·(X + Y − 3/2)) keeps only the cell — a tower. N×N towers with heights from the data follow the surface (Nielsen, ch. 4). Gradient descent and hand edits are for one input.'),
    towersAria: l10n.t('Towers per side N'),
    towersLabel: l10n.t('Towers N×N'),
    heatmapAria: l10n.t('Heatmap of the tower network\'s output with the data points'),
    heatmapCaption: l10n.t('{0} → across, {1} ↑ up; colour: {2} from {3} (blue) to {4} (orange); circles are the data'),
    errorCaption2D: l10n.t('Error of N×N towers against N (log scale)'),
    seriesTowers: l10n.t('N×N towers'),
    seriesThisN: l10n.t('this N'),
    towerCount: l10n.t('{0} towers · layers 2 → {1} steps → {2} towers → 1'),
  };
}

/** The page's table (webview/shared/strings.ts reads it): one key per word, `{0}`-style placeholders. */
export type UatStrings = ReturnType<typeof uatStrings>;
