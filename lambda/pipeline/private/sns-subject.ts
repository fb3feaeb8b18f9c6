/** SNS accepts at most this many characters of subject, ASCII, without line breaks. */
export const SNS_MAX_SUBJECT_LENGTH = 100;

/** Makes `text` a valid SNS subject: printable ASCII, one line, at most 100 characters. */
export function snsSubject(text: string): string {
  const ascii = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return ascii.length <= SNS_MAX_SUBJECT_LENGTH ? ascii : `${ascii.slice(0, SNS_MAX_SUBJECT_LENGTH - 3)}...`;
}
