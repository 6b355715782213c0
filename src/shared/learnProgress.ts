// What the walkthrough (src/learn/) learns from other features: set as context keys, which its steps' completion
// events (`onContext:`) watch. Here so the hover can report without importing the learn feature.
import * as vscode from 'vscode';

/** Set once a sigmoid hover was shown: completes the walkthrough's hover step. */
export const SIGMOID_HOVERED_CONTEXT = 'gradscope.learn.sigmoidHovered';

let sigmoidHovered = false;

/** Called by the activation hover; cheap after the first time. */
export function noteActivationHovered(activation: string): void {
  if (sigmoidHovered || activation !== 'sigmoid') return;
  sigmoidHovered = true;
  void vscode.commands.executeCommand('setContext', SIGMOID_HOVERED_CONTEXT, true);
}
