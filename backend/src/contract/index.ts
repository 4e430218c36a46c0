// The contract between the agent and the plugin (docs/architecture.md, "The contract"), as the
// plugin imports it: plain values, and the types of the zod schemas. Type exports vanish when the
// plugin is built, so its bundle carries none of zod.
export * from './classes.js';
export * from './vocabulary.js';
export type { Attempt, Failure, Manifest, ManifestFile, ManifestTable, OffsiteRecord, Verification, VerifyProblem } from './manifest.js';
export type {
  AgentEvent,
  AgentInfo,
  BackupSummary,
  BinlogInfo,
  OffsiteAnswer,
  OffsiteSummary,
  PointInTimePlan,
  Progress,
  RestoreToPointAnswer,
  RestoreToPointBody,
  RunningInfo,
  StartedRun,
  TargetInfo,
  VerificationSummary,
} from './api.js';
