/** The evals module's public face: run a suite (or score any `ask` function), its reports and the dataset format. */
export { runSuite, baselineFile, type RunSuiteOptions, type SuiteResult } from './run-suite.js';
export {
  evaluate,
  baselineFromRun,
  type AskFn,
  type AskResult,
  type EvalRun,
  type CaseResult,
} from './runner.js';
export { evalCaseSchema, loadDataset, parseDataset, DatasetError, type EvalCase } from './dataset.js';
export { computeMetrics, type Metrics } from './metrics.js';
export { renderMarkdown, renderTerminal, runToJson } from './report.js';
export { loadSuites, findSuite, type Suite } from './suites.js';
