/**
 * The whole journey signing in as the web client does: USER_SRP_AUTH against the fake stage's Cognito, with the
 * SRP arithmetic of amazon-cognito-identity-js. run-journey.test.ts covers every step with a fast sign-in; this file
 * proves the default sign-in the Lambda action uses carries a whole journey.
 */
import { runJourneySlice } from '../../../../lambda/pipeline/private/journey/run-journey';
import type { JourneyDraft } from '../../../../lambda/pipeline/private/journey/journey-state';
import { newJourneyState } from '../../../../lambda/pipeline/private/journey/journey-state';
import { journeyPassed } from '../../../../lambda/pipeline/private/journey/journey-report';
import { FakeJourneyStage, PARAMS, PROJECTS } from './fake-journey-stage';

let stage: FakeJourneyStage;
beforeEach(() => {
  stage = new FakeJourneyStage();
});
afterEach(() => stage.restore());

it('passes every step through the SRP sign-in and leaves no user behind', async () => {
  const state: JourneyDraft = newJourneyState('run1', PARAMS.journey!.readOnly, stage.now);
  await runJourneySlice(stage.context(PARAMS, [], true), state, stage.now + 3_600_000);
  expect(state.results.map((r) => [r.name, r.status])).toEqual([
    ['sign-in', 'pass'],
    ['api', 'pass'],
    ['workflow', 'pass'],
    ['clean-up', 'pass'],
  ]);
  expect(journeyPassed(state)).toBe(true);
  expect(state.results[0].detail).toContain('journey-run1-owner@synthetic.invalid');
  expect([...stage.users.keys()]).toEqual([]);
  expect([...stage.tables[PROJECTS].keys()]).toEqual([]);
});
