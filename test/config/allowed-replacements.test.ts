import { allowedReplacements, allowedReplacementsProblem } from '../../lib/config/allowed-replacements';
import { INVALID } from '../../lib/config/parsers';
import { fixtureProblems, liveStage } from './fixtures/production-context';

const ENTRY = { logicalId: 'Live-Stateful/UsersTable1A2B3C4D', reason: 'CHG-7: table rebuilt from its export' };

describe('allowedReplacements (<stage>.changeReview.allowReplace)', () => {
  it('reads a JSON list, or a string holding one as -c gives it, splitting the stack from the logical id', () => {
    const read = [
      { logicalId: 'UsersTable1A2B3C4D', stack: 'Live-Stateful', reason: 'CHG-7: table rebuilt from its export' },
    ];
    expect(allowedReplacements([ENTRY])).toEqual(read);
    expect(allowedReplacements(JSON.stringify([ENTRY]))).toEqual(read);
    expect(allowedReplacements([])).toEqual([]);
    expect(allowedReplacementsProblem([ENTRY])).toBeUndefined();
  });

  it('refuses what is not a list, and says so', () => {
    expect(allowedReplacements(42)).toBe(INVALID);
    expect(allowedReplacementsProblem(42)).toBe('it is not a list');
  });

  it("refuses an entry without a reason in the review parser's words, naming the entry", () => {
    const bad = [{ logicalId: 'UsersTable1A2B3C4D', reason: 'short' }];
    expect(allowedReplacements(bad)).toBe(INVALID);
    expect(allowedReplacementsProblem(bad)).toBe(
      'changeReview.allowReplace[0].reason = "short" is not a reason of at least 10 characters; say why losing the resource is acceptable',
    );
  });

  it('stops synth with the key, the value, why and what is accepted', () => {
    expect(fixtureProblems({ 'live.changeReview.allowReplace': 'UsersTable' })).toEqual([
      expect.stringMatching(
        /^live\.changeReview\.allowReplace = "UsersTable" is not valid: changeReview\.allowReplace\[0\] = "UsersTable" is not an object .*; expected a JSON list of \{ "logicalId": /,
      ),
    ]);
    expect(liveStage({ 'live.changeReview.allowReplace': [ENTRY] }).changeReview.allowReplace).toEqual([
      { logicalId: 'UsersTable1A2B3C4D', stack: 'Live-Stateful', reason: ENTRY.reason },
    ]);
  });
});
