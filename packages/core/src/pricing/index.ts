export type { CostQuery } from './estimateCost.ts';
export { estimateCost } from './estimateCost.ts';
export { getContextWindow } from './getContextWindow.ts';
export type { ModelDefinition } from './modelRegistry.ts';
export { registerModel, unregisterModel } from './modelRegistry.ts';
