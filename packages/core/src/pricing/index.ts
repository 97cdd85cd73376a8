export type { CostQuery } from './estimateCost';
export { estimateCost } from './estimateCost';
export { getContextWindow } from './getContextWindow';
export type { ModelDefinition } from './modelRegistry';
export { registerModel, unregisterModel } from './modelRegistry';
