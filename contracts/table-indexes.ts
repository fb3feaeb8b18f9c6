/**
 * Names of the tables' global secondary indexes: a contract between the tables (PlatformTables) and the
 * handlers that query them.
 */

/** Indexes of the projects table. */
export const PROJECT_INDEXES = {
  /** A homeowner's projects, newest first: `homeownerId` / `createdAt`. */
  byHomeowner: 'byHomeowner',
} as const;

/** Indexes of the quotes table. */
export const QUOTE_INDEXES = {
  /** A project's quotes, in the order they arrived: `projectId` / `createdAt`. */
  byProject: 'byProject',
  /** A contractor's quotes: `contractorId` / `createdAt`. */
  byContractor: 'byContractor',
} as const;

/** Indexes of the contracts table. */
export const CONTRACT_INDEXES = {
  /** A project's contract: `projectId`. */
  byProject: 'byProject',
} as const;
