import { snsSubject, SNS_MAX_SUBJECT_LENGTH } from '../../../../lambda/pipeline/private/sns-subject';

// What a subject must be for SNS Publish: no line breaks or control characters, and a bounded length
// (SNS_MAX_SUBJECT_LENGTH). https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
describe('snsSubject', () => {
  it('keeps a subject of exactly 100 characters whole, and cuts one of 101 to 97 characters and "..."', () => {
    const exact = `[pipeline FAILED] ${'x'.repeat(SNS_MAX_SUBJECT_LENGTH - 18)}`;
    expect(exact).toHaveLength(100);
    expect(snsSubject(exact)).toBe(exact);

    const over = `${exact}y`;
    const cut = snsSubject(over);
    expect(cut).toHaveLength(100);
    expect(cut).toBe(`${over.slice(0, 97)}...`);
  });

  it('makes one line: each run of line breaks and tabs becomes one space', () => {
    expect(snsSubject('Staging/HealthCheck:\r\n\r\n503\tfrom /health\nretry')).toBe(
      'Staging/HealthCheck: 503 from /health retry',
    );
  });

  it('trims the spaces a line break at either end leaves, before measuring the length', () => {
    expect(snsSubject('\n  [pipeline STOPPED] at Prod  \n')).toBe('[pipeline STOPPED] at Prod');
    const padded = `${'x'.repeat(100)}\n\n`;
    expect(snsSubject(padded)).toBe('x'.repeat(100));
  });

  it('keeps every printable ASCII character (space to tilde) and replaces each other one with "?"', () => {
    expect(snsSubject('a ~ z')).toBe('a ~ z');
    expect(snsSubject('!"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~')).toBe('!"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~');
    expect(snsSubject('x\x7fy\x1fz')).toBe('x?y?z');
    expect(snsSubject('Prüfung – 5 €')).toBe('Pr?fung ? 5 ?');
  });
});
