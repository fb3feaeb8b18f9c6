import { OUTPUTS } from '../../../../contracts/output-names';
import { describeStageStacks, StageOutputs } from '../stage-stacks';
import type { JourneyContext } from './journey-context';
import type { KeyedTable } from './synthetic-items';

/** What the journey reaches in the stage, from the stacks' outputs. */
export interface JourneyStage {
  /** The API as clients reach it, ending in `/`. */
  readonly apiUrl: string;
  readonly userPoolId: string;
  /** The web app's client (no secret): the journey signs in through it. */
  readonly clientId: string;
  readonly projects: KeyedTable;
  readonly quotes: KeyedTable;
  readonly stateMachineArn: string;
}

/** The public API's URL only: all the read-only journey needs. */
export type ReadOnlyJourneyStage = Pick<JourneyStage, 'apiUrl'>;

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** Reads the stage's outputs (the stacks named in the parameters); a missing output fails with its name. */
export async function resolveJourneyStage(ctx: JourneyContext): Promise<JourneyStage> {
  const outputs = new StageOutputs(await describeStageStacks(ctx));
  return {
    apiUrl: withSlash(outputs.require(OUTPUTS.publicApiUrl)),
    userPoolId: outputs.require(OUTPUTS.userPoolId),
    clientId: outputs.require(OUTPUTS.userPoolClientId),
    projects: { tableName: outputs.require(OUTPUTS.projectsTableName), partitionKey: 'projectId' },
    quotes: { tableName: outputs.require(OUTPUTS.quotesTableName), partitionKey: 'quoteId' },
    stateMachineArn: outputs.require(OUTPUTS.stateMachineArn),
  };
}

/** Reads only the public API's URL. */
export async function resolveReadOnlyStage(ctx: JourneyContext): Promise<ReadOnlyJourneyStage> {
  const outputs = new StageOutputs(await describeStageStacks(ctx));
  return { apiUrl: withSlash(outputs.require(OUTPUTS.publicApiUrl)) };
}
