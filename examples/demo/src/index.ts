export type { BurstKind } from './burstPlan.js';
export { burstKinds } from './burstPlan.js';
export type { DemoClientKind } from './demoHttp.js';
export type { DemoOptions, ParsedArgs } from './demoOptions.js';
export { DEFAULT_OPTIONS, HELP, parseDemoArgs } from './demoOptions.js';
export type { DemoFigures } from './demoSummary.js';
export type { DemoResult, RunDemoOptions } from './runDemo.js';
export { runDemo } from './runDemo.js';
