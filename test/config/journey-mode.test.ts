import { journeyRunsReadOnly } from '../../lib/config/journey-mode';
import { liveStage } from './fixtures/production-context';

describe('journeyRunsReadOnly', () => {
  it('is true only when the journey is on with readOnly true', () => {
    expect(journeyRunsReadOnly(liveStage({ 'live.journey.enabled': true, 'live.journey.readOnly': true }))).toBe(true);
    expect(
      journeyRunsReadOnly(
        liveStage({
          'live.journey.enabled': true,
          'live.journey.readOnly': false,
          'live.breakGlass.journeyReadOnly': 'Synthetic orders agreed with support, ticket OPS-123',
        }),
      ),
    ).toBe(false);
    expect(journeyRunsReadOnly(liveStage())).toBe(false);
  });
});
