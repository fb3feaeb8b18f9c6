import {
  fitLines,
  snsSubject,
  SNS_MAX_SUBJECT_LENGTH,
} from '../../../../lambda/pipeline/private/change-review/summary';

describe('snsSubject', () => {
  it('makes one printable ASCII line of at most 100 characters', () => {
    const subject = snsSubject(`Prüfung\nof ${'x'.repeat(200)}`);
    expect(subject).toHaveLength(SNS_MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^Pr\?fung of x+\.\.\.$/);
  });

  it('leaves a short subject as it is', () => {
    expect(snsSubject('[change review passed] prod: 0 replaced')).toBe('[change review passed] prod: 0 replaced');
  });
});

describe('fitLines', () => {
  it('keeps everything when it fits', () => {
    expect(fitLines(['a', 'b'], ['tail'], 100)).toEqual({ text: 'a\nb\ntail', truncated: false });
  });

  it('cuts whole lines, says how many were left out and always keeps the tail, counting UTF-8 bytes', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ${'é'.repeat(20)}`);
    const { text, truncated } = fitLines(lines, ['Full report: https://example/report'], 600);
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(600);
    expect(text).toMatch(/line 0 /);
    expect(text).not.toMatch(/line 49 /);
    const kept = text.split('\n').filter((l) => l.startsWith('line ')).length;
    expect(text).toContain(
      `... ${50 - kept} more lines left out: the notification limit is 600 bytes. See the full report.`,
    );
    expect(text.endsWith('Full report: https://example/report')).toBe(true);
  });
});
