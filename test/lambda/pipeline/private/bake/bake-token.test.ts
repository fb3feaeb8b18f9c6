import { CheckFailure } from '../../../../../lambda/pipeline/private/aws-call';
import { decodeBakeToken, encodeBakeToken } from '../../../../../lambda/pipeline/private/bake/bake-token';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const HOUR = 3600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const token = (startedAt: Date) => encodeBakeToken({ startedAt });

describe('The bake continuation token', () => {
  it('is a short versioned JSON naming the start, within the 2048 characters CodePipeline accepts', () => {
    const raw = token(ago(HOUR));
    expect(JSON.parse(raw)).toEqual({ v: 1, startedAt: '2026-06-01T11:00:00.000Z' });
    expect(raw.length).toBeLessThanOrEqual(2048);
  });

  it.each([
    ['absent on the first invocation', undefined],
    ['empty', ''],
  ])('means the first invocation when it is %s', (_, raw) => {
    expect(decodeBakeToken(raw, NOW)).toBeUndefined();
  });

  it.each([
    ['the start of a bake that started an hour ago', ago(HOUR)],
    ['a start exactly 24 hours ago, the longest an action runs', ago(24 * HOUR)],
    ['a start a minute ahead of this host clock (skew between hosts)', ago(-60_000)],
  ])('reads %s', (_, startedAt) => {
    expect(decodeBakeToken(token(startedAt), NOW)).toEqual({ startedAt });
  });

  it.each([
    ['not JSON', 'abc'],
    ['JSON null', 'null'],
    ['of another version', JSON.stringify({ v: 2, startedAt: NOW.toISOString() })],
    ['without a start', JSON.stringify({ v: 1 })],
    ['with a start that is not a time', JSON.stringify({ v: 1, startedAt: 'yesterday' })],
  ])('refuses a token that is %s: the start is unknown', (_, raw) => {
    expect(() => decodeBakeToken(raw, NOW)).toThrow(
      new CheckFailure(`the continuation token is not the bake's (${raw}): its start is unknown`),
    );
  });

  it('quotes at most 80 characters of a token it refuses', () => {
    const raw = 'x'.repeat(79) + 'YZ';
    expect(() => decodeBakeToken(raw, NOW)).toThrow(`(${'x'.repeat(79)}Y): its start is unknown`);
  });

  it.each([
    ['more than 24 hours ago', ago(24 * HOUR + 1), '2026-05-31T11:59:59.999Z'],
    ['more than a minute ahead of this host clock', ago(-60_001), '2026-06-01T12:01:00.001Z'],
  ])('refuses a start %s, naming it', (_, startedAt, shown) => {
    expect(() => decodeBakeToken(token(startedAt), NOW)).toThrow(
      new CheckFailure(
        `the continuation token says the bake started at ${shown}, which is not within the last 24 hours`,
      ),
    );
  });
});
